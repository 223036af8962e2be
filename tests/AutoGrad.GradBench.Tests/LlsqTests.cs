using System;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

public class LlsqTests
{
    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(2, 3, 5)]
    [InlineData(3, 4, 16)]
    [InlineData(4, 8, 33)]
    public void Generated_and_hand_written_gradients_agree_with_each_other_and_finite_differences(int seed, int m, int n)
    {
        double[] x = Checks.Random(seed, m, 0.0, 1.0);
        var generated = new double[m];
        var byHand = new double[m];
        double value = Llsq.Gradient(x, n, generated);
        double valueByHand = Llsq.GradientByHand(x, n, byHand);

        Checks.Close(Llsq.Primal(x, n), value, 1e-14, "value");
        Checks.Close(Llsq.Primal(x, n), valueByHand, 1e-14, "value by hand");
        Checks.Close(byHand, generated, 1e-10, "generated vs hand-written");
        Checks.Close(Checks.FiniteDifferences(p => Llsq.Primal(p, n), x), generated, 1e-7, "generated vs finite differences");
    }

    [Fact]
    public void The_data_follow_GradBench_t_from_minus_one_to_one_and_s_its_sign_with_sign_zero_zero()
    {
        Assert.Equal(-1.0, Llsq.T(0, 5));
        Assert.Equal(-0.5, Llsq.T(1, 5));
        Assert.Equal(0.0, Llsq.T(2, 5));
        Assert.Equal(1.0, Llsq.T(4, 5));
        Assert.Equal(-1.0, Llsq.S(-0.5));
        Assert.Equal(0.0, Llsq.S(0.0));
        Assert.Equal(1.0, Llsq.S(1e-300));
    }

    [Fact]
    public void The_primal_matches_a_direct_sum_of_squared_residuals()
    {
        // m = 2, n = 3: t = (-1, 0, 1), s = (-1, 0, 1); residuals sᵢ − x₀ − x₁ tᵢ.
        double[] x = [0.25, 0.5];
        double r0 = -1.0 - 0.25 + 0.5;
        double r1 = 0.0 - 0.25;
        double r2 = 1.0 - 0.25 - 0.5;
        Checks.Close(0.5 * (r0 * r0 + r1 * r1 + r2 * r2), Llsq.Primal(x, 3), 1e-15, "llsq");

        // Powers up to x₃ at a random point against Math.Pow.
        double[] z = Checks.Random(5, 4);
        int n = 7;
        double sum = 0.0;
        for (int i = 0; i < n; i++)
        {
            double t = -1.0 + 2.0 * i / (n - 1);
            double r = Math.Sign(t);
            for (int j = 0; j < z.Length; j++)
            {
                r -= z[j] * Math.Pow(t, j);
            }

            sum += r * r;
        }

        Checks.Close(sum / 2.0, Llsq.Primal(z, n), 1e-13, "llsq with Math.Pow");
    }
}
