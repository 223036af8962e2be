using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Tuples as people write them: deconstruction, swaps (of locals, parameters and array elements), Math.SinCos,
/// Math.DivRem, tuple locals with named and ItemN elements (assigned whole or by element, in branches and
/// loops), nested tuples, discards, and helpers that return tuples; in double and float.
/// </summary>
public class TupleGradientTests
{
    private const string ToPolar = """
        private static (double r, double theta) ToPolar(double x, double y) =>
            (Math.Sqrt(x * x + y * y), Math.Atan2(y, x));
        """;

    private const string Sorted = """
        static (double Low, double High) Sorted(double a, double b)
        {
            if (a < b) return (a, b);
            return (b, a);
        }
        """;

    private const string SplitFloat = """
        static (float, float) Split(float v)
        {
            float sq = v * v;
            return (sq, sq + v + 1f);
        }
        """;

    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double("DeconstructALiteral", "double x, double y", "var (a, b) = (x * y, x - y);\nreturn a * Math.Sin(b);"),
        ArrayCase.Double("DeconstructWithTypes", "double x,double y", "(double a,  double  b) = ( x * x , y );\nreturn a/(1 + b*b);"),
        ArrayCase.Float(
            "SwapInALoop",
            "float x, float y, int n",
            "float a = x, b = y;\nfor (int i = 0; i < n; i++)\n{\n    (a, b) = (b, a * 0.5f + b);\n}\nreturn a * b;",
            new ArrayDomain(-1, 1).Fix("n", 4)),
        ArrayCase.Double("SwapParameters", "double x, double y", "(x, y) = (y, x);\nreturn x * x * y;"),
        ArrayCase.Double("SinCos", "double r, double theta", "var (s, c) = Math.SinCos(theta);\nreturn r * c + r * s * s;"),
        ArrayCase.Float("SinCosFloat", "float r, float t", "(float s, float c) = MathF.SinCos(t * r);\nreturn s - c * r;"),
        ArrayCase.Double("SinCosInATupleLocal", "double x, double y", "var sc = Math.SinCos(x);\nreturn sc.Sin * y + sc.Cos;"),
        ArrayCase.Double("ElementOfACall", "double x", "return Math.SinCos(2 * x).Cos * x;"),
        ArrayCase.Double(
            "NamedTupleLocalAssignedByElement",
            "double x, double y",
            "(double lo, double hi) range = (Math.Min(x, y), Math.Max(x, y));\nrange.hi += 1;\nrange.lo = range.lo * 2;\nreturn range.lo * range.hi;",
            new ArrayDomain().Where(p => Math.Abs(p["x"] - p["y"]) > 0.05)),
        ArrayCase.Double(
            "TupleLocalCarriedByALoop",
            "double x, double y",
            "var p = (x, y);\nfor (int i = 0; i < 3; i++)\n    p = (p.Item2, p.Item1 * 0.5 + p.Item2);\nreturn p.Item1 - p.Item2 * x;"),
        ArrayCase.Double(
            "TupleLocalAssignedInBranches",
            "double x, double y",
            "(double a, double b) t;\nif (x > 0) t = (x, y);\nelse t = (y, -x);\nreturn t.a * t.b + t.Item1;",
            new ArrayDomain().Where(p => Math.Abs(p["x"]) > 0.05)),
        ArrayCase.Double("Nested", "double x, double y", "var (a, (b, c)) = (x, (y, x * y));\nvar t = (a, (b, c));\nreturn a * b + c * t.Item2.Item1;"),
        ArrayCase.Double("Discard", "double x, double y", "var (q, _) = (x * x, Math.Log(y));\nreturn q * y;", new ArrayDomain(0.2, 2)),
        ArrayCase.Double(
            "DivRem",
            "double x, double y, int n",
            "int q = Math.DivRem(n, 3, out int r);\nvar (q2, r2) = Math.DivRem(n, 4);\nreturn x * q + y * r + x * y * (q2 + r2);",
            new ArrayDomain().Fix("n", 11)),
        ArrayCase.Double(
            "SwapArrayElements",
            "double x, double y",
            "var v = new double[3];\nv[0] = x; v[1] = y; v[2] = x * y;\n(v[0], v[2]) = (v[2], v[0]);\nreturn v[0] * 2 + v[2] * v[2] - v[1];"),
        ArrayCase.Double(
            "SwapConstantArrayElements",
            "double x, double y",
            "var c = new double[2];\nc[0] = 1; c[1] = 2;\n(c[0], c[1]) = (c[1], c[0]);\nreturn x * c[0] + y * y * c[1];"),
        ArrayCase.Double(
            "BubblePassWithSwaps",
            "double[] w",
            "var v = new double[4];\nfor (int i = 0; i < 4; i++) v[i] = w[i] * w[i] - w[i];\nfor (int i = 0; i < 3; i++)\n    if (v[i] > v[i + 1]) (v[i], v[i + 1]) = (v[i + 1], v[i]);\nreturn v[3] + 0.5 * v[0];",
            new ArrayDomain(-1, 1).Length("w", 4)),
        // An in-place sort written on an explicit local copy (what AG0016 once advised; still the way to leave the caller's array unchanged).
        ArrayCase.Double(
            "InPlaceSortOnACopyAsAG0016Advises",
            "double[] x",
            "var a = new double[x.Length];\nfor (int i = 0; i < a.Length; i++) a[i] = x[i];\nfor (int i = 1; i < a.Length; i++)\n    for (int j = i; j > 0 && a[j - 1] > a[j]; j--)\n        (a[j - 1], a[j]) = (a[j], a[j - 1]);\nreturn a[1] + 0.25 * a[0] * a[3];",
            new ArrayDomain().Length("x", 5).Where(p => MinimumGap(p.A("x")) > 0.05)),
        ArrayCase.Double(
            "SwapOfTupleElementsInALoop",
            "double x, double y",
            "var t = (a: x, b: y);\nfor (int i = 0; i < 3; i++)\n{\n    (t.a, t.b) = (t.b, t.a * t.b);\n    if (t.a > t.b) (t.a, t.b) = (t.b, t.a);\n}\nreturn t.a - 0.5 * t.b;",
            new ArrayDomain(0.5, 1.2)),
        ArrayCase.Double(
            "ConditionalOfTuples",
            "double x, double y, bool flip",
            "(double u, double v) = x > y ? (y, x) : (x, y * 2);\nvar (p, q) = flip ? (v, u) : (u, 1.0);\nreturn u * Math.Exp(v) + p * q;",
            new ArrayDomain(-1, 1).Fix("flip", true).Where(p => Math.Abs(p["x"] - p["y"]) > 0.05)),
        ArrayCase.Float(
            "ConditionalOfTuplesFloat",
            "float x, float y",
            "var (lo, hi) = x < y ? (x, y) : (y, x);\nreturn hi * hi - lo;",
            new ArrayDomain(-1, 1).Where(p => Math.Abs(p["x"] - p["y"]) > 0.05)),
        ArrayCase.Double("LiteralItem", "double x, double y", "return (x, y).Item2 * x;"),
        new ArrayCase("HelperReturningATuple", "double", "double x, double y", "var (r, t) = ToPolar(x, y);\nreturn r * Math.Cos(2 * t);", new ArrayDomain(0.3, 2)) { Helpers = ToPolar },
        new ArrayCase("HelperWithEarlyReturn", "double", "double x, double y", "var s = Sorted(x * x, y);\nreturn s.High - 2 * s.Low;", new ArrayDomain().Where(p => Math.Abs(p["x"] * p["x"] - p["y"]) > 0.05)) { Helpers = Sorted },
        new ArrayCase("FloatHelperReturningATuple", "float", "float x", "(float a, float b) = Split(x);\nreturn a * b;", new ArrayDomain(-1, 1)) { Helpers = SplitFloat },
        new ArrayCase(
            "StaticReadonlyTupleTable",
            "double",
            "double x, double y",
            "var (s, (lo, hi)) = Config;\nreturn Math.Clamp(x * s, lo, hi) + Config.Range.Hi * y + Config.Item1 * Config.Range.Item1;",
            new ArrayDomain().Where(p => Math.Abs(p["x"] + 0.5) > 0.05 && Math.Abs(p["x"] - 1.5) > 0.05))
        {
            Helpers = "static readonly (double Scale, (double Lo, double Hi) Range) Config = (2.0, (-1.0, 3.0));",
        },
        new ArrayCase("StaticTupleFieldFloat", "float", "float x", "return Weights.Item1 * x + Weights.Item2 * x * x;", new ArrayDomain(-1, 1))
        {
            Helpers = "static readonly (float, float) Weights = (0.5f, 2f);",
        },
        new ArrayCase("HelperInALoop", "double", "double[] xs, double y", "double s = 0;\nfor (int i = 0; i < xs.Length; i++)\n{\n    var (r, theta) = ToPolar(xs[i], y);\n    s += r * theta;\n}\nreturn s;", new ArrayDomain(0.3, 2).Length("xs", 3)) { Helpers = ToPolar },
    };

    private static double MinimumGap(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return Enumerable.Range(1, sorted.Length - 1).Min(i => sorted[i] - sorted[i - 1]);
    }

    private static readonly ArrayCaseSet Set = new("Tuples", Cases);

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Theory]
    [InlineData("var t = (x, new object());\nreturn x + t.Item1;", "AG0009")]
    [InlineData("var (a, b) = Pair(x);\nreturn a + b;", "AG0018")]
    [InlineData("(double, double) t = (x, x);\nreturn Use(t);", "AG0011")]
    public void Tuples_the_generator_cannot_follow_get_one_diagnostic(string body, string id)
    {
        var source = "using System;\nusing AutoGrad;\npublic static partial class C\n{\n"
            + "    public static (double, double) Pair(double v) { try { return (v, v); } finally { } }\n"
            + "    public static double Use((double, double) t) => t.Item1;\n"
            + "    [Differentiable]\n    public static double F(double x)\n    {\n" + body + "\n    }\n}\n";
        var (diagnostics, exceptions) = AnalyzerRunner.Run(TestCompiler.CreateCompilation(source));
        Assert.Empty(exceptions);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
    }
}
