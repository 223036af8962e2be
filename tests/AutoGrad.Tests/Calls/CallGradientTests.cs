using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Calls;

/// <summary>
/// Calls inside [Differentiable] methods, written the way users write them: helpers with and without the
/// attribute, in the same type and nested types, expression- and block-bodied, with early returns, loops,
/// branches, called once, twice, inside loops, or not at all; each gradient against finite differences.
/// </summary>
public class CallGradientTests
{
    private static GradientCase Case(string name, string helpers, string returnType, string parameters, string body, Domain? domain = null) =>
        new(name, helpers + "\n\n" + GradientCase.Declare(returnType, name, parameters, body), domain ?? new Domain());

    private static readonly GradientCase[] Cases =
    {
        Case("PlainHelper", "private static double Sigmoid1(double z) => 1.0 / (1.0 + Math.Exp(-z));", "double", "double x, double y", "return Sigmoid1(x * y) + x;"),
        Case("HelperCalledTwice", "static double Sq2(double v) { return v * v; }", "double", "double x, double y", "return Sq2(x) + Sq2(x - y) * 3;"),
        Case("HelperResultUnused", "static double Cube3(double v) => v * v * v;", "double", "double x", "double unused = Cube3(x);\nreturn x * 2;"),
        Case("HelperOfConstant", "static double Half4(double v) => v / 2;", "double", "double x", "return x * Half4(3.0);"),
        Case(
            "HelperWithLocalsAndReassignment",
            "static double Softplus5(double z)\n{\n    double e = Math.Exp(z);\n    e = 1 + e;\n    return Math.Log(e);\n}",
            "double",
            "double x",
            "var s = Softplus5(x);\nreturn s * s;"),
        Case(
            "HelperWithEarlyReturn",
            "static double Relu6(double z)\n{\n    if (z < 0) return 0.0;\n    return z;\n}",
            "double",
            "double x, double y",
            "return Relu6(x) * y + Relu6(y - x);",
            new Domain().Where(p => System.Math.Abs(p["x"]) > 0.05 && System.Math.Abs(p["y"] - p["x"]) > 0.05)),
        Case(
            "HelperWithIfElseReturns",
            "static double Huber7(double r, double delta)\n{\n    if (Math.Abs(r) <= delta)\n    {\n        return 0.5 * r * r;\n    }\n    else\n    {\n        return delta * (Math.Abs(r) - 0.5 * delta);\n    }\n}",
            "double",
            "double x, double d",
            "return Huber7(x, d);",
            new Domain().Range("d", 0.5, 1.5).Where(p => System.Math.Abs(System.Math.Abs(p["x"]) - p["d"]) > 0.05 && System.Math.Abs(p["x"]) > 0.05)),
        Case(
            "HelperWithLoop",
            "static double PowSeries8(double x, int n)\n{\n    double s = 0, term = 1;\n    for (int k = 0; k < n; k++) { s += term; term *= x; }\n    return s;\n}",
            "double",
            "double x",
            "return PowSeries8(x, 5) * x;"),
        Case("HelperInLoop", "static double Sq9(double v) => v * v;", "double", "double x, int n", "double acc = 0;\nfor (int i = 0; i < n; i++)\n{\n    acc += Sq9(x + i) * 0.1;\n}\nreturn acc;", new Domain().Fix("n", 4)),
        Case("HelperInBranch", "static double Tri10(double v) => 3 * v - v * v;", "double", "double x", "if (x > 0) { return Tri10(x); }\nreturn -Tri10(-x) + 1;", new Domain().Where(p => System.Math.Abs(p["x"]) > 0.05)),
        Case(
            "ChainOfHelpers",
            "static double A11(double v) => B11(v) * 2;\nstatic double B11(double v) => C11(v) + v;\nstatic double C11(double v) => Math.Sin(v);",
            "double",
            "double x",
            "return A11(x) * A11(x * 0.5);"),
        Case("DifferentiableCallee", "[Differentiable]\npublic static double Inner12(double a, double b) => a * Math.Exp(b);", "double", "double x, double y", "return Inner12(x, y) + Inner12(y, x);"),
        Case("NoGradParameterOfCallee", "static double Scaled13(double v, [NoGrad] double k) => v * k;", "double", "double x, double y", "return Scaled13(x, y) + Scaled13(y, x);"),

        // An inlined callee's [NoGrad] only concerns its own Backward: the caller's gradient is the true one.
        Case("NoGradParameterOfDifferentiableCallee", "[Differentiable]\npublic static double Scaled24(double v, [NoGrad] double k) => v * k * k;", "double", "double x, double y", "return Scaled24(x, y);"),
        Case("IntAndBoolArguments", "static double Pick14(double v, int n, bool flip) => flip ? -v * n : v * n;", "double", "double x", "return Pick14(x, 3, true) + Pick14(x * x, 2, false);"),
        Case("NamedAndDefaultArguments", "static double Lerp15(double a, double b, double t = 0.25) => a + (b - a) * t;", "double", "double x, double y", "return Lerp15(b: y, a: x) + Lerp15(x, y, t: x);"),
        Case(
            "NestedTypeHelper",
            "public static class Activations16\n{\n    public static double Tanh(double z) => Math.Tanh(z);\n    internal static double Swish(double z) => z / (1 + Math.Exp(-z));\n}",
            "double",
            "double x",
            "return Activations16.Tanh(x) + Activations16.Swish(2 * x);"),
        Case("StaticLocalFunction", string.Empty, "double", "double x, double y", "static double Sq(double v) => v * v;\nreturn Sq(x) + Sq(y) * x;"),
        Case("CapturingLocalFunction", string.Empty, "double", "double x, double y", "double scale = y * 2;\ndouble Scaled(double v) { return v * scale; }\nreturn Scaled(x) + Scaled(x * x);"),
        Case("FloatHelper", "static float SqF17(float v) => v * v;", "float", "float x, float y", "return SqF17(x) * y;"),
        Case("MixedPrecisionHelper", "static double Twice18(double v) => 2 * v;", "float", "float x", "return (float)Twice18(x) * x;"),
        Case("HelperReturningInt", "static int Floor19(double v) => (int)Math.Floor(v);", "double", "double x", "return x * Floor19(2.5);"),
        Case(
            "ParameterReassignedInCallee",
            "static double Clip20(double v, double hi)\n{\n    if (v > hi) v = hi;\n    return v * 2;\n}",
            "double",
            "double x, double y",
            "return Clip20(x, y) + x;",
            new Domain().Where(p => System.Math.Abs(p["x"] - p["y"]) > 0.05)),
        Case(
            "ManyParameters",
            "static double Affine21(double w0, double w1, double w2, double x0, double x1) => w0 * x0 + w1 * x1 + w2;",
            "double",
            "double a, double b, double c, double d, double e",
            "return Math.Tanh(Affine21(a, b, c, d, e)) * Affine21(e, d, c, b, a);"),
        Case("OddSpacing", "static double  Sq22 ( double   v )=>v*v ;", "double", "double x", "return   Sq22(  x )+Sq22(x*  x) ;"),
        Case("NameCollision", "static double Collide23(double x) { double t0 = x * 2; double dX = t0 + 1; return dX * x; }", "double", "double x", "double t0 = Collide23(x);\nreturn t0 + Collide23(t0);"),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("CallCases", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, System.Array.Find(Cases, c => c.Name == name)!);
}
