using System;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

public class LseTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 7)]
    [InlineData(4, 40)]
    public void Generated_and_hand_written_gradients_agree_with_each_other_and_finite_differences(int seed, int n)
    {
        double[] x = Checks.Random(seed, n, -3.0, 3.0);
        var generated = new double[n];
        var byHand = new double[n];
        double value = Lse.Gradient(x, generated);
        double valueByHand = Lse.GradientByHand(x, byHand);

        Checks.Close(Lse.Primal(x), value, 1e-14, "value");
        Checks.Close(Lse.Primal(x), valueByHand, 1e-14, "value by hand");
        Checks.Close(byHand, generated, 1e-10, "generated vs hand-written");
        Checks.Close(Checks.FiniteDifferences(Lse.Primal, x), generated, 1e-7, "generated vs finite differences");
    }

    [Fact]
    public void The_primal_is_the_log_of_the_sum_of_exponentials_and_survives_large_values()
    {
        double[] x = [0.5, -1.25, 2.0, 0.0];
        double direct = Math.Log(Math.Exp(0.5) + Math.Exp(-1.25) + Math.Exp(2.0) + Math.Exp(0.0));
        Checks.Close(direct, Lse.Primal(x), 1e-15, "lse");

        double[] large = [1000.0, 1000.0];
        Checks.Close(1000.0 + Math.Log(2.0), Lse.Primal(large), 1e-15, "lse of large values");
        var gradient = new double[2];
        Lse.Gradient(large, gradient);
        Checks.Close(new[] { 0.5, 0.5 }, gradient, 1e-15, "softmax");
    }

    [Fact]
    public void The_gradient_is_added_into_the_buffer_only_through_the_Backward()
    {
        double[] x = Checks.Random(9, 5);
        var gradient = new double[5];
        Array.Fill(gradient, 1.0);
        Lse.Gradient(x, gradient); // clears first
        var expected = new double[5];
        Lse.GradientByHand(x, expected);
        Checks.Close(expected, gradient, 1e-12, "cleared then written");
    }
}
