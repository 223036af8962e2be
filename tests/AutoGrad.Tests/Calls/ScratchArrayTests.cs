using System.Collections.Generic;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.Tests.Infrastructure;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Calls;

/// <summary>
/// Local arrays declared inside loops and branches, most often a helper's scratch array called in a loop:
/// declared once before them (with their length, or the largest length a loop's test allows) and cleared where
/// the declaration was, so each pass starts from zeros as a fresh array would.
/// </summary>
public class ScratchArrayTests
{
    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "ArrayDeclaredInLoop",
            "double[] x, int n",
            "double total = 0;\nfor (int s = 0; s < n; s++)\n{\n    var p = new double[3];\n    for (int k = 0; k < 3; k++) p[k] = x[k] * (s + 1);\n    total += p[0] * p[1] + p[2];\n}\nreturn total;",
            new ArrayDomain().Length("x", 3).Fix("n", 3)),
        ArrayCase.Double(
            "FreshZerosEachIteration",
            "double[] x",
            "double total = 0;\nfor (int s = 0; s < 3; s++)\n{\n    Span<double> acc = stackalloc double[2];\n    acc[0] += x[s];\n    acc[1] += acc[0] * x[s];\n    total += acc[1] * (s + 1);\n}\nreturn total;",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "HelperScratchInBatchLoop",
            "double[] w, [NoGrad] double[] xs, int[] labels",
            "int classes = 3, features = 2;\nvar z = new double[classes];\ndouble loss = 0;\nfor (int i = 0; i < labels.Length; i++)\n{\n    for (int c = 0; c < classes; c++)\n    {\n        double s = 0;\n        for (int f = 0; f < features; f++) s += w[c * features + f] * xs[i * features + f];\n        z[c] = s;\n    }\n\n    loss += SoftmaxNll1(z, labels[i]);\n}\nreturn loss / labels.Length;",
            new ArrayDomain().Length("w", 6).Length("xs", 8).Fix("labels", new[] { 0, 2, 1, 2 }))
            with { Helpers = "static double SoftmaxNll1(double[] z, int label)\n{\n    var e = new double[z.Length];\n    double sum = 0;\n    for (int i = 0; i < z.Length; i++) { e[i] = Math.Exp(z[i]); sum += e[i]; }\n    return -Math.Log(e[label] / sum);\n}" },
        ArrayCase.Double(
            "ArrayInBranch",
            "double[] x, bool wide",
            "if (wide)\n{\n    Span<double> t = stackalloc double[2];\n    t[0] = x[0] * x[1];\n    t[1] = t[0] + x[1];\n    return t[0] * t[1];\n}\nreturn x[0] + x[1];",
            new ArrayDomain().Length("x", 2).Fix("wide", true)),
        ArrayCase.Double(
            "HelperWithEarlyReturnThenArray",
            "double[] x",
            "return Norm2(x, 1) + Norm2(x, 0);",
            new ArrayDomain().Length("x", 3))
            with { Helpers = "static double Norm2(double[] v, int mode)\n{\n    if (mode == 0) return v[0];\n    var sq = new double[v.Length];\n    for (int i = 0; i < v.Length; i++) sq[i] = v[i] * v[i];\n    double s = 0;\n    foreach (var e in sq) s += e;\n    return Math.Sqrt(s);\n}" },
        ArrayCase.Double(
            "LengthFromTheLoopCounter",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    var a = new double[i + 1];\n    a[i] = x[i];\n    s += a[i] * a[i] + a[0];\n}\nreturn s;",
            new ArrayDomain().Length("x", 3)),
    };

    private static readonly ArrayCaseSet Set = new("ScratchArrays", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    /// <summary>Lengths no loop test bounds: one that shrinks as the counter grows, and any length in a do loop (its first iteration is untested).</summary>
    public static TheoryData<string> Unbounded => new()
    {
        "for (int i = 0; i < x.Length; i++)\n{\n    var {|#0:a = new double[x.Length - i]|};\n    a[0] = x[i];\n    s += a[0];\n}",
        "int i = 0;\ndo\n{\n    var {|#0:a = new double[i + 1]|};\n    a[i] = x[i];\n    s += a[i];\n    i++;\n}\nwhile (i < x.Length);",
    };

    [Theory]
    [MemberData(nameof(Unbounded))]
    public Task A_length_no_loop_test_bounds_is_reported(string loop) => VerifyAsync(
        "partial class C\n{\n    [Differentiable]\n    static double F(double[] x)\n    {\n        double s = 0;\n" + loop + "\n        return s;\n    }\n}",
        Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
            .WithMessage("A local array declared inside a loop or a branch, with a length that is neither known before them nor bounded by a loop's test is not supported in a [Differentiable] method; declare it once, before the loop or branch, with the largest length it needs, or compute its length from the loop variable of a for loop with a bound known before the loop (new double[i + 1] in for (int i = 0; i < n; i++))"));
}
