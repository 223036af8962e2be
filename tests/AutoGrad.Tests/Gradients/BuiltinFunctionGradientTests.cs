using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// The static math methods of <c>double</c> and <c>float</c> (<c>double.Exp</c>, <c>float.Hypot</c>, …) and
/// the newer <c>Math</c>/<c>MathF</c> functions (<c>Asinh</c>, <c>FusedMultiplyAdd</c>, <c>ScaleB</c>,
/// <c>IEEERemainder</c>, <c>CopySign</c>), each on a domain where it is smooth, in double and float.
/// </summary>
public class BuiltinFunctionGradientTests
{
    /// <summary>One function: parameters, a body with <c>{0}</c> for the class, its domain, and which classes have it.</summary>
    private sealed record Function(string Name, string Parameters, string Body, Func<Domain> Domain, string[] DoubleClasses, string[] FloatClasses);

    private static readonly string[] DoubleType = { "double" };
    private static readonly string[] FloatType = { "float" };

    private static Domain Positive() => new(0.1, 3);

    private static Domain AwayFrom(params double[] kinks) => new Domain().Where(p => p.Values.All(v => kinks.All(k => Math.Abs(v - k) > 0.1)));

    private static readonly Function[] Functions =
    {
        // Everything Math has, through double / float.
        new("Exp", "{1} x", "return {0}.Exp(x);", () => new Domain(), DoubleType, FloatType),
        new("Log", "{1} x", "return {0}.Log(x);", Positive, DoubleType, FloatType),
        new("LogWithBase", "{1} x, {1} b", "return {0}.Log(x, b);", () => new Domain().Range("x", 0.5, 3).Range("b", 1.5, 3), DoubleType, FloatType),
        new("Log10", "{1} x", "return {0}.Log10(x);", Positive, DoubleType, FloatType),
        new("Log2", "{1} x", "return {0}.Log2(x);", Positive, DoubleType, FloatType),
        new("Sqrt", "{1} x", "return {0}.Sqrt(x);", Positive, DoubleType, FloatType),
        new("Cbrt", "{1} x", "return {0}.Cbrt(x);", Positive, DoubleType, FloatType),
        new("Pow", "{1} x, {1} p", "return {0}.Pow(x, p);", () => new Domain().Range("x", 0.5, 2), DoubleType, FloatType),
        new("Sin", "{1} x", "return {0}.Sin(x);", () => new Domain(-3, 3), DoubleType, FloatType),
        new("Cos", "{1} x", "return {0}.Cos(x);", () => new Domain(-3, 3), DoubleType, FloatType),
        new("Tan", "{1} x", "return {0}.Tan(x);", () => new Domain(-1.2, 1.2), DoubleType, FloatType),
        new("Asin", "{1} x", "return {0}.Asin(x);", () => new Domain(-0.8, 0.8), DoubleType, FloatType),
        new("Acos", "{1} x", "return {0}.Acos(x);", () => new Domain(-0.8, 0.8), DoubleType, FloatType),
        new("Atan", "{1} x", "return {0}.Atan(x);", () => new Domain(-3, 3), DoubleType, FloatType),
        new("Atan2", "{1} y, {1} x", "return {0}.Atan2(y, x);", () => new Domain().Range("x", 0.3, 2), DoubleType, FloatType),
        new("Sinh", "{1} x", "return {0}.Sinh(x);", () => new Domain(), DoubleType, FloatType),
        new("Cosh", "{1} x", "return {0}.Cosh(x);", () => new Domain(), DoubleType, FloatType),
        new("Tanh", "{1} x", "return {0}.Tanh(x);", () => new Domain(), DoubleType, FloatType),
        new("Abs", "{1} x", "return {0}.Abs(x) * x;", () => AwayFrom(0), DoubleType, FloatType),
        new("Max", "{1} x, {1} y", "return {0}.Max(x, y) * (x + 2 * y);", () => new Domain().Where(p => Math.Abs(p["x"] - p["y"]) > 0.1), DoubleType, FloatType),
        new("Min", "{1} x, {1} y", "return {0}.Min(x, y) * (x + 2 * y);", () => new Domain().Where(p => Math.Abs(p["x"] - p["y"]) > 0.1), DoubleType, FloatType),
        new("Clamp", "{1} x, {1} lo, {1} hi", "return {0}.Clamp(x, lo, hi) * (1 + x + lo + hi);",
            () => new Domain().Range("x", -3, 3).Range("lo", -2, -1).Range("hi", 1, 2).Where(p => Math.Abs(p["x"] - p["lo"]) > 0.1 && Math.Abs(p["x"] - p["hi"]) > 0.1), DoubleType, FloatType),

        // Newer functions of Math and MathF, also through double / float.
        new("Asinh", "{1} x", "return {0}.Asinh(x);", () => new Domain(-3, 3), new[] { "Math", "double" }, new[] { "MathF", "float" }),
        new("Acosh", "{1} x", "return {0}.Acosh(x);", () => new Domain(1.1, 3), new[] { "Math", "double" }, new[] { "MathF", "float" }),
        new("Atanh", "{1} x", "return {0}.Atanh(x);", () => new Domain(-0.9, 0.9), new[] { "Math", "double" }, new[] { "MathF", "float" }),
        new("FusedMultiplyAdd", "{1} x, {1} y, {1} z", "return {0}.FusedMultiplyAdd(x, y, z) * x;", () => new Domain(), new[] { "Math", "double" }, new[] { "MathF", "float" }),
        new("ScaleB", "{1} x, int n", "return {0}.ScaleB(x, n) * x + {0}.ScaleB(x, -n);", () => new Domain().Fix("n", 3), new[] { "Math", "double" }, new[] { "MathF", "float" }),
        new("IEEERemainder", "{1} x, {1} y", "return {0}.IEEERemainder(x, y) * x;",
            () => new Domain().Range("x", 0.2, 3).Range("y", 0.7, 1.3).Where(p => Math.Abs(Math.Abs(p["x"] / p["y"] - Math.Floor(p["x"] / p["y"])) - 0.5) > 0.05),
            new[] { "Math" }, new[] { "MathF" }),
        new("CopySign", "{1} x, {1} y", "return {0}.CopySign(x, y) * x + {0}.CopySign(y, x);", () => AwayFrom(0), new[] { "Math", "double" }, new[] { "MathF", "float" }),

        // Only double and float have these.
        new("Hypot", "{1} x, {1} y", "return {0}.Hypot(x, y);", () => new Domain().Where(p => Math.Abs(p["x"]) + Math.Abs(p["y"]) > 0.2), DoubleType, FloatType),
        new("ExpM1", "{1} x", "return {0}.ExpM1(x);", () => new Domain(), DoubleType, FloatType),
        new("LogP1", "{1} x", "return {0}.LogP1(x);", () => new Domain(-0.9, 3), DoubleType, FloatType),
        new("Exp2", "{1} x", "return {0}.Exp2(x);", () => new Domain(), DoubleType, FloatType),
        new("Exp10", "{1} x", "return {0}.Exp10(x);", () => new Domain(-1.5, 1.5), DoubleType, FloatType),
    };

    private static readonly GradientCase[] Cases = Functions.SelectMany(ToCases).ToArray();

    private static IEnumerable<GradientCase> ToCases(Function f)
    {
        foreach (var owner in f.DoubleClasses)
        {
            yield return new GradientCase(Name(owner, f.Name), GradientCase.Declare("double", Name(owner, f.Name), string.Format(f.Parameters, owner, "double"), string.Format(f.Body, owner)), f.Domain());
        }

        foreach (var owner in f.FloatClasses)
        {
            yield return new GradientCase(Name(owner, f.Name), GradientCase.Declare("float", Name(owner, f.Name), string.Format(f.Parameters, owner, "float"), string.Format(f.Body, owner)), f.Domain());
        }
    }

    private static string Name(string owner, string function) => char.ToUpperInvariant(owner[0]) + owner.Substring(1) + function;

    private static readonly CaseSet Set = GradientCase.ToCaseSet("BuiltinFunctions", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, Array.Find(Cases, c => c.Name == name)!);

    [Fact]
    public void Double_methods_that_Math_has_are_emitted_through_Math()
    {
        // double.Exp is Math.Exp: emitted through Math, so that the text also compiles where double lacks Exp.
        Assert.Contains("global::System.Math.Exp(x)", Set.Get("DoubleExp").Describe(), StringComparison.Ordinal);
        Assert.Contains("global::System.MathF.Sin(x)", Set.Get("FloatSin").Describe(), StringComparison.Ordinal);
        Assert.Contains("global::System.Math.Clamp(x, lo, hi)", Set.Get("FloatClamp").Describe(), StringComparison.Ordinal);

        // Methods that only double and float have stay there.
        Assert.Contains("double.ExpM1(x)", Set.Get("DoubleExpM1").Describe(), StringComparison.Ordinal);
        Assert.Contains("float.Hypot(x, y)", Set.Get("FloatHypot").Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ScaleB_scales_the_gradient_exactly()
    {
        // d/dx [ScaleB(x, n) * x + ScaleB(x, -n)] = 2^(n+1) x + 2^-n, exact in binary floating point.
        var result = Set.Get("MathScaleB").InvokeBackward(new object?[] { 0.75, 3 });
        Assert.Equal(new[] { (16 * 0.75) + 0.125 }, result.Gradients);
    }

    [Fact]
    public void Double_Floor_is_a_constant_to_the_gradient()
    {
        using var program = TestCompiler.CompileAndLoad(
            """
            using AutoGrad;

            namespace Floors
            {
                public static partial class C
                {
                    [Differentiable]
                    public static double F(double x) => x * double.Floor(x) + float.Round((float)x);
                }
            }
            """);
        var result = program.Method("Floors.C", "F").InvokeBackward(new object?[] { 2.5 });
        Assert.Equal(new[] { 2.0 }, result.Gradients);
    }
}
