using System;
using AutoGrad;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

/// <summary>lstm: generated gradient against the hand-written one and against central differences.</summary>
public class LstmTests
{
    [Theory]
    [InlineData(2, 3, 14, 1)]
    [InlineData(2, 3, 14, 2)]
    [InlineData(3, 5, 4, 3)]
    [InlineData(1, 2, 1, 4)]
    public void Generated_gradient_equals_hand_written_and_finite_differences(int l, int c, int b, int seed)
    {
        var input = LstmInput.Random(l, c, seed, b);
        double[] stateBefore = (double[])input.State.Clone();
        var generated = new double[8 * l * b + 3 * b];
        double generatedValue = Lstm.Gradient(input, generated);
        var hand = new double[generated.Length];
        double handValue = Lstm.HandGradient(input, hand);
        double value = Lstm.Objective(input);

        Assert.Equal(stateBefore, input.State);
        Assert.Equal(value, generatedValue, 1e-12 * Math.Abs(value));
        Assert.Equal(value, handValue, 1e-12 * Math.Abs(value));
        GmmLstmBaAssert.Same(hand, generated);
        GmmLstmBaAssert.MatchesFiniteDifferences(generated, point => Lstm.Objective(Unpack(input, point)), Pack(input));
        GmmLstmBaAssert.MatchesFiniteDifferences(hand, point => Lstm.Objective(Unpack(input, point)), Pack(input));
    }

    [Fact]
    public void One_layer_one_bit_matches_the_formula_written_out()
    {
        var input = LstmInput.Random(l: 1, c: 2, seed: 7, b: 1);
        double[] p = input.MainParams, e = input.ExtraParams, s = input.State, seq = input.Sequence;
        double x = seq[0] * e[0];
        double h = s[0], cOld = s[1];
        double f = 1 / (1 + Math.Exp(-(x * p[0] + p[4])));
        double i = 1 / (1 + Math.Exp(-(h * p[1] + p[5])));
        double o = 1 / (1 + Math.Exp(-(x * p[2] + p[6])));
        double ch = Math.Tanh(h * p[3] + p[7]);
        double hNew = o * Math.Tanh(cOld * f + i * ch);
        double y = hNew * e[1] + e[2];
        double expected = -(seq[1] * (y - Math.Log(Math.Exp(y) + 2)));
        Assert.Equal(expected, Lstm.Objective(input), 1e-14);
    }

    [Fact]
    public void Text_input_uses_gradbench_bit_order()
    {
        // 'A' = 65 and 'z' = 122: ⌈log₂ 122⌉ = 7 bits, most significant first.
        var input = LstmInput.FromText("Az", l: 1, seed: 1);
        Assert.Equal(7, input.B);
        Assert.Equal(new double[] { 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0 }, input.Sequence);
    }

    private static double[] Pack(LstmInput input)
    {
        var all = new double[input.MainParams.Length + input.ExtraParams.Length];
        input.MainParams.CopyTo(all, 0);
        input.ExtraParams.CopyTo(all, input.MainParams.Length);
        return all;
    }

    private static LstmInput Unpack(LstmInput like, double[] all) =>
        new LstmInput(like.L, like.C, like.B, all[..like.MainParams.Length], all[like.MainParams.Length..],
            like.State, like.Sequence);
}
