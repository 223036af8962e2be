using System;
using Xunit;

namespace AutoGrad.Tests.Runtime;

/// <summary>Methods the generator differentiates when this test project builds, for <see cref="GradientCheck.Check(Func{double, double}, GradientCheck.Backward1, double)"/>.</summary>
public static partial class CheckedModel
{
    [Differentiable]
    public static double Softplus(double x) => Math.Log(1.0 + Math.Exp(x));

    [Differentiable]
    public static double Product(double x, double y) => x * x * y;

    [Differentiable]
    public static double Spring(double k, double x, double rest) => 0.5 * k * (x - rest) * (x - rest);

    [Differentiable]
    public static double Bilinear(double a, double b, double c, double d) => a * b + c * d + Math.Sin(a * d);

    [Differentiable]
    public static double SumOfSquares(double[] w)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += w[i] * w[i] * (i + 1);
        }

        return s;
    }

    /// <summary>A hand-written Backward with a mistake: dY is twice what it should be.</summary>
    public static double ProductWrongBackward(double x, double y, out double dX, out double dY, double seed = 1.0)
    {
        dX = 2 * x * y * seed;
        dY = 2 * x * x * seed;
        return x * x * y;
    }

    /// <summary>A hand-written array Backward with a mistake in element 2.</summary>
    public static double SumOfSquaresWrongBackward(double[] w, Span<double> dW, double seed = 1.0)
    {
        double s = SumOfSquares(w);
        for (int i = 0; i < w.Length; i++)
        {
            dW[i] += 2 * (i + 1) * w[i] * (i == 2 ? 1.5 : 1.0) * seed;
        }

        return s;
    }
}

public sealed class GradientCheckTests
{
    [Fact]
    public void Generated_backward_methods_pass_by_method_group()
    {
        var one = GradientCheck.Check(CheckedModel.Softplus, CheckedModel.SoftplusBackward, 0.3);
        Assert.True(one.Passed, one.ToString());
        Assert.Equal(new[] { "x" }, one.Names);
        Assert.Equal(CheckedModel.Softplus(0.3), one.Value);

        var two = GradientCheck.Check(CheckedModel.Product, CheckedModel.ProductBackward, 1.5, -2.0);
        Assert.True(two.Passed, two.ToString());
        Assert.Equal(new[] { 2 * 1.5 * -2.0, 1.5 * 1.5 }, two.Analytic);

        var three = GradientCheck.Check(CheckedModel.Spring, CheckedModel.SpringBackward, 2.0, 1.3, 1.0);
        Assert.True(three.Passed, three.ToString());
        Assert.Equal(new[] { "k", "x", "rest" }, three.Names);

        var four = GradientCheck.Check(CheckedModel.Bilinear, CheckedModel.BilinearBackward, 0.5, -1.0, 2.0, 0.25);
        Assert.True(four.Passed, four.ToString());
        Assert.Equal(4, four.RelativeErrors.Count);
        Assert.All(four.RelativeErrors, e => Assert.True(e <= GradientCheck.DefaultTolerance));
    }

    [Fact]
    public void Array_methods_pass_with_a_span_gradient()
    {
        var point = new[] { 0.5, -1.0, 2.0 };
        var result = GradientCheck.Check(CheckedModel.SumOfSquares, CheckedModel.SumOfSquaresBackward, point);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(new[] { "w[0]", "w[1]", "w[2]" }, result.Names);
        Assert.Equal(new[] { 1.0, -4.0, 12.0 }, result.Analytic);
        Assert.Equal(new[] { 0.5, -1.0, 2.0 }, point);
    }

    [Fact]
    public void A_wrong_gradient_fails_and_names_the_worst_component()
    {
        var result = GradientCheck.Check(CheckedModel.Product, CheckedModel.ProductWrongBackward, 1.5, -2.0);
        Assert.False(result.Passed);
        Assert.Equal(1, result.WorstIndex);
        Assert.Equal("y", result.WorstName);
        Assert.Equal(1.0 / 3.0, result.MaxRelativeError, 6);
        Assert.True(result.RelativeErrors[0] <= GradientCheck.DefaultTolerance);

        string report = result.ToString();
        Assert.StartsWith("Gradient check FAILED (tolerance 1E-06): worst component 'y' (index 1), relative error 3.33E-001", report, StringComparison.Ordinal);
        Assert.Contains("<-- exceeds tolerance", report, StringComparison.Ordinal);
        Assert.Single(report.Split('\n'), line => line.Contains("exceeds", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wrong_array_gradient_names_the_element()
    {
        var result = GradientCheck.Check(CheckedModel.SumOfSquares, CheckedModel.SumOfSquaresWrongBackward, new[] { 0.5, -1.0, 2.0 });
        Assert.False(result.Passed);
        Assert.Equal("w[2]", result.WorstName);
        Assert.Contains("worst component 'w[2]'", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tolerance_decides_passed()
    {
        var result = GradientCheck.Check(CheckedModel.Product, CheckedModel.ProductWrongBackward, 1.5, -2.0);
        Assert.True(result.WithTolerance(0.5).Passed);
        Assert.False(result.WithTolerance(0.3).Passed);
        Assert.Equal(0.5, result.WithTolerance(0.5).Tolerance);
    }

    [Fact]
    public void A_NaN_gradient_fails()
    {
        var result = GradientCheck.Check(x => x * x, (double x, out double dX, double seed) => { dX = double.NaN; return x * x; }, 1.0);
        Assert.False(result.Passed);
        Assert.Equal(double.PositiveInfinity, result.MaxRelativeError);
        Assert.Equal(0, result.WorstIndex);
    }
}
