using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Calls;

/// <summary>
/// Repros from a review of the calls change, each once wrong: named arguments evaluated out of order, an
/// inlined name colliding with a generated one, a hoisted array allocated with a negative length, arrays and
/// captured writes inside ?: and &amp;&amp; operands.
/// </summary>
public class ReviewRegressionTests
{
    private static GradientCase Case(string name, string helpers, string returnType, string parameters, string body, Domain? domain = null) =>
        new(name, helpers + "\n\n" + GradientCase.Declare(returnType, name, parameters, body), domain ?? new Domain());

    private static readonly GradientCase[] Cases =
    {
        Case("RvNamedArgOrder",
            "static double Put31(double[] b, double v) { b[0] = v; return 0.0; }\nstatic double Two31(double first, double second) => first + second;",
            "double", "double x",
            "var b = new double[1];\ndouble s = Two31(second: Put31(b, x * x), first: Put31(b, 3.0 * x));\nreturn b[0] + s;"),
        Case("RvArrayGradientNameCollision",
            "static double H32(double v) { double dBuf = v * v; return dBuf; }",
            "double", "double x",
            "var buf = new double[1];\nbuf[0] = x;\nreturn buf[0] + H32(x);"),
        Case("RvTempArrayCollision",
            "static double S33(double v) { var t0 = new double[1]; t0[0] = v * v; return t0[0] * v; }",
            "double", "double x",
            "return S33(x) * 2;"),
        Case("RvHoistedFromBranch",
            string.Empty,
            "double", "double x, int n",
            "double r = x;\nif (n > 0)\n{\n    var b = new double[n];\n    b[0] = x;\n    r = b[0] * x;\n}\nreturn r;",
            new Domain().Fix("n", -1)),
        Case("RvArrayInShortCircuit",
            "static double Pos35(double v) { var a = new double[2]; a[0] = v; a[1] = v * v; return a[0] + a[1]; }",
            "double", "double x",
            "if (x > -5 && Pos35(x) > -100.0) return x * x;\nreturn x;"),
        Case("RvArrayInTernary",
            "static double Pos36(double v) { var a = new double[2]; a[0] = v; a[1] = v * v; return a[0] + a[1]; }",
            "double", "double x",
            "return x > 0 ? Pos36(x) : x;", new Domain().Where(p => System.Math.Abs(p["x"]) > 0.05)),
        Case("RvCapturedWriteInTernary", string.Empty, "double", "double x",
            "double acc = x;\ndouble Bump(double v) { acc = acc * v; return v; }\ndouble r = x > 0 ? Bump(x) : 1.0;\nreturn acc + r;",
            new Domain().Where(p => System.Math.Abs(p["x"]) > 0.05)),
        Case("RvArrayWriteInTernary",
            "static double Put37(double[] b, double v) { b[0] = v; return v; }",
            "double", "double x",
            "var b = new double[1];\nb[0] = 2.0;\ndouble r = x > 0 ? Put37(b, x * x) : 1.0;\nreturn b[0] * x + r;",
            new Domain().Where(p => System.Math.Abs(p["x"]) > 0.05)),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("ReviewRegressionCases", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, System.Array.Find(Cases, c => c.Name == name)!);
}
