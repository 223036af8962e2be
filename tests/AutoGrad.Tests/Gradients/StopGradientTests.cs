using System;
using System.Threading.Tasks;
using AutoGrad.Tests.Infrastructure;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Gradients;

/// <summary><c>Diff.StopGradient(x)</c>: the value of x, a constant to the gradient.</summary>
public class StopGradientTests
{
    private static readonly GradientCase[] Cases =
    {
        GradientCase.Double("SquareWithOneFactorStopped", "double x", "return x * Diff.StopGradient(x);"),
        GradientCase.Float("SquareWithOneFactorStoppedFloat", "float x", "return x * Diff.StopGradient(x);"),
        GradientCase.Double("StoppedProduct", "double x, double y", "double s = Diff.StopGradient(x * y);\nreturn s * x + y;"),
        GradientCase.Double("StoppedConstant", "double x", "return Diff.StopGradient(2.0) * x;"),
        GradientCase.Double("StraightThroughRound", "double x", "return x + Diff.StopGradient(Math.Round(x) - x);"),
        new GradientCase(
            "StoppedHelper",
            "private static double Helper(double v) => v * v * v;\n\n" + GradientCase.Declare("double", "StoppedHelper", "double x", "return x * Diff.StopGradient(Helper(x));"),
            new Domain()),
        new GradientCase(
            "StoppedOpaqueHelper",
            "private static double Opaque(double v) => Convert.ToDouble(v) * Math.Floor(v + 10);\n\n" + GradientCase.Declare("double", "StoppedOpaqueHelper", "double x", "return x * Diff.StopGradient(Opaque(x)) + x * x;"),
            new Domain()),
        GradientCase.Double("StoppedInLoop", "double x, int n", "double s = 0;\nfor (int i = 0; i < n; i++)\n{\n    s += x * Diff.StopGradient(s + x);\n}\nreturn s;"),
        GradientCase.Double("StoppedInBranch", "double x", "double r = x;\nif (x > 0)\n{\n    r = Diff.StopGradient(x * x) * x;\n}\nreturn r;"),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("StopGradient", Cases);

    [Fact]
    public void Gradient_flows_only_through_the_unstopped_factor()
    {
        // x * StopGradient(x): value x^2, gradient x (not 2x).
        var result = Set.Get("SquareWithOneFactorStopped").InvokeBackward(new object?[] { 3.0 });
        Assert.Equal(9.0, result.Value);
        Assert.Equal(new[] { 3.0 }, result.Gradients);

        var single = Set.Get("SquareWithOneFactorStoppedFloat").InvokeBackward(new object?[] { 3f });
        Assert.Equal(new[] { 3.0 }, single.Gradients);

        // s = StopGradient(x y); s x + y: gradients (s, 1).
        var product = Set.Get("StoppedProduct").InvokeBackward(new object?[] { 2.0, 5.0 });
        Assert.Equal(2.0 * 5.0 * 2.0 + 5.0, product.Value);
        Assert.Equal(new[] { 10.0, 1.0 }, product.Gradients);

        Assert.Equal(new[] { 2.0 }, Set.Get("StoppedConstant").InvokeBackward(new object?[] { 7.0 }).Gradients);
    }

    [Fact]
    public void Straight_through_estimator_has_the_rounded_value_and_slope_one()
    {
        var result = Set.Get("StraightThroughRound").InvokeBackward(new object?[] { 2.3 });
        Assert.Equal(2.0, result.Value, 12);
        Assert.Equal(new[] { 1.0 }, result.Gradients);
    }

    [Fact]
    public void A_helper_without_a_derivative_is_fine_inside_StopGradient()
    {
        var result = Set.Get("StoppedHelper").InvokeBackward(new object?[] { 2.0 });
        Assert.Equal(16.0, result.Value);
        Assert.Equal(new[] { 8.0 }, result.Gradients);
    }

    [Fact]
    public void A_helper_calling_a_method_without_a_derivative_is_fine_inside_StopGradient()
    {
        // Opaque(2.5) = 2.5 * Floor(12.5) = 30, a constant to the gradient: d/dx (30 x + x^2) = 30 + 2x.
        var result = Set.Get("StoppedOpaqueHelper").InvokeBackward(new object?[] { 2.5 });
        Assert.Equal(81.25, result.Value, 12);
        Assert.Equal(35.0, result.Gradients[0], 12);
    }

    [Fact]
    public void Stopped_values_in_loops_and_branches()
    {
        // s_{i+1} = s_i + x * c_i with c_i = s_i + x constant: ds/dx = sum of c_i = (0 + x) + (x^2 + x) for n = 2.
        var loop = Set.Get("StoppedInLoop").InvokeBackward(new object?[] { 3.0, 2 });
        Assert.Equal(new[] { 3.0 + 9.0 + 3.0 }, loop.Gradients);

        Assert.Equal(new[] { 4.0 }, Set.Get("StoppedInBranch").InvokeBackward(new object?[] { 2.0 }).Gradients);
        Assert.Equal(new[] { 1.0 }, Set.Get("StoppedInBranch").InvokeBackward(new object?[] { -2.0 }).Gradients);
    }

    [Fact]
    public Task No_diagnostic_for_StopGradient_or_the_calls_inside_it() => VerifyAsync(
        """
        partial class C
        {
            static double Helper(double v) => v * v;

            [Differentiable]
            static double F(double x) => x * Diff.StopGradient(Helper(x) + Math.Floor(x) + (int)x);
        }
        """);

    [Fact]
    public Task Inside_StopGradient_a_helper_may_call_a_method_without_a_derivative() => VerifyAsync(
        """
        partial class C
        {
            static double Opaque(double v) => Convert.ToDouble(v) + Math.Floor(v);

            [Differentiable]
            static double F(double x) => x * Diff.StopGradient(Opaque(x));
        }
        """);

    [Fact]
    public Task Outside_StopGradient_the_same_calls_are_reported() => VerifyAsync(
        """
        partial class C
        {
            static double Helper(double v) => v * v;

            [Differentiable]
            static double F(double x) => x * ({|AG0012:Convert.ToDouble(x)|} + {|AG0014:Math.Floor(x)|} + Helper(x));
        }
        """);
}
