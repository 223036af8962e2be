using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// What a loop's reverse iteration computes again instead of popping from the tape: cheap arithmetic over
/// values it has anyway (Rosenbrock's terms), reads of a local array after its last write (a layer's output
/// read by the next layer), and a nested loop's trip count. Each case also has a near miss that must still
/// tape: a write after the read, a value from a carried variable, a loop with a break.
/// </summary>
public class RecomputeGradientTests
{
    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "Rosenbrock",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length - 1; i++)\n{\n    double a = x[i + 1] - x[i] * x[i];\n    double b = 1 - x[i];\n    s += 100 * a * a + b * b;\n}\nreturn s;",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Float(
            "RosenbrockFloat",
            "float[] x",
            "float s = 0;\nfor (int i = 0; i < x.Length - 1; i++)\n{\n    var a = x[i + 1] - x[i] * x[i];\n    var b = 1f - x[i];\n    s += 100f * a * a + b * b;\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 4)),
        ArrayCase.Double(
            "ChainLongerThanTheBudget",
            "double[] x, double c",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double a = x[i] * c + 1;\n    double b = a * a - c;\n    double d = b * a + x[i];\n    double e = d * d - b * a;\n    s += e * Math.Sin(d);\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "ValueFromACarriedVariableIsTaped",
            "double[] x",
            "double p = 1, s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double q = p * x[i];\n    s += q * q;\n    p = q + 0.5;\n}\nreturn s;",
            new ArrayDomain(-1.5, 1.5).Length("x", 4)),
        ArrayCase.Double(
            "LayerOutputReadByTheNextLayer",
            "double[] w1, double[] w2, [NoGrad] double[] x",
            "int n = x.Length, m = 3;\nSpan<double> h = stackalloc double[3];\nfor (int j = 0; j < m; j++)\n{\n    double s = 0;\n    for (int i = 0; i < n; i++) s += w1[j * n + i] * x[i];\n    h[j] = Math.Tanh(s);\n}\ndouble o = 0;\nfor (int k = 0; k < 2; k++)\n{\n    double t = 0;\n    for (int j = 0; j < m; j++) t += w2[k * m + j] * h[j] * h[j];\n    o += t * t;\n}\nreturn o;",
            new ArrayDomain(-1, 1).Length("w1", 6).Length("w2", 6).Length("x", 2)),
        ArrayCase.Double(
            "ArrayWrittenAgainAfterTheRead",
            "double[] x",
            "var h = new double[3];\nfor (int j = 0; j < 3; j++) h[j] = x[j] * x[j];\ndouble s = 0;\nfor (int j = 0; j < 3; j++) s += h[j] * x[j];\nfor (int j = 0; j < 3; j++) h[j] = s * h[j];\nreturn s + h[0] * h[2];",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "ArrayWrittenInTheSameLoopAfterTheRead",
            "double[] x",
            "Span<double> acc = stackalloc double[1];\nacc[0] = 1;\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double v = acc[0] * x[i];\n    s += v * v;\n    acc[0] = v + 1;\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 4)),
        ArrayCase.Double(
            "ArrayRewrittenByAnEnclosingLoop",
            "double[] x",
            "var h = new double[2];\ndouble s = 0;\nfor (int r = 0; r < 3; r++)\n{\n    for (int j = 0; j < 2; j++) h[j] = x[j] * (r + 1) + s;\n    for (int j = 0; j < 2; j++) s += h[j] * h[j] * 0.1;\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 2)),
        ArrayCase.Double(
            "TriangularLoops",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    for (int j = 0; j < i; j++) s += x[i] * x[j];\n    for (int j = i; j <= x.Length - 1; j++) s += 0.5 * x[j] * x[i] * x[i];\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "CountingDownAndEmptyLoops",
            "double[] x, int n",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    for (int j = n; j > i; j--) s += x[i] * x[i] * j;\n    for (int j = x.Length - 1; j >= n; j--) s += x[j] * x[i];\n    for (int j = 5; j < 2; j++) s += x[j];\n}\nreturn s;",
            new ArrayDomain().Length("x", 4).Fix("n", 2)),
        ArrayCase.Double(
            "NestedLoopWithBreakKeepsItsCount",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    for (int j = 0; j < x.Length; j++)\n    {\n        if (j > i + 1) break;\n        s += x[i] * x[j] * x[j];\n    }\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "NestedLoopWhoseBoundChangesInside",
            "double[] x",
            "double s = 0;\nint m = 1;\nfor (int i = 0; i < x.Length; i++)\n{\n    for (int j = 0; j < m; j++) s += x[i] * x[j];\n    m = m + 1;\n}\nreturn s;",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "BatchHiddenLayerRestoredPerExample",
            "double[] w1, double[] w2, [NoGrad] double[] xs, int n",
            "var h = new double[3];\ndouble loss = 0;\nfor (int e = 0; e < n; e++)\n{\n    for (int j = 0; j < 3; j++)\n    {\n        double s = 0;\n        for (int i = 0; i < 2; i++) s += w1[j * 2 + i] * xs[e * 2 + i];\n        h[j] = Math.Tanh(s);\n    }\n    double o = 0;\n    for (int j = 0; j < 3; j++) o += w2[j] * h[j] * h[j];\n    loss += o * o;\n}\nreturn loss / n;",
            new ArrayDomain(-1, 1).Length("w1", 6).Length("w2", 3).Length("xs", 6).Fix("n", 3)),
        ArrayCase.Float(
            "BatchHiddenLayerRestoredPerExampleFloat",
            "float[] w, [NoGrad] float[] xs",
            "Span<float> h = stackalloc float[2];\nfloat loss = 0f;\nfor (int e = 0; e < 3; e++)\n{\n    for (int j = 0; j < 2; j++) h[j] = MathF.Sin(w[j] * xs[e]);\n    float o = 0f;\n    for (int j = 0; j < 2; j++) o += h[j] * h[1 - j] * w[j];\n    loss += o;\n}\nreturn loss;",
            new ArrayDomain(-1, 1).Length("w", 2).Length("xs", 3)),
        ArrayCase.Double(
            "WrittenAgainLaterInTheOuterIteration",
            "double[] x",
            "var h = new double[2];\ndouble s = 0;\nfor (int r = 0; r < 2; r++)\n{\n    for (int k = 0; k < 2; k++)\n    {\n        for (int j = 0; j < 2; j++) h[j] = x[j] * (k + 1) + r;\n        for (int j = 0; j < 2; j++) s += h[j] * h[1 - j];\n    }\n    for (int j = 0; j < 2; j++) h[j] = s * x[j];\n    for (int j = 0; j < 2; j++) s += 0.1 * h[j] * h[j];\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 2)),
        ArrayCase.Double(
            "ReadModifyWriteThenNestedReads",
            "double[] x",
            "var q = new double[3];\ndouble s = 0;\nfor (int r = 0; r < 2; r++)\n{\n    for (int j = 0; j < 3; j++) q[j] = x[j];\n    for (int i = 0; i < 3; i++)\n        for (int j = i + 1; j < 3; j++) q[j] = q[j] + x[i] * q[i];\n    for (int j = 0; j < 3; j++) s += q[j] * q[j] * (r + 1);\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "RestoredAndFinalReadsOfOneArray",
            "double[] x",
            "var h = new double[2];\ndouble s = 0;\nfor (int r = 0; r < 3; r++)\n{\n    for (int j = 0; j < 2; j++) h[j] = x[j] * x[r];\n    for (int j = 0; j < 2; j++) s += h[j] * h[j];\n}\nreturn s * h[0] + h[1] * h[1];",
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "ScratchDeclaredInTheLoopReadByNestedLoops",
            "double[] x",
            "double s = 0;\nfor (int r = 0; r < 3; r++)\n{\n    var p = new double[3];\n    for (int k = 0; k < 3; k++) p[k] += x[k] * (r + 1);\n    for (int k = 0; k < 3; k++) s += p[k] * p[(k + 1) % 3];\n}\nreturn s;",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "RestoredArrayPassedToARecursiveCall",
            "double[] x",
            "var h = new double[3];\ndouble s = 0;\nfor (int r = 0; r < 2; r++)\n{\n    for (int j = 0; j < 3; j++) h[j] = x[j] * (r + 2);\n    for (int j = 0; j < 3; j++) s += h[j] * SumFrom(h, j);\n}\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3))
            with { Helpers = "[Differentiable]\npublic static double SumFrom(double[] v, int k) => k >= v.Length ? 0.0 : v[k] * v[k] + SumFrom(v, k + 1);" },
    };

    private static readonly ArrayCaseSet Set = new("Recompute", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);
}
