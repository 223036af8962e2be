using System;
using AutoGrad;
using Xunit;

namespace AutoGrad.GradBench.Tests;

/// <summary>Gradient comparisons shared by the gmm, lstm and ba tests.</summary>
internal static class GmmLstmBaAssert
{
    /// <summary>Two exact gradients (generated and hand-written) agree to <paramref name="relative"/>.</summary>
    public static void Same(double[] expected, double[] actual, double relative = 1e-10)
    {
        double worst = GradientCheck.MaxRelativeError(actual, expected);
        Assert.True(worst < relative, $"generated vs hand-written: worst relative error {worst}");
    }

    /// <summary>
    /// An exact gradient agrees with central differences: each component to 1e-6 relative, or to 1e-6 of the
    /// gradient's largest component (central differences of an O(1) function carry about 1e-10 absolute noise,
    /// which is a large relative error for components near zero).
    /// </summary>
    public static void MatchesFiniteDifferences(double[] analytic, Func<double[], double> f, double[] point)
    {
        double[] numerical = GradientCheck.Numerical(f, point);
        Assert.Equal(numerical.Length, analytic.Length);
        double scale = 0;
        foreach (double v in numerical) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < analytic.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numerical[i]);
            Assert.True(error <= 1e-6 * (Math.Abs(analytic[i]) + Math.Abs(numerical[i])) + 1e-6 * scale,
                $"component {i}: analytic {analytic[i]:R}, central differences {numerical[i]:R}");
        }
    }
}
