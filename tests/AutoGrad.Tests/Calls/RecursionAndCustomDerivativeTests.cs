using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Calls;

/// <summary>
/// Calls differentiated through a pullback: direct and mutual recursion (the recursive call's reverse pass
/// calls the generated Backward), and user-declared derivatives ([DerivativeOf]) in the same type and in
/// another type; each gradient against finite differences.
/// </summary>
public class RecursionAndCustomDerivativeTests
{
    private static GradientCase Case(string name, string helpers, string returnType, string parameters, string body, Domain? domain = null) =>
        new(name, helpers + "\n\n" + GradientCase.Declare(returnType, name, parameters, body), domain ?? new Domain());

    private static readonly GradientCase[] Cases =
    {
        GradientCase.Double("RecursiveHorner", "double x, int n", "if (n == 0) return 1.0;\nreturn 1.0 + x * RecursiveHorner(x, n - 1);", new Domain().Fix("n", 5)),
        GradientCase.Double("RecursivePower", "double x, int n", "return n <= 0 ? 1.0 : x * RecursivePower(x, n - 1);", new Domain().Fix("n", 4)),
        Case(
            "MutualRecursion",
            "[Differentiable]\npublic static double Even1(double x, int n) => n == 0 ? Math.Cos(x) : Odd1(x * 0.9, n - 1) + x;\n[Differentiable]\npublic static double Odd1(double x, int n) => n == 0 ? Math.Sin(x) : Even1(x * x * 0.5, n - 1) * 2;",
            "double",
            "double x",
            "return Even1(x, 5);",
            new Domain(-1, 1)),
        Case(
            "RecursiveCalledFromHelper",
            "[Differentiable]\npublic static double Fib2(double a, double b, int n) => n == 0 ? a : Fib2(b, a + b * 0.5, n - 1);\nstatic double Wrap2(double x) => Fib2(x, x * x, 6) * 0.1;",
            "double",
            "double x",
            "return Wrap2(x) + Wrap2(2 * x);"),
        Case(
            "RecursiveInLoop",
            string.Empty,
            "double",
            "double x, int n",
            "double s = 0;\nfor (int i = 0; i < n; i++)\n{\n    s += RecursivePower(x + i * 0.1, i);\n}\nreturn s;",
            new Domain().Fix("n", 4)),
        Case(
            "CustomDerivativeSameType",
            "public static double Softplus4(double x)\n{\n    // Stable on both sides: branches the user wants treated as one smooth function.\n    if (x > 0) return x + Math.Log(1 + Math.Exp(-x));\n    return Math.Log(1 + Math.Exp(x));\n}\n\n[DerivativeOf(nameof(Softplus4))]\npublic static double Softplus4Derivative(double x, out double dX, double seed)\n{\n    dX = seed / (1 + Math.Exp(-x));\n    return Softplus4(x);\n}",
            "double",
            "double x, double y",
            "return Softplus4(x * y) + x;",
            new Domain(-1.5, 1.5)),
        Case(
            "CustomDerivativeOtherType",
            "public static class Special5\n{\n    public static double NormalCdf(double x, [NoGrad] double scale) => 0.5 * (1 + Math.Tanh(0.7978845608 * (x + 0.044715 * x * x * x))) * scale;\n}\n\n[DerivativeOf(typeof(Special5), nameof(Special5.NormalCdf))]\ninternal static double NormalCdfDerivative5(double x, double scale, out double dX, double seed)\n{\n    double u = 0.7978845608 * (x + 0.044715 * x * x * x);\n    double th = Math.Tanh(u);\n    dX = seed * 0.5 * (1 - th * th) * 0.7978845608 * (1 + 3 * 0.044715 * x * x) * scale;\n    return Special5.NormalCdf(x, scale);\n}",
            "double",
            "double s, double sigma",
            "return s * Special5.NormalCdf(sigma * 2, 3.0) - Special5.NormalCdf(s, 1.0);"),
        Case(
            "CustomDerivativeWinsOverSource",
            "public static double Wobbly6(double x) => x * x;\n\n[DerivativeOf(nameof(Wobbly6))]\npublic static double Wobbly6Derivative(double x, out double dX, double seed)\n{\n    dX = seed * 2 * x;\n    return Wobbly6(x);\n}",
            "double",
            "double x",
            "return Wobbly6(x) * Wobbly6(x + 1);"),
        Case(
            "CustomDerivativeFloat",
            "public static float Sq7(float x) => x * x;\n\n[DerivativeOf(nameof(Sq7))]\npublic static float Sq7Derivative(float x, out float dX, float seed)\n{\n    dX = seed * 2 * x;\n    return x * x;\n}",
            "float",
            "float x",
            "return Sq7(x) + x;"),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("RecursionCases", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, System.Array.Find(Cases, c => c.Name == name)!);

    private static readonly ArrayCase[] ArrayCases =
    {
        ArrayCase.Double("TreeSum", "double[] v", "return TreeSum3(v, 0, v.Length) + TreeSum3(v, 1, 3);", new ArrayDomain().Length("v", 7))
            with { Helpers = "[Differentiable]\npublic static double TreeSum3(double[] v, int lo, int hi)\n{\n    if (hi - lo == 1) return v[lo] * v[lo];\n    int mid = (lo + hi) / 2;\n    return TreeSum3(v, lo, mid) + TreeSum3(v, mid, hi);\n}" },
        ArrayCase.Double("Determinant", "double[] m", "return Det4(m, 3);", new ArrayDomain().Length("m", 9))
            with
            {
                Helpers = @"[Differentiable]
public static double Det4(double[] m, int n)
{
    if (n == 1) return m[0];
    double det = 0;
    var minor = new double[(n - 1) * (n - 1)];
    double sign = 1;
    for (int col = 0; col < n; col++)
    {
        for (int r = 1; r < n; r++)
        {
            int k = 0;
            for (int c = 0; c < n; c++)
            {
                if (c == col) continue;
                minor[(r - 1) * (n - 1) + k] = m[r * n + c];
                k++;
            }
        }

        det += sign * m[col] * Det4(minor, n - 1);
        sign = -sign;
    }

    return det;
}",
            },
        ArrayCase.Double("RecursionOverAStaticTable", "double[] w", "return Weighted6(Table6, w, 0);", new ArrayDomain().Length("w", 4))
            with { Helpers = "public static readonly double[] Table6 = { 0.5, -1.0, 2.0, 0.25 };\n\n[Differentiable]\npublic static double Weighted6(double[] t, double[] w, int i) => i == w.Length ? 0.0 : t[i] * w[i] * w[i] + Weighted6(t, w, i + 1);" },
        ArrayCase.Double("RecursiveHornerOverCoefficients", "double[] c, double x", "return Horner5(c, x, 0);", new ArrayDomain().Length("c", 5))
            with { Helpers = "[Differentiable]\npublic static double Horner5(double[] c, double x, int i) => i == c.Length - 1 ? c[i] : c[i] + x * Horner5(c, x, i + 1);" },
    };

    private static readonly ArrayCaseSet ArraySet = new("RecursionArrayCases", ArrayCases);

    public static IEnumerable<object[]> ArrayNames => ArrayCase.Names(ArrayCases);

    [Theory]
    [MemberData(nameof(ArrayNames))]
    public void Array_gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(ArraySet, name);

    [Fact]
    public void A_custom_derivative_named_through_a_using_alias_is_found()
    {
        using var program = TestCompiler.CompileAndLoad("""
            using System;
            using AutoGrad;
            using Deriv = AutoGrad.DerivativeOfAttribute;

            namespace Aliased
            {
                public static partial class M
                {
                    public static double Sq(double x) => x * x;

                    [Deriv(nameof(Sq))]
                    public static double SqDerivative(double x, out double dX, double seed) { dX = seed * 3 * x; return x * x; }

                    [Differentiable]
                    public static double F(double x) => Sq(x);
                }
            }
            """);
        Assert.Equal(6.0, program.Method("Aliased.M", "F").InvokeBackward(new object?[] { 2.0 }).Gradients[0]);
    }

    [Fact]
    public void A_custom_derivative_of_a_math_function_wins_over_the_rule_table()
    {
        // The registry looks for a declared derivative before the built-in rules: a deliberately different
        // slope (7) shows which one the generated code uses. double.Tanh is another method: it keeps its rule.
        var set = new CaseSet("CustomOverBuiltin", new Dictionary<string, string>
        {
            ["F"] = "[DerivativeOf(typeof(Math), nameof(Math.Tanh))]\npublic static double TanhDerivative(double x, out double dX, double seed)\n{\n    dX = seed * 7;\n    return Math.Tanh(x);\n}\n\n[Differentiable]\npublic static double F(double x) => Math.Tanh(x) + double.Tanh(x);",
        });
        double t = System.Math.Tanh(0.3);
        Assert.Equal(7.0 + (1 - t * t), set.Get("F").InvokeBackward(new object?[] { 0.3 }).Gradients[0], 12);
    }

    [Fact]
    public void The_custom_derivative_is_the_one_called()
    {
        // A derivative that is deliberately wrong (3x instead of 2x) shows that the user's method, not the
        // body, gives the gradient.
        var set = new CaseSet("CustomIsUsed", new Dictionary<string, string>
        {
            ["F"] = "public static double Sq(double x) => x * x;\n\n[DerivativeOf(nameof(Sq))]\npublic static double SqDerivative(double x, out double dX, double seed)\n{\n    dX = seed * 3 * x;\n    return x * x;\n}\n\n[Differentiable]\npublic static double F(double x) => Sq(x);",
        });
        var result = set.Get("F").InvokeBackward(new object?[] { 2.0 });
        Assert.Equal(6.0, result.Gradients[0]);
    }
}
