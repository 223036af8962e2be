using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Values that depend on an input but never reach the result (a diagnostic accumulator, a trace array, a
/// helper's unused result) get no adjoint and no tape; values they decide (a branch, an index) still
/// decide the same in the reverse pass; and a value that reaches the result by a roundabout way (through an
/// array, a later iteration, a merge) is still differentiated.
/// </summary>
public class ActivityGradientTests
{
    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "UnusedAccumulatorInLoop",
            "double[] x, double a",
            "double s = 0, energy = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double t = Math.Sin(x[i] * a);\n    energy += t * t;\n    s += x[i] * a;\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Float(
            "UnusedAccumulatorInLoopFloat",
            "float[] x, float a",
            "float s = 0f, energy = 0f;\nfor (int i = 0; i < x.Length; i++)\n{\n    float t = MathF.Sin(x[i] * a);\n    energy += t * t;\n    s += x[i] * a * a;\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "UnusedValueDecidesTheBranch",
            "double[] x, double a",
            "double s = 0, energy = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double t = Math.Sin(x[i] * a);\n    energy += t * t;\n    if (energy > 0.5) s += x[i] * a;\n    else s -= a * x[i] * x[i];\n}\nreturn s;",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "UnusedValueChoosesTheIndex",
            "double[] x",
            "double s = 0, junk = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    junk += x[i] * x[i];\n    int k = junk > 3 ? x.Length - 1 : 0;\n    s += x[k] * x[i];\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "UnusedTraceArray",
            "double[] x, double a",
            "var trace = new double[x.Length];\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += Math.Exp(a * x[i]);\n    trace[i] = s * s;\n}\nreturn Math.Log(s);",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "UnusedScratchInLoop",
            "double[] x",
            "double total = 0;\nfor (int r = 0; r < 3; r++)\n{\n    Span<double> scratch = stackalloc double[2];\n    scratch[0] = x[r] * x[r];\n    scratch[1] = scratch[0] + 1;\n    total += x[r] * (r + 1);\n}\nreturn total * total;",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "TraceArrayReadAtTheEnd",
            "double[] x, double a",
            "var trace = new double[x.Length];\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += Math.Exp(a * x[i]);\n    trace[i] = s * s;\n}\nreturn trace[x.Length - 1] + a;",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "ReachesTheResultOneIterationLater",
            "double[] x",
            "double a = 0, b = 1, s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double previous = b;\n    b = x[i] * b + 0.5;\n    a = previous;\n    s += a;\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "UnusedMergeOfABranch",
            "double[] x",
            "double m;\nif (x[0] > 0) m = x[0] * x[1];\nelse m = Math.Cos(x[1]);\ndouble r = x[0] * x[2];\nif (m > 10) r += 1;\nreturn r;",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "UnusedInNestedLoopWithBreak",
            "double[] x, int n",
            "double s = 0, log = 0;\nfor (int i = 0; i < n; i++)\n{\n    for (int j = 0; j < x.Length; j++)\n    {\n        log += Math.Log(1 + x[j] * x[j]);\n        if (log > 100) break;\n        s += x[j] * (i + 1) * x[0];\n    }\n}\nreturn s;",
            new ArrayDomain().Length("x", 3).Fix("n", 2)),
        ArrayCase.Double(
            "UnusedHelperResult",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    double unused = Softplus(x[i]);\n    _ = Softplus(unused);\n    s += Softplus(x[i] * 2);\n}\nreturn s;",
            new ArrayDomain().Length("x", 3))
            with { Helpers = "static double Softplus(double v)\n{\n    if (v > 20) return v;\n    return Math.Log(1 + Math.Exp(v));\n}" },
        ArrayCase.Double(
            "UnusedRecursiveCallDecidesTheBranch",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    if (Power(x[i], 3) > 0) s += x[i] * x[i];\n    else s += x[i];\n}\nreturn s;",
            new ArrayDomain().Length("x", 4))
            with { Helpers = "[Differentiable]\npublic static double Power(double v, int k) => k == 0 ? 1.0 : v * Power(v, k - 1);" },
        ArrayCase.Double(
            "AlternatingSignIsNotVaried",
            "double[] x",
            "double s = 0, sign = 1.0;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += sign * x[i] * x[i];\n    sign = -sign;\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "LoopVariableThatBecomesVariedLater",
            "double[] x",
            "double s = 0, c = 1.0;\nfor (int i = 0; i < x.Length; i++)\n{\n    s += c * x[i];\n    c = i == 1 ? c * x[i] : -c;\n}\nreturn s;",
            new ArrayDomain().Length("x", 4)),
    };

    private static readonly ArrayCaseSet Set = new("Activity", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);
}
