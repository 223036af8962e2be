using System;
using Xunit;

namespace AutoGrad.Tests.Runtime;

public sealed class TapeTests
{
    [Fact]
    public void Pops_in_reverse_order_of_pushes()
    {
        var tape = new Tape<double>(stackalloc double[8]);
        for (int i = 0; i < 5; i++) tape.Push(i * 1.5);
        Assert.Equal(5, tape.Count);
        Assert.Equal(6.0, tape.Peek());
        for (int i = 4; i >= 0; i--) Assert.Equal(i * 1.5, tape.Pop());
        Assert.Equal(0, tape.Count);
        tape.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void Grows_past_its_initial_buffer_and_keeps_every_value(int initial)
    {
        var tape = new Tape<int>(initial == 0 ? Span<int>.Empty : new int[initial]);
        const int N = 10_000;
        for (int i = 0; i < N; i++) tape.Push(i);
        Assert.Equal(N, tape.Count);
        Assert.Equal(N * sizeof(int), tape.Bytes);
        for (int i = N - 1; i >= 0; i--) Assert.Equal(i, tape.Pop());
        tape.Dispose();
    }

    [Fact]
    public void Interleaved_pushes_and_pops_keep_order_and_size()
    {
        var tape = new Tape<bool>(stackalloc bool[2]);
        tape.Push(true);
        tape.Push(false);
        Assert.False(tape.Pop());
        tape.Push(true);
        tape.Push(true);
        Assert.Equal(3, tape.Count);
        Assert.Equal(3, tape.Bytes);
        Assert.True(tape.Pop());
        Assert.True(tape.Pop());
        Assert.True(tape.Pop());
        tape.Dispose();
    }

    [Fact]
    public void Popping_an_empty_tape_throws()
    {
        var tape = new Tape<double>(stackalloc double[1]);
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
    }

    [Fact]
    public void Dispose_empties_the_tape_and_it_can_be_called_twice()
    {
        var tape = new Tape<double>(Span<double>.Empty);
        for (int i = 0; i < 100; i++) tape.Push(i);
        tape.Dispose();
        Assert.Equal(0, tape.Count);
        tape.Dispose();
    }

    [Fact]
    public void Steady_state_use_allocates_nothing_on_the_heap()
    {
        static void Use()
        {
            var tape = new Tape<double>(stackalloc double[16]);
            for (int i = 0; i < 1000; i++) tape.Push(i);
            for (int i = 0; i < 1000; i++) tape.Pop();
            tape.Dispose();
        }

        Use(); // warm the pool
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Use();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
