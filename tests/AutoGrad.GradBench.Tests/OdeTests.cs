using System;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

public class OdeTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 3, 2)]
    [InlineData(4, 6, 5)]
    [InlineData(5, 10, 10)]
    public void Generated_and_hand_written_gradients_agree_with_each_other_and_finite_differences(int seed, int n, int s)
    {
        double[] x = Checks.Random(seed, n, 0.0, 1.0);
        var generated = new double[n];
        var byHand = new double[n];
        double value = Ode.Gradient(x, s, generated);
        double valueByHand = Ode.GradientByHand(x, s, byHand);
        var y = new double[n];
        Ode.Solve(x, s, y);

        Assert.Equal(y[n - 1], value);
        Assert.Equal(y[n - 1], valueByHand);
        Assert.Equal(y[n - 1], Ode.Last(x, s));
        Checks.Close(byHand, generated, 1e-10, "generated vs hand-written");
        Checks.Close(Checks.FiniteDifferences(p => Ode.Last(p, s), x), generated, 1e-7, "generated vs finite differences");
    }

    [Fact]
    public void Many_steps_approach_the_exact_solution()
    {
        // yᵢ(t) = x₀ x₁ ⋯ xᵢ tⁱ⁺¹ / (i + 1)!, so y(2) has a closed form RK4 approaches as h⁴.
        double[] x = [0.9, 0.7, 1.3, 0.4];
        var y = new double[x.Length];
        Ode.Solve(x, 200, y);
        double product = 1.0;
        double factorial = 1.0;
        for (int i = 0; i < x.Length; i++)
        {
            product *= x[i] * 2.0;
            factorial *= i + 1;
            Checks.Close(product / factorial, y[i], 1e-10, $"y[{i}]");
        }
    }

    [Fact]
    public void One_step_is_classic_RK4_by_hand()
    {
        // n = 2, s = 1, h = 2, x = (a, b): the second components of the stages are
        // k1 = b·0, k2 = b·(h a/2), k3 = b·(h a/2), k4 = b·(h a); the first are all a.
        double a = 0.8;
        double b = 0.6;
        double h = 2.0;
        double k1 = 0.0;
        double k2 = b * (h * a / 2.0);
        double k3 = b * (h * a / 2.0);
        double k4 = b * (h * a);
        var y = new double[2];
        Ode.Solve([a, b], 1, y);
        Checks.Close(h * a, y[0], 1e-15, "y0");
        Checks.Close(h * (k1 + 2 * k2 + 2 * k3 + k4) / 6.0, y[1], 1e-15, "y1");
    }
}
