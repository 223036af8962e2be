using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>Each arithmetic operator, literal and conversion, checked against finite differences.</summary>
public class OperatorGradientTests
{
    private static readonly GradientCase[] Cases =
    {
        GradientCase.Double("Add", "double x, double y", "return x + y;"),
        GradientCase.Double("Subtract", "double x, double y", "return x - y;"),
        GradientCase.Double("Multiply", "double x, double y", "return x * y;"),
        GradientCase.Double("Divide", "double x, double y", "return x / y;", new Domain().Range("y", 0.5, 2)),
        GradientCase.Double("DivideNegativeDenominator", "double x, double y", "return (x * x) / y;", new Domain().Range("y", -2, -0.5)),
        GradientCase.Double("Remainder", "double x, double y", "return x % y;", new Domain().Range("x", 2.1, 2.3).Range("y", 0.9, 1.0)),
        GradientCase.Double("RemainderByLiteral", "double x", "return (x % 1.5) * x;", new Domain(0.1, 1.4)),
        GradientCase.Double("Negate", "double x, double y", "return -x * y;"),
        GradientCase.Double("NegateParenthesized", "double x, double y", "return -(x + y) * -y;"),
        GradientCase.Double("DoubleNegation", "double x", "return -(-x) * x;"),
        GradientCase.Double("Parentheses", "double x, double y", "return ((x + y) * (x - y)) / ((1.0 + (x * x)));"),
        GradientCase.Double("SameOperandTwice", "double x", "return x * x + x / (x + 3.0) - x;", new Domain(0, 2)),
        GradientCase.Double("DoubleLiterals", "double x, double y", "return 2.5 * x + 1e-3 * y - 0.5 + .25 * x * y + 1E2 * y;"),
        GradientCase.Double("IntegerLiteralsConverted", "double x, double y", "return 3 * x + y / 2 - 7 + x * 0;"),
        GradientCase.Double("ConstantSubexpression", "double x", "return x * (2.0 + 3.0) + (1.0 / 4.0) * x * x;"),
        GradientCase.Double("LiteralOnlyOnLeft", "double x", "return 1.0 / x - 2.0 - x;", new Domain(0.5, 2)),
        GradientCase.Double("MathPiAndE", "double x, double y", "return Math.PI * x + Math.E * y * y + Math.PI;"),
        GradientCase.Double("IntParameterArithmetic", "double x, int n", "return n * x + x / n + (n - 1) * x * x;", new Domain().Fix("n", 3)),
        GradientCase.Double("IntParameterExplicitConversion", "double x, int n", "double d = (double)n;\nreturn d * x + (double)(n * n) * x;", new Domain().Fix("n", -2)),
        GradientCase.Double("LongParameter", "double x, long n", "return n * x * x;", new Domain().Fix("n", 5L)),
        GradientCase.Double("IntLocal", "double x", "int k = 2;\nint m = k * 3 + 1;\nreturn x * k + m * x * x;"),
        GradientCase.Double("IntLocalReassigned", "double x, int n", "int k = n;\nk = k + 2;\nk *= 2;\nreturn x * k;", new Domain().Fix("n", 1)),
        new GradientCase(
            "DoubleToFloatAndBack",
            GradientCase.Declare("double", "DoubleToFloatAndBack", "double x", "float f = (float)x;\nfloat g = f * f;\nreturn (double)g + x * 2.0;"),
            new Domain(0.5, 2),
            Tolerance: 1e-3,
            Step: 1e-3),
        new GradientCase(
            "FloatToDoubleInFloatMethod",
            GradientCase.Declare("float", "FloatToDoubleInFloatMethod", "float x, float y", "double d = x;\ndouble e = (double)y * d;\nreturn (float)(e + d * d);"),
            new Domain()),
        GradientCase.Float("FloatArithmetic", "float x, float y", "return 2.5f * x * y - x / (1f + y * y) + 3 * x - 0.5f;"),
        GradientCase.Float("FloatDivideAndNegate", "float x, float y", "return -x / y + y % 1.5f;", new Domain().Range("y", 0.2, 1.4)),
        GradientCase.Float("FloatIntParameter", "float x, int n", "return n * x * x;", new Domain().Fix("n", 4)),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("Operators", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, System.Array.Find(Cases, c => c.Name == name)!);
}
