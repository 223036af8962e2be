using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Loops (for, while, do, foreach) over array and span parameters, checked element by element against finite
/// differences with <see cref="ArrayGradientChecker"/>: carried scalars, nested loops, branches in loops and
/// loops in branches, running maxima, index arithmetic, int label arrays, float and span element types,
/// [NoGrad] arrays, and loops that run 0, 1 or 1000 times.
/// </summary>
public class LoopGradientTests
{
    /// <summary>Every element of every named array at least <paramref name="gap"/> from <paramref name="kink"/>.</summary>
    private static Func<ArrayPoint, bool> AwayFrom(double kink, double gap, params string[] arrays) =>
        p => arrays.All(a => p.A(a).All(v => Math.Abs(v - kink) > gap));

    /// <summary>Every two elements of the array at least <paramref name="gap"/> apart (no ties for a running max).</summary>
    private static Func<ArrayPoint, bool> Distinct(string array, double gap = 0.05) =>
        p =>
        {
            var v = p.A(array);
            for (int i = 0; i < v.Length; i++)
                for (int j = i + 1; j < v.Length; j++)
                    if (Math.Abs(v[i] - v[j]) < gap) return false;
            return true;
        };

    private static readonly ArrayCase[] Cases =
    {
        // ---------------- the four loop forms ----------------
        ArrayCase.Double("ForSumOfSquares", "double[] x", "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] * x[i];\nreturn s;"),
        ArrayCase.Double(
            "ForWithBracesAndLocal",
            "double[] x, double y",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double t = x[i] * y;\n    s += Math.Sin(t) * x[i];\n}\nreturn s;"),
        ArrayCase.Double("While", "double[] x", "double s = 0;\nint i = 0;\nwhile (i < x.Length)\n{\n    s += Math.Sin(x[i]) * x[i];\n    i++;\n}\nreturn s;"),
        ArrayCase.Double(
            "DoWhile",
            "double[] x",
            "double p = 1;\nint i = 0;\ndo\n{\n    p *= 1 + x[i] * x[i];\n    i++;\n}\nwhile (i < x.Length);\nreturn Math.Log(p);",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double("Foreach", "double[] x", "double s = 0;\nforeach (var v in x) s += v * v * v;\nreturn s;"),
        ArrayCase.Double("ForeachExplicitType", "double[] x, double a", "double s = 0;\nforeach (double v in x)\n{\n    s = s * a + v;\n}\nreturn s * a;"),
        ArrayCase.Double("ForeachReadOnlySpan", "ReadOnlySpan<double> x, double a", "double s = 0;\nforeach (double v in x) s = s * a + Math.Cos(v);\nreturn s * s;"),
        ArrayCase.Double("ForeachSpan", "Span<double> x", "double s = 1;\nforeach (var v in x) s *= 1.5 + Math.Sin(v);\nreturn s * s;"),
        ArrayCase.Double("NestedForeach", "double[] x, double[] y", "double s = 0;\nforeach (var a in x)\n    foreach (var b in y)\n        s += a * b * b;\nreturn s;", new ArrayDomain().Length("y", 3)),
        ArrayCase.Double("ReverseFor", "double[] x", "double s = 0;\nfor (int i = x.Length - 1; i >= 0; i--) s = s * 0.5 + x[i] * x[i];\nreturn s;"),
        ArrayCase.Double("StepTwo", "double[] x", "double s = 0;\nfor (int i = 0; i < x.Length; i += 2) s += x[i] * x[i + 1];\nreturn s;", new ArrayDomain().Length("x", 6)),
        ArrayCase.Double(
            "CounterChangedInBody",
            "double[] x",
            "double s = 0;\nint i = 0;\nwhile (i < x.Length)\n{\n    s += x[i] * (i + 1);\n    i += 1 + (i % 2);\n}\nreturn s * s;",
            new ArrayDomain().Length("x", 7)),
        ArrayCase.Double("ForWithOuterCounter", "double[] x", "double s = 0;\nint i;\nfor (i = 0; i < x.Length; i++) s += x[i];\nreturn s * i;"),

        // ---------------- nested loops and index arithmetic ----------------
        ArrayCase.Double(
            "Nested2TransposeProduct",
            "double[] w, int n, int m",
            "double s = 0;\nfor (int i = 0; i < n; i++)\n    for (int j = 0; j < m; j++)\n        s += w[i * m + j] * w[j * n + i];\nreturn s;",
            new ArrayDomain().Fix("n", 2).Fix("m", 3).Length("w", 6)),
        ArrayCase.Double(
            "Nested3",
            "double[] a, int n",
            "double s = 0;\nfor (int i = 0; i < n; i++)\n{\n    for (int j = 0; j < n; j++)\n    {\n        for (int k = 0; k < n; k++)\n        {\n            s += a[i] * a[j] * a[k] / (1 + i + j + k);\n        }\n    }\n}\nreturn s;",
            new ArrayDomain().Fix("n", 3).Length("a", 3)),
        ArrayCase.Double(
            "Nested3WithCarriedPerLevel",
            "double[] a, double x",
            "double total = 0;\nfor (int i = 0; i < 2; i++)\n{\n    double row = 0;\n    for (int j = 0; j < 2; j++)\n    {\n        double cell = 1;\n        for (int k = 0; k < 2; k++) cell = cell * x + a[(i * 2 + j) * 2 + k];\n        row += cell * cell;\n    }\n    total += Math.Sqrt(row + 1);\n}\nreturn total;",
            new ArrayDomain().Length("a", 8)),
        ArrayCase.Double("Triangular", "double[] x", "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n    for (int j = 0; j <= i; j++)\n        s += x[i] * x[j];\nreturn s;", new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "SameElementManyTimes",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] * x[i] + x[0] * x[i] + x[x.Length - 1 - i] * x[i] * x[i];\nreturn s;"),
        ArrayCase.Double(
            "IntLocalIndex",
            "double[] x",
            "double s = 0;\nint j = x.Length - 1;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += x[i] * x[j] * (x.Length - i);\n    j--;\n}\nreturn s;"),
        ArrayCase.Double("IndexConversions", "double[] x", "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] * i + (double)i / x.Length * x[i] * x[i];\nreturn s;"),
        ArrayCase.Double(
            "LabelIndices",
            "double[] z, int[] labels",
            "double s = 0;\nfor (int i = 0; i < labels.Length; i++) s += z[labels[i]] * z[labels[(i + 1) % labels.Length]] - z[labels[i]];\nreturn s;",
            new ArrayDomain().Fix("labels", new[] { 0, 2, 2, 1, 3 }).Length("z", 5)),

        // ---------------- branches in loops, loops in branches ----------------
        ArrayCase.Double(
            "IfWithoutElseInLoop",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    if (x[i] > 0) s += x[i] * x[i];\n}\nreturn s;",
            new ArrayDomain().Length("x", 6).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "IfElseInLoop",
            "double[] x, double y",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    if (x[i] > y)\n    {\n        s += x[i] * y;\n    }\n    else\n    {\n        s -= Math.Exp(x[i]) * 0.5;\n    }\n}\nreturn s;",
            new ArrayDomain().Length("x", 6).Where(p => p.A("x").All(v => Math.Abs(v - p["y"]) > 0.05))),
        ArrayCase.Double(
            "IfOnIndexInLoop",
            "double[] x",
            "double s = 1;\nfor (int i = 0; i < x.Length; i++)\n{\n    if (i % 2 == 0) s += x[i];\n    else s *= 1 + 0.1 * x[i];\n}\nreturn s * s;",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "ElseIfChainInLoop",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double v = x[i];\n    if (v < -1) s += v * v;\n    else if (v < 1) s += Math.Sin(v);\n    else s += Math.Log(v) * s;\n}\nreturn 2 * s;",
            new ArrayDomain(-3, 3).Length("x", 6).Where(p => p.A("x").All(v => Math.Abs(v - 1) > 0.05 && Math.Abs(v + 1) > 0.05))),
        ArrayCase.Double(
            "LoopInsideBranch",
            "double[] x, double y",
            "double s = y;\nif (y > 0)\n{\n    for (int i = 0; i < x.Length; i++) s += x[i] * y;\n}\nelse\n{\n    s = y * y;\n}\nreturn s * s;",
            new ArrayDomain().Where(p => Math.Abs(p["y"]) > 0.05)),
        ArrayCase.Double(
            "EarlyReturnBeforeLoop",
            "double[] x, double y",
            "if (y < 0) return y * y * x[0];\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] * y;\nreturn s;",
            new ArrayDomain().Where(p => Math.Abs(p["y"]) > 0.05)),
        ArrayCase.Double(
            "EarlyReturnAfterLoop",
            "double[] x, double y",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i];\nif (s > 0) return s * y;\nreturn -s * y * y;",
            new ArrayDomain().Where(p => Math.Abs(p.A("x").Sum()) > 0.05)),
        ArrayCase.Double(
            "ReturnInBranchThenLoops",
            "double[] x, double y",
            "double s = y;\nif (y > 1)\n{\n    return s * x[1];\n}\nfor (int i = 0; i < x.Length; i++) s = s * x[i] + 1;\nif (s > 0)\n{\n    for (int i = 0; i < x.Length; i++) s += x[i];\n}\nreturn s;",
            new ArrayDomain(-1, 1).Range("y", -1.5, 1.5).Length("x", 3).Where(p => Math.Abs(p["y"] - 1) > 0.05)
                .Where(p => { double s = p["y"]; foreach (var v in p.A("x")) s = s * v + 1; return Math.Abs(s) > 0.05; })),
        ArrayCase.Double(
            "ConditionalOperatorInLoop",
            "double[] x, double y",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] > 0 ? x[i] * y : y / (1 + x[i] * x[i]);\nreturn s;",
            new ArrayDomain().Length("x", 6).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "BoolLocalToggled",
            "double[] x",
            "double s = 0;\nbool flip = false;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += flip ? x[i] * x[i] : -x[i];\n    flip = !flip;\n}\nreturn s;",
            new ArrayDomain().Length("x", 5)),

        // ---------------- carried scalars ----------------
        ArrayCase.Double("HornerCarried", "double[] c, double x", "double r = 0;\nfor (int i = 0; i < c.Length; i++) r = r * x + c[i];\nreturn 3 * r;"),
        ArrayCase.Double(
            "SeveralCarried",
            "double[] c, double x0",
            "double a = x0;\ndouble b = 1;\nfor (int i = 0; i < c.Length; i++)\n{\n    double na = a * c[i] + b;\n    b = a - b * 0.5;\n    a = na;\n}\nreturn a * b;"),
        ArrayCase.Double(
            "SwapInLoop",
            "double[] w, double p, double q, int n",
            "double a = p;\ndouble b = q;\nfor (int i = 0; i < n; i++)\n{\n    double t = a;\n    a = b;\n    b = t;\n    a = a * w[i] + 0.5 * b;\n}\nreturn a - 2 * b;",
            new ArrayDomain().Fix("n", 5).Length("w", 5)),
        ArrayCase.Double(
            "ParameterCarried",
            "double[] x, double y",
            "for (int i = 0; i < x.Length; i++) y = y * x[i] + 1;\nreturn y * y;"),
        ArrayCase.Double(
            "PowerCarried",
            "double[] c, double t",
            "double s = 0;\ndouble p = 1;\nfor (int i = 0; i < c.Length; i++)\n{\n    s += c[i] * p;\n    p *= t;\n}\nreturn s;"),
        ArrayCase.Double("OnlyLastSurvives", "double[] x", "double last = 0;\nfor (int i = 0; i < x.Length; i++) last = x[i] * 2;\nreturn last * last;"),
        ArrayCase.Double(
            "CompoundAssignmentsInLoop",
            "double[] x, double y",
            "double s = y;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += x[i];\n    s -= 0.25 * x[i] * x[i];\n    s *= 1 + 0.1 * x[i];\n    s /= 1 + y * y;\n}\nreturn s;"),
        ArrayCase.Double(
            "IncrementedDoubleInLoop",
            "double[] x, double y",
            "double c = y;\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    c++;\n    s += x[i] * c;\n    c *= 0.9;\n}\nreturn s;"),
        ArrayCase.Double(
            "MeanThenVariance",
            "double[] x",
            "double mean = 0;\nfor (int i = 0; i < x.Length; i++) mean += x[i];\nmean /= x.Length;\ndouble v = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double d = x[i] - mean;\n    v += d * d;\n}\nreturn v / x.Length;",
            new ArrayDomain().Length("x", 6)),
        ArrayCase.Double(
            "MathInLoop",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += Math.Exp(-x[i] * x[i]) + Math.Tanh(x[i]) * Math.Sqrt(1 + x[i] * x[i]);\n    s += Math.Pow(Math.Abs(x[i]) + 1, 1.5) + Math.Atan2(x[i], 2) + Math.Log(2 + Math.Cos(x[i]));\n}\nreturn s;",
            new ArrayDomain().Where(AwayFrom(0, 0.05, "x"))),

        // ---------------- running maxima and minima ----------------
        ArrayCase.Double(
            "RunningMaxMath",
            "double[] z",
            "double m = double.NegativeInfinity;\nfor (int i = 0; i < z.Length; i++) m = Math.Max(m, z[i]);\nreturn m * m + m;",
            new ArrayDomain().Length("z", 5).Where(Distinct("z"))),
        ArrayCase.Double(
            "RunningMaxIf",
            "double[] z",
            "double m = double.NegativeInfinity;\nfor (int i = 0; i < z.Length; i++)\n{\n    if (z[i] > m) m = z[i];\n}\nreturn Math.Exp(m);",
            new ArrayDomain().Length("z", 5).Where(Distinct("z"))),
        ArrayCase.Double(
            "RunningMaxConditional",
            "double[] z",
            "double m = z[0];\nforeach (var v in z) m = v > m ? v : m;\nreturn m * 3;",
            new ArrayDomain().Length("z", 5).Where(Distinct("z"))),
        ArrayCase.Double(
            "RunningMinFromMaxValue",
            "double[] z",
            "double m = double.MaxValue;\nfor (int i = 0; i < z.Length; i++) m = Math.Min(m, z[i] * z[i]);\nreturn 2 * m;",
            new ArrayDomain().Length("z", 4).Where(p => { var sq = p.A("z").Select(v => v * v).OrderBy(v => v).ToArray(); return sq[1] - sq[0] > 0.05; })),
        ArrayCase.Double(
            "ArgMaxIntLocal",
            "double[] z, double y",
            "int best = 0;\nfor (int i = 1; i < z.Length; i++)\n{\n    if (z[i] > z[best]) best = i;\n}\nreturn z[best] * y + z[0];",
            new ArrayDomain().Length("z", 5).Where(Distinct("z"))),

        // ---------------- 0, 1 and many iterations ----------------
        ArrayCase.Double("ZeroIterationsFor", "double[] x, double y, int n", "double s = y;\nfor (int i = 0; i < n; i++) s *= x[i];\nreturn s * y;", new ArrayDomain().Fix("n", 0)),
        ArrayCase.Double("OneIterationFor", "double[] x, double y, int n", "double s = y;\nfor (int i = 0; i < n; i++) s *= x[i];\nreturn s * y;", new ArrayDomain().Fix("n", 1)),
        ArrayCase.Double("ZeroIterationsWhile", "double[] x, double y", "double s = y;\nint i = 5;\nwhile (i < x.Length) { s += x[i]; i++; }\nreturn s * s;", new ArrayDomain().Length("x", 3)),
        ArrayCase.Double("ForeachOverEmpty", "double[] x, double y", "double s = y;\nforeach (var v in x) s *= v;\nreturn s * s;", new ArrayDomain().Length("x", 0)),
        ArrayCase.Double("DoWhileRunsOnce", "double[] x", "double s = 0;\nint i = 0;\ndo\n{\n    s += x[i] * x[i] * 3;\n    i++;\n}\nwhile (i < 0);\nreturn s;", new ArrayDomain().Length("x", 2)),
        ArrayCase.Double(
            "ThousandIterations",
            "double[] w, double x",
            "double s = 0;\ndouble r = x;\nfor (int i = 0; i < 1000; i++)\n{\n    r = r * 0.999 + Math.Sin(r) * 0.001;\n    s += r * w[i % w.Length];\n}\nreturn s / 1000;",
            new ArrayDomain().Length("w", 7)),
        ArrayCase.Double(
            "ThousandElements",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double t = Math.Tanh(x[i]);\n    s += t * t * (1 + i % 3);\n}\nreturn s;",
            new ArrayDomain().Length("x", 1000)),
        ArrayCase.Double(
            "ThousandIterationsScalarOnly",
            "double x, double y, int n",
            "for (int i = 0; i < n; i++) x = x + 0.001 * Math.Sin(x) * y;\nreturn x * x;",
            new ArrayDomain().Fix("n", 1000)),

        // ---------------- loop conditions that depend on a differentiable value ----------------
        ArrayCase.Double(
            "WhileOnDifferentiableValue",
            "double x",
            "while (x < 10) x *= 1.5;\nreturn x;",
            new ArrayDomain(0.5, 9).Where(p => Enumerable.Range(0, 12).All(k => Math.Abs(p["x"] - (10 / Math.Pow(1.5, k))) > 0.02))),
        ArrayCase.Double(
            "WhileSumBelowThreshold",
            "double[] w, double x",
            "double s = x;\nint i = 0;\nwhile (s < 5 && i < 50)\n{\n    s = s * 1.2 + w[i % w.Length] * w[i % w.Length];\n    i++;\n}\nreturn s;",
            new ArrayDomain(0.2, 1).Length("w", 3).Where(p =>
            {
                // away from the threshold at every iteration the loop takes
                var w = p.A("w");
                double s = p["x"];
                for (int i = 0; i < 50; i++)
                {
                    if (Math.Abs(s - 5) < 0.02) return false;
                    if (s >= 5) break;
                    s = (s * 1.2) + (w[i % w.Length] * w[i % w.Length]);
                }

                return true;
            })),
        ArrayCase.Double(
            "DoWhileOnDifferentiableValue",
            "double x",
            "int k = 0;\ndo\n{\n    x = x * x + 0.1;\n    k++;\n}\nwhile (x < 5 && k < 20);\nreturn Math.Sqrt(x);",
            new ArrayDomain(0.5, 2).Where(p =>
            {
                double x = p["x"];
                for (int k = 0; k < 20; k++)
                {
                    x = (x * x) + 0.1;
                    if (Math.Abs(x - 5) < 0.05) return false;
                    if (x >= 5) break;
                }

                return true;
            })),

        // ---------------- element types, spans, [NoGrad], mixed parameters ----------------
        ArrayCase.Double("NoGradArray", "double[] w, [NoGrad] double[] x", "double s = 0;\nfor (int i = 0; i < w.Length; i++) s += w[i] * x[i] * w[i];\nreturn s;"),
        ArrayCase.Double(
            "MixedScalarsAndArrays",
            "double a, double[] w, [NoGrad] double b, int n, ReadOnlySpan<double> v, [NoGrad] ReadOnlySpan<double> c",
            "double s = a;\nfor (int i = 0; i < n; i++) s += w[i] * v[i] * b + c[i] * a * w[i];\nreturn s * s;",
            new ArrayDomain().Fix("n", 3).Length("w", 3).Length("v", 4).Length("c", 3)),
        ArrayCase.Double("ReadOnlySpanRosenbrock", "ReadOnlySpan<double> x", "double f = 0;\nfor (int i = 0; i + 1 < x.Length; i++)\n{\n    double a = x[i + 1] - x[i] * x[i];\n    double b = 1 - x[i];\n    f += 100 * a * a + b * b;\n}\nreturn f;"),
        ArrayCase.Double("SpanParameter", "Span<double> x, Span<double> y", "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] * Math.Exp(y[i % y.Length]);\nreturn s;", new ArrayDomain().Length("y", 2)),
        ArrayCase.Double("NoGradSpan", "[NoGrad] ReadOnlySpan<double> data, double k", "double s = 0;\nfor (int i = 0; i < data.Length; i++) s += Math.Exp(k * data[i]);\nreturn Math.Log(s);"),
        ArrayCase.Double("IntSpanLabels", "double[] z, ReadOnlySpan<int> labels", "double s = 0;\nfor (int i = 0; i < labels.Length; i++) s += z[labels[i]] * (i + 1);\nreturn s * s;", new ArrayDomain().Fix("labels", new[] { 3, 0, 3 })),
        ArrayCase.Float("FloatArray", "float[] x, float a", "float s = 0f;\nfor (int i = 0; i < x.Length; i++) s += MathF.Sin(x[i]) * a;\nreturn s;"),
        ArrayCase.Float("FloatReadOnlySpan", "ReadOnlySpan<float> x", "float s = 1f;\nforeach (var v in x) s = s * 0.5f + v * v;\nreturn s;"),
        ArrayCase.Float("FloatNested", "float[] w, int n", "float s = 0f;\nfor (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n        s += w[i * n + j] * w[j] * 0.5f;\nreturn s;", new ArrayDomain().Fix("n", 2).Length("w", 4)),
        ArrayCase.Double("DoubleMethodFloatArray", "float[] x, double y", "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] * (double)x[i] * y;\nreturn s;"),
        ArrayCase.Double("TwoArraysSameLoop", "double[] a, double[] b", "double s = 0;\nfor (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);\nreturn Math.Sqrt(s);"),
        // ---------------- regressions: found by this suite, fixed in 1428120 ----------------
        ArrayCase.Double("ForeachOverIntLabels", "double[] z, int[] labels", "double s = 0;\nforeach (int l in labels) s += z[l] * z[l] - 0.5 * z[l];\nreturn s;", new ArrayDomain().Fix("labels", new[] { 0, 2, 2, 1 })),
        ArrayCase.Double(
            "BranchInLoopInBranch",
            "double[] x, double y",
            "double s = 0;\nif (y > -1)\n{\n    for (int i = 0; i < x.Length; i++)\n    {\n        if (x[i] > 0) s += x[i] * y;\n        else s -= y * y;\n    }\n}\nelse\n{\n    s = y;\n}\nreturn s;",
            new ArrayDomain().Where(p => Math.Abs(p["y"] + 1) > 0.05).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double("ReturnCarriedHorner", "double[] c, double x", "double r = 0;\nfor (int i = 0; i < c.Length; i++) r = r * x + c[i];\nreturn r;"),
        ArrayCase.Double("ReturnCarriedParameter", "double[] x, double y", "for (int i = 0; i < x.Length; i++) y = y * x[i] + 1;\nreturn y;"),
        ArrayCase.Double("ReturnCarriedScalarLoop", "double x, double y, int n", "for (int i = 0; i < n; i++) x = x + 0.1 * Math.Sin(x) * y;\nreturn x;", new ArrayDomain().Fix("n", 3)),
        ArrayCase.Double(
            "ReturnCarriedRunningMin",
            "double[] z",
            "double m = double.MaxValue;\nfor (int i = 0; i < z.Length; i++) m = Math.Min(m, z[i] * z[i]);\nreturn m;",
            new ArrayDomain().Length("z", 4).Where(p => { var sq = p.A("z").Select(v => v * v).OrderBy(v => v).ToArray(); return sq[1] - sq[0] > 0.05; })),
        // ---------------- break and continue ----------------
        ArrayCase.Double(
            "BreakOnDifferentiableValue",
            "double[] x, double y",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    if (s > y) break;\n    s += x[i] * x[i];\n}\nreturn s * y;",
            new ArrayDomain().Length("x", 6).Range("y", 0.5, 4).Where(p =>
            {
                double s = 0;
                foreach (var v in p.A("x"))
                {
                    if (Math.Abs(s - p["y"]) < 0.05) return false;
                    if (s > p["y"]) break;
                    s += v * v;
                }

                return true;
            })),
        ArrayCase.Double(
            "BreakOnIndex",
            "double[] x, int stop",
            "double s = 1;\nint i = 0;\nwhile (true)\n{\n    if (i == stop) break;\n    s = s * x[i] + 1;\n    i++;\n}\nreturn s * s;",
            new ArrayDomain().Length("x", 5).Fix("stop", 3)),
        ArrayCase.Double(
            "ContinueInForeach",
            "double[] x",
            "double s = 0;\nforeach (var v in x)\n{\n    if (v < 0) continue;\n    s += v * v;\n}\nreturn s * s;",
            new ArrayDomain().Length("x", 6).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "ContinueAndBreakInNestedLoops",
            "double[] w, int n",
            "double s = 0;\nfor (int i = 0; i < n; i++)\n{\n    for (int j = 0; j < n; j++)\n    {\n        if (j == i) continue;\n        if (j > i + 1) break;\n        s += w[i * n + j] * w[j];\n    }\n    s *= 0.9;\n}\nreturn s;",
            new ArrayDomain().Fix("n", 3).Length("w", 9)),

        // ---------------- local arrays ----------------
        ArrayCase.Double(
            "LocalArrayPrefixRecurrence",
            "double[] x",
            "double[] p = new double[x.Length];\np[0] = x[0];\nfor (int i = 1; i < x.Length; i++) p[i] = p[i - 1] * 0.5 + x[i] * p[i - 1];\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++) s += p[i] * p[i];\nreturn s;",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "LocalArrayRewrittenInLoops",
            "double[] x, int steps",
            "double[] a = new double[x.Length];\nfor (int i = 0; i < x.Length; i++) a[i] = x[i];\nfor (int t = 0; t < steps; t++)\n    for (int i = 1; i < x.Length; i++) a[i] = a[i] * 0.5 + a[i - 1] * a[i - 1] * 0.25;\ndouble s = 0;\nforeach (var v in a) s += v;\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 4).Fix("steps", 3)),
        ArrayCase.Double(
            "LocalArrayAccumulated",
            "double[] x, [NoGrad] int[] bins",
            "double[] h = new double[3];\nfor (int i = 0; i < x.Length; i++) h[bins[i]] += x[i] * x[i];\nreturn h[0] * h[1] + Math.Exp(h[2]);",
            new ArrayDomain().Length("x", 6).Fix("bins", new[] { 0, 1, 2, 1, 0, 2 })),
        ArrayCase.Double(
            "LocalArrayWrittenInBranch",
            "double[] x",
            "double[] r = new double[x.Length];\nfor (int i = 0; i < x.Length; i++)\n{\n    if (x[i] > 0) r[i] = x[i] * x[i];\n    else r[i] = -x[i];\n}\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++) s += r[i] * (i + 1);\nreturn s;",
            new ArrayDomain().Length("x", 5).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "StackallocSpan",
            "double[] x",
            "Span<double> t = stackalloc double[x.Length];\nfor (int i = 0; i < x.Length; i++) t[i] = Math.Sin(x[i]);\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++) s += t[i] * t[(i + 1) % x.Length];\nreturn s;"),
        ArrayCase.Double(
            "ForeachOverLocalArray",
            "double[] x",
            "double[] t = new double[x.Length];\nfor (int i = 0; i < x.Length; i++) t[i] = x[i] * x[i];\ndouble s = 0;\nforeach (var v in t) s += Math.Sqrt(v + 1);\nreturn s;"),
        ArrayCase.Float(
            "FloatLocalArray",
            "float[] x",
            "float[] t = new float[x.Length];\nfor (int i = 0; i < x.Length; i++) t[i] = x[i] * 0.5f + 1f;\nfloat s = 0f;\nfor (int i = 0; i < x.Length; i++) s += t[i] * t[i] * x[i];\nreturn s;"),
    };

    private static readonly ArrayCaseSet Set = new("Loops", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Zero_iterations_give_zero_array_gradients_and_the_scalar_path()
    {
        var method = Set.Get("ZeroIterationsFor");
        var args = method.Arguments(new[] { 1.5, -2.0, 3.0 }, 0.75, 0);
        var result = method.InvokeBackward(args);
        Assert.Equal(0.75 * 0.75, result.Value);
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, result.Gradients[0]);
        Assert.Equal(new[] { 1.5 }, result.Gradients[1]);
    }

    [Fact]
    public void While_on_a_differentiable_value_multiplies_the_gradient_once_per_iteration_taken()
    {
        var method = Set.Get("WhileOnDifferentiableValue");
        // 2 -> 3 -> 4.5 -> 6.75 -> 10.125: four iterations, gradient 1.5^4.
        var result = method.InvokeBackward(method.Arguments(2.0));
        Assert.Equal(10.125, result.Value);
        Assert.Equal(Math.Pow(1.5, 4), result.Gradients[0][0], 12);
        // Already at or above 10: no iteration, gradient 1.
        result = method.InvokeBackward(method.Arguments(12.0));
        Assert.Equal(1.0, result.Gradients[0][0]);
    }

    [Fact]
    public void Running_max_routes_the_gradient_to_the_largest_element_only()
    {
        foreach (var name in new[] { "RunningMaxMath", "RunningMaxIf", "RunningMaxConditional" })
        {
            var method = Set.Get(name);
            var result = method.InvokeBackward(method.Arguments(new[] { 0.5, -1.0, 2.0, 1.5, -3.0 }));
            var gradient = result.Gradients[0];
            for (int i = 0; i < gradient.Length; i++)
            {
                if (i == 2) Assert.NotEqual(0.0, gradient[i]);
                else Assert.True(gradient[i] == 0.0, name + ": dZ[" + i + "] = " + gradient[i] + "\n" + method.Describe());
            }
        }
    }

    [Fact]
    public void Repeated_labels_accumulate_into_the_same_element()
    {
        var method = Set.Get("IntSpanLabels");
        // s = 1·z3 + 2·z0 + 3·z3 = 4·z3 + 2·z0; f = s²; df/dz3 = 8s, df/dz0 = 4s.
        var z = new[] { 0.5, 9.0, 9.0, 0.75 };
        var result = method.InvokeBackward(method.Arguments(z, new[] { 3, 0, 3 }));
        double s = (4 * z[3]) + (2 * z[0]);
        Assert.Equal(s * s, result.Value, 12);
        var expected = new[] { 4 * s, 0, 0, 8 * s };
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], result.Gradients[0][i], 12);
    }
}
