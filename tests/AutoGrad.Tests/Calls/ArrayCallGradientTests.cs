using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Calls;

/// <summary>
/// Calls that pass arrays and spans: input arrays read by helpers, local arrays filled by void helpers
/// (a dense layer), spans, [NoGrad] data, calls inside loops; every element's gradient against finite differences.
/// </summary>
public class ArrayCallGradientTests
{
    private const string DenseHelpers = @"static void Dense(double[] w, double[] b, double[] input, double[] output)
{
    int n = input.Length;
    for (int j = 0; j < output.Length; j++)
    {
        double s = b[j];
        for (int i = 0; i < n; i++)
        {
            s += w[j * n + i] * input[i];
        }

        output[j] = s;
    }
}

static void Relu(double[] values)
{
    for (int i = 0; i < values.Length; i++)
    {
        values[i] = Math.Max(values[i], 0.0);
    }
}

static double SoftmaxCrossEntropy(double[] logits, int label)
{
    double max = logits[0];
    for (int i = 1; i < logits.Length; i++) max = Math.Max(max, logits[i]);
    double sum = 0;
    for (int i = 0; i < logits.Length; i++) sum += Math.Exp(logits[i] - max);
    return Math.Log(sum) + max - logits[label];
}";

    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double("DotHelper", "double[] w, [NoGrad] double[] x", "return Dot1(w, x) * 2;", new ArrayDomain().Length("w", 5).Length("x", 5))
            with { Helpers = "static double Dot1(double[] a, double[] b)\n{\n    double s = 0;\n    for (int i = 0; i < a.Length; i++) s += a[i] * b[i];\n    return s;\n}" },
        ArrayCase.Double("SpanHelperFromArray", "double[] w, double scale", "return SumSq2(w) * scale + SumSq2(w);", new ArrayDomain().Length("w", 4))
            with { Helpers = "static double SumSq2(ReadOnlySpan<double> v)\n{\n    double s = 0;\n    foreach (var e in v) s += e * e;\n    return s;\n}" },
        ArrayCase.Double("HelperOnBothArrays", "double[] a, double[] b", "return Dist3(a, b) + Dist3(b, b) * 0.1;", new ArrayDomain().Length("a", 3).Length("b", 3))
            with { Helpers = "static double Dist3(double[] p, double[] q)\n{\n    double s = 0;\n    for (int i = 0; i < p.Length; i++) { double d = p[i] - q[i]; s += d * d; }\n    return Math.Sqrt(s + 1e-3);\n}" },
        ArrayCase.Double("ElementHelperInLoop", "double[] w", "double s = 0;\nfor (int i = 0; i < w.Length; i++)\n{\n    s += Softplus4(w[i]) * (i + 1);\n}\nreturn s;", new ArrayDomain().Length("w", 6))
            with { Helpers = "static double Softplus4(double z) => Math.Log(1 + Math.Exp(z));" },
        ArrayCase.Double("IndexedHelper", "double[] w, int k", "return At5(w, k) * At5(w, k + 1) + At5(w, 0);", new ArrayDomain().Length("w", 4).Fix("k", 1))
            with { Helpers = "static double At5(double[] v, int i) => v[i] * v[i];" },
        ArrayCase.Double("LocalArrayToReader", "double[] x", "var h = new double[x.Length];\nfor (int i = 0; i < x.Length; i++) h[i] = Math.Tanh(x[i]);\nreturn Mean6(h);", new ArrayDomain().Length("x", 5))
            with { Helpers = "static double Mean6(double[] v)\n{\n    double s = 0;\n    for (int i = 0; i < v.Length; i++) s += v[i];\n    return s / v.Length;\n}" },
        ArrayCase.Double("VoidHelperFillsLocal", "double[] x", "double[] y = new double[x.Length];\nSquares7(x, y);\nreturn y[0] + 2 * y[1] + y[2] * y[0];", new ArrayDomain().Length("x", 3))
            with { Helpers = "static void Squares7(double[] input, double[] output)\n{\n    for (int i = 0; i < input.Length; i++) output[i] = input[i] * input[i];\n}" },
        ArrayCase.Double("VoidHelperWithEarlyReturn", "double[] x", "double[] y = new double[x.Length];\nFill8(x, y, 2);\nreturn y[0] * y[1] + y[2];", new ArrayDomain().Length("x", 3))
            with { Helpers = "static void Fill8(double[] input, double[] output, int mode)\n{\n    if (mode == 1)\n    {\n        output[0] = input[0];\n        return;\n    }\n    for (int i = 0; i < input.Length; i++) output[i] = Math.Sin(input[i]) * mode;\n}" },
        ArrayCase.Double(
            "MlpWithHelpers",
            "double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, int label",
            "double[] h = new double[b1.Length];\ndouble[] logits = new double[b2.Length];\nDense(w1, b1, x, h);\nRelu(h);\nDense(w2, b2, h, logits);\nreturn SoftmaxCrossEntropy(logits, label);",
            new ArrayDomain().Length("w1", 12).Length("b1", 4).Length("w2", 12).Length("b2", 3).Length("x", 3).Fix("label", 1))
            with { Helpers = DenseHelpers },
        ArrayCase.Double("StackallocLocalToHelper", "double[] x", "Span<double> t = stackalloc double[3];\nfor (int i = 0; i < 3; i++) t[i] = x[i] * x[i + 1];\nreturn Max9(t);", new ArrayDomain().Length("x", 4))
            with { Helpers = "static double Max9(ReadOnlySpan<double> v)\n{\n    double m = v[0];\n    for (int i = 1; i < v.Length; i++) m = Math.Max(m, v[i]);\n    return m;\n}" },
        ArrayCase.Float("FloatArrayHelper", "float[] w, float[] x", "return Dot10(w, x) + Dot10(x, x);", new ArrayDomain().Length("w", 3).Length("x", 3))
            with { Helpers = "static float Dot10(float[] a, float[] b)\n{\n    float s = 0;\n    for (int i = 0; i < a.Length; i++) s += a[i] * b[i];\n    return s;\n}" },
    };

    private static readonly ArrayCaseSet Set = new("ArrayCallCases", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);
}
