using System;
using Xunit;

namespace AutoGrad.Tests.Runtime;

/// <summary>The tape of generic Backward methods: any T, no stack buffer.</summary>
public sealed class PooledTapeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    public void Grows_and_pops_in_reverse_order(int capacity)
    {
        var tape = new PooledTape<Half>(capacity);
        const int N = 2_000;
        for (int i = 0; i < N; i++) tape.Push((Half)(i % 1000));
        Assert.Equal(N, tape.Count);
        Assert.Equal((Half)((N - 1) % 1000), tape.Peek());
        for (int i = N - 1; i >= 0; i--) Assert.Equal((Half)(i % 1000), tape.Pop());
        Assert.Equal(0, tape.Count);
        tape.Dispose();
    }

    [Fact]
    public void Saves_and_restores_whole_arrays_and_references()
    {
        var tape = new PooledTape<string>(0);
        tape.Push("first");
        tape.PushAll(new[] { "a", "b", "c" });
        var back = new string[3];
        tape.PopAll(back);
        Assert.Equal(new[] { "a", "b", "c" }, back);
        Assert.Equal("first", tape.Pop());
        tape.Dispose();
        Assert.Equal(0, tape.Count);
    }

    [Fact]
    public void Popping_an_empty_tape_throws()
    {
        var tape = new PooledTape<double>(0);
        tape.Push(1);
        tape.Pop();
        bool threw = false;
        try
        {
            tape.Pop();
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
        tape.Dispose();
    }
}
