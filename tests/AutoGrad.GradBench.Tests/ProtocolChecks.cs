using System;
using AutoGrad;
using Xunit;

namespace AutoGrad.GradBench.Tests;

/// <summary>Comparisons shared by the lse, llsq, ode, det and protocol tests.</summary>
internal static class Checks
{
    /// <summary>Uniform random numbers in [lo, hi), from a fixed seed.</summary>
    public static double[] Random(int seed, int length, double lo = -1.0, double hi = 1.0)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = lo + (hi - lo) * random.NextDouble();
        }

        return values;
    }

    /// <summary>
    /// Every component within <paramref name="tolerance"/> relative to the larger of |a|+|b| and the
    /// gradient's own scale (its largest component), so components near zero compare absolutely.
    /// </summary>
    public static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0.0;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / Math.Max(Math.Max(Math.Abs(expected[i]) + Math.Abs(actual[i]), scale), 1e-300);
            Assert.True(error <= tolerance, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (relative error {error:E2} > {tolerance:E0})");
        }
    }

    /// <summary>Two numbers within <paramref name="tolerance"/> relative to |a|+|b| (absolute below 1).</summary>
    public static void Close(double expected, double actual, double tolerance, string what)
    {
        double error = Math.Abs(expected - actual) / Math.Max(1e-300, Math.Max(1.0, Math.Abs(expected) + Math.Abs(actual)));
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2})");
    }

    /// <summary>Central finite differences of <paramref name="f"/> at <paramref name="point"/> (AutoGrad's GradientCheck).</summary>
    public static double[] FiniteDifferences(Func<double[], double> f, double[] point) =>
        GradientCheck.Numerical(f, (double[])point.Clone());
}
