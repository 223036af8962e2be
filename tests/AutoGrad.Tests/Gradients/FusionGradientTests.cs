using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Fused loops: a top-level loop that sums terms, whose sums reach the result only through additions and
/// scalings by values known before the loop, runs each iteration's reverse right after its forward (no reverse
/// loop, nothing kept). The cases are sums written the way people write them (a mean loss, two sums in one loop,
/// a packed triangular matrix walked with a running index, a per-example scratch buffer, helpers, branches),
/// and near misses that must keep the reverse loop: a sum used nonlinearly after the loop or inside it, a
/// product, an array the loop fills for later, a scale computed after the loop.
/// </summary>
public class FusionGradientTests
{
    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "RosenbrockSum",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length - 1; i++)\n{\n    var a = x[i + 1] - x[i] * x[i];\n    var b = 1 - x[i];\n    s += 100 * a * a + b * b;\n}\nreturn s;",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Float(
            "RosenbrockSumFloat",
            "float[] x",
            "float s = 0f;\nfor (int i = 0; i < x.Length - 1; i++)\n{\n    float a = x[i + 1] - x[i] * x[i];\n    float b = 1f - x[i];\n    s += 100f * a * a + b * b;\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 4)),
        ArrayCase.Double(
            "MeanSquaredErrorOverN",
            "double[] w, double bias, [NoGrad] double[] xs, [NoGrad] double[] ys, int n",
            "double loss = 0;\nfor (int i = 0; i < n; i++)\n{\n    double err = w[0] * xs[i] + w[1] * xs[i] * xs[i] + bias - ys[i];\n    loss += err * err;\n}\nreturn loss / n;",
            new ArrayDomain(-1, 1).Length("w", 2).Length("xs", 4).Length("ys", 4).Fix("n", 4)),
        ArrayCase.Double(
            "TwoSumsScaledByAValueFromBeforeTheLoop",
            "double[] x, double a",
            "double scale = Math.Exp(a);\ndouble s = 0, t = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += Math.Sin(x[i] * a);\n    t -= x[i] * x[i];\n}\nreturn 0.5 * (s * scale) - 2 * t + a;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "PackedLowerTriangleWithARunningIndex",
            "double[] L, double[] v",
            "int n = v.Length;\ndouble s = 0;\nint k = 0;\nfor (int i = 0; i < n; i++)\n{\n    double row = 0;\n    for (int j = 0; j <= i; j++)\n    {\n        row += L[k] * v[j];\n        k++;\n    }\n    s += row * row;\n}\nreturn -s;",
            new ArrayDomain().Length("L", 6).Length("v", 3)),
        ArrayCase.Double(
            "ScratchBufferAllocatedPerExample",
            "double[] w, [NoGrad] double[] xs",
            "double loss = 0;\nfor (int e = 0; e < 3; e++)\n{\n    var h = new double[2];\n    for (int j = 0; j < 2; j++)\n        for (int i = 0; i < 2; i++) h[j] += Math.Tanh(w[j * 2 + i] * xs[e * 2 + i]);\n    loss += h[0] * h[1] + h[1];\n}\nreturn loss / 3;",
            new ArrayDomain(-1, 1).Length("w", 4).Length("xs", 6)),
        ArrayCase.Double(
            "InnerLoopThatTapesAndABranch",
            "double[] x, double c",
            "double total = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double p = 1;\n    for (int j = 0; j <= i; j++) p = p * Math.Cos(x[j] + c);\n    if (p > 0) total += p * x[i];\n    else total -= 0.5 * p;\n}\nreturn total * 3;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "SumOfAHelper",
            "double[] w, [NoGrad] double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n    s += Softplus(w[0] * x[i] + w[1]);\nreturn s - w[0];",
            new ArrayDomain(-1, 1).Length("w", 2).Length("x", 3))
            with { Helpers = "private static double Softplus(double z) => Math.Log(1 + Math.Exp(z));" },
        ArrayCase.Double(
            "WhileLoopSumWithAnActiveStart",
            "double[] x, double start",
            "double s = start * start;\nint i = 0;\nwhile (i < x.Length)\n{\n    s = s + x[i] * start;\n    i++;\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "SumAccumulatedInNestedLoops",
            "double[] x, double w",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    for (int j = 0; j <= i; j++)\n    {\n        if (x[j] > 0) s += Math.Exp(w * x[i] * x[j]);\n        for (int k = 0; k < 2; k++) s -= 0.1 * x[k] * w;\n    }\n    s += x[i];\n}\nreturn 2 * s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Float(
            "SumAccumulatedInANestedLoopFloat",
            "float[] x",
            "var s = 0f;\nfor (int i = 0; i < x.Length; i++)\n    for (int j = 0; j < x.Length; j++) s += MathF.Sin(x[i] - x[j] * 0.5f);\nreturn s / x.Length;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "NestedLoopThatScalesTheSumIsNotFused",
            "double[] x",
            "double s = 1;\nfor (int i = 0; i < x.Length; i++)\n    for (int j = 0; j < x.Length; j++) s = s * 0.9 + x[i] * x[j];\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "NestedLoopThatReadsTheSumIsNotFused",
            "double[] x",
            "double s = 0.5;\nfor (int i = 0; i < x.Length; i++)\n{\n    int j = 0;\n    while (s < 3 && j < x.Length)\n    {\n        s += x[j] * x[j] + 0.25;\n        j++;\n    }\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "SumCopiedIntoALocalForAnInnerLoop",
            "double[] x, double w",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double t = s;\n    for (int j = 0; j < x.Length; j++) t += Math.Tanh(w * x[i] * x[j]);\n    s = t;\n}\nreturn s - w;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "SumCopiedAndUsedTwiceIsNotFused",
            "double[] x",
            "double s = 0.5;\nfor (int i = 0; i < x.Length; i++)\n{\n    double t = s;\n    s = s + x[i] * t;\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "LogOfTheSumIsNotFused",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += Math.Exp(x[i]);\nreturn Math.Log(s);",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "SumUsedInsideTheLoopIsNotFused",
            "double[] x",
            "double s = 0.3;\nfor (int i = 0; i < x.Length; i++) s += x[i] * Math.Tanh(s);\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "SquareOfTheSumIsNotFused",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i];\nreturn s * s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "ProductIsNotFused",
            "double[] x",
            "double p = 1;\nfor (int i = 0; i < x.Length; i++) p *= x[i];\nreturn p;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "ArrayFilledForLaterIsNotFused",
            "double[] x",
            "var h = new double[x.Length];\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    h[i] = Math.Sin(x[i]);\n    s += h[i];\n}\nreturn s + h[0] * h[1];",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "ArrayCarryingAValueToTheNextIterationIsNotFused",
            "double[] x",
            "var previous = new double[1];\nprevious[0] = 0.5;\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += previous[0] * x[i];\n    previous[0] = Math.Sin(x[i]) + previous[0];\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 4)),
        ArrayCase.Double(
            "ScaleComputedAfterTheLoopIsNotFused",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++) s += x[i] * x[i];\ndouble m = Math.Cos(x[0]);\nreturn s * m;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "ArrayWrittenAfterTheLoopIsNotFused",
            "double[] x",
            "var c = new double[2];\nc[0] = x[0];\nc[1] = x[1];\ndouble s = 0;\nfor (int i = 0; i < 3; i++) s += c[i % 2] * Math.Exp(x[i]);\nc[0] = s;\nreturn s + c[0];",
            new ArrayDomain(-1, 1).Length("x", 3)),
    };

    /// <summary>The cases whose loop runs its reverse inside its forward pass.</summary>
    private static readonly string[] Fused =
    {
        "InnerLoopThatTapesAndABranch",
        "MeanSquaredErrorOverN",
        "PackedLowerTriangleWithARunningIndex",
        "RosenbrockSum",
        "RosenbrockSumFloat",
        "ScratchBufferAllocatedPerExample",
        "SumAccumulatedInANestedLoopFloat",
        "SumAccumulatedInNestedLoops",
        "SumCopiedIntoALocalForAnInnerLoop",
        "SumOfAHelper",
        "TwoSumsScaledByAValueFromBeforeTheLoop",
        "WhileLoopSumWithAnActiveStart",
    };

    private static readonly ArrayCaseSet Set = new("Fusion", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Exactly_the_sums_whose_gradient_is_known_before_the_loop_are_fused()
    {
        var fused = Cases.Select(c => c.Name)
            .Where(name => Set.Generated(name).Contains("known before the loop", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Fused, fused);
        foreach (var name in Fused)
        {
            // No reverse loop at the method's level (nested loops keep theirs, inside the fused iteration).
            Assert.DoesNotContain("\n            for (; ", Set.Generated(name), StringComparison.Ordinal);
        }
    }
}
