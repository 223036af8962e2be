using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>Every System.Math and a sample of System.MathF functions, each on a domain where it is smooth.</summary>
public class MathFunctionGradientTests
{
    private static readonly GradientCase[] Cases =
    {
        GradientCase.Double("Exp", "double x", "return Math.Exp(x);"),
        GradientCase.Double("Log", "double x", "return Math.Log(x);", new Domain(0.1, 3)),
        GradientCase.Double("LogWithBase", "double x, double b", "return Math.Log(x, b);", new Domain().Range("x", 0.5, 3).Range("b", 1.5, 3)),
        GradientCase.Double("LogWithLiteralBase", "double x", "return Math.Log(x, 2.0);", new Domain(0.5, 3)),
        GradientCase.Double("Log10", "double x", "return Math.Log10(x);", new Domain(0.1, 3)),
        GradientCase.Double("Log2", "double x", "return Math.Log2(x);", new Domain(0.1, 3)),
        GradientCase.Double("Sqrt", "double x", "return Math.Sqrt(x);", new Domain(0.1, 3)),
        GradientCase.Double("Cbrt", "double x", "return Math.Cbrt(x);", new Domain(0.1, 3)),
        GradientCase.Double("CbrtNegative", "double x", "return Math.Cbrt(x);", new Domain(-3, -0.1)),
        GradientCase.Double("Pow", "double x, double y", "return Math.Pow(x, y);", new Domain().Range("x", 0.5, 2).Range("y", -2, 2)),
        GradientCase.Double("PowLiteralExponentNegativeBase", "double x", "return Math.Pow(x, 3.0);", new Domain(-2, -0.5)),
        GradientCase.Double("PowIntegerExponentNegativeBase", "double x, int n", "return Math.Pow(x, n);", new Domain(-2, -0.5).Fix("n", 2)),
        GradientCase.Double("PowLiteralBase", "double x", "return Math.Pow(2.0, x);"),
        GradientCase.Double("Sin", "double x", "return Math.Sin(x);", new Domain(-3, 3)),
        GradientCase.Double("Cos", "double x", "return Math.Cos(x);", new Domain(-3, 3)),
        GradientCase.Double("Tan", "double x", "return Math.Tan(x);", new Domain(-1.2, 1.2)),
        GradientCase.Double("Asin", "double x", "return Math.Asin(x);", new Domain(-0.9, 0.9)),
        GradientCase.Double("Acos", "double x", "return Math.Acos(x);", new Domain(-0.9, 0.9)),
        GradientCase.Double("Atan", "double x", "return Math.Atan(x);", new Domain(-3, 3)),
        GradientCase.Double("Atan2", "double y, double x", "return Math.Atan2(y, x);", new Domain().Range("x", 0.3, 2)),
        GradientCase.Double("Atan2LeftHalfPlane", "double y, double x", "return Math.Atan2(y, x);", new Domain().Range("x", -2, -0.3).Range("y", 0.3, 2)),
        GradientCase.Double("Sinh", "double x", "return Math.Sinh(x);"),
        GradientCase.Double("Cosh", "double x", "return Math.Cosh(x);"),
        GradientCase.Double("Tanh", "double x", "return Math.Tanh(x);"),
        GradientCase.Double("AbsPositive", "double x", "return Math.Abs(x) * x;", new Domain(0.2, 2)),
        GradientCase.Double("AbsNegative", "double x", "return Math.Abs(x) * x;", new Domain(-2, -0.2)),
        GradientCase.Double("Max", "double x, double y", "return Math.Max(x, y) * (x + 2 * y);", new Domain().Where(p => System.Math.Abs(p["x"] - p["y"]) > 0.1)),
        GradientCase.Double("Min", "double x, double y", "return Math.Min(x, y) * (x + 2 * y);", new Domain().Where(p => System.Math.Abs(p["x"] - p["y"]) > 0.1)),
        GradientCase.Double("MaxWithLiteral", "double x", "return Math.Max(x, 0.0) + Math.Min(x, 1.0);", new Domain(-2, 2).Where(p => System.Math.Abs(p["x"]) > 0.1 && System.Math.Abs(p["x"] - 1) > 0.1)),
        GradientCase.Double("ClampInside", "double x", "return Math.Clamp(x, -1.0, 1.0) * x;", new Domain(-0.9, 0.9)),
        GradientCase.Double("ClampAbove", "double x", "return Math.Clamp(x, -1.0, 1.0) * x;", new Domain(1.1, 2)),
        GradientCase.Double("ClampBelow", "double x", "return Math.Clamp(x, -1.0, 1.0) + x;", new Domain(-2, -1.1)),
        GradientCase.Double(
            "ClampDifferentiableBounds",
            "double x, double lo, double hi",
            "return Math.Clamp(x, lo, hi) * (1 + x + lo + hi);",
            new Domain().Range("x", -3, 3).Range("lo", -2, -1).Range("hi", 1, 2)
                .Where(p => System.Math.Abs(p["x"] - p["lo"]) > 0.1 && System.Math.Abs(p["x"] - p["hi"]) > 0.1)),
        GradientCase.Double("Composition", "double x, double y", "return Math.Exp(Math.Sin(x) * y) + Math.Log(1.0 + x * x) * Math.Sqrt(y * y + 1.0);"),
        GradientCase.Double("NestedCalls", "double x", "return Math.Sin(Math.Cos(Math.Tanh(Math.Exp(x))));"),
        GradientCase.Double("FloorGivesZeroGradient", "double x, double y", "return x * Math.Floor(y) + Math.Floor(x);", new Domain().Range("x", 0.2, 0.8).Range("y", 1.2, 1.8)),
        GradientCase.Double("RoundAndTruncateGiveZeroGradient", "double x", "return Math.Round(x) * x + Math.Truncate(x) + Math.Ceiling(x);", new Domain(1.6, 1.9)),
        new GradientCase(
            "HelperWithIntArgument",
            "private static double Scale(int n) => n * 0.5;\n\n" + GradientCase.Declare("double", "HelperWithIntArgument", "double x, int n", "return Scale(n) * x * x + Scale(3);"),
            new Domain().Fix("n", 3)),
        GradientCase.Float("MathFExp", "float x", "return MathF.Exp(x);"),
        GradientCase.Float("MathFLog", "float x", "return MathF.Log(x);", new Domain(0.5, 3)),
        GradientCase.Float("MathFLogWithBase", "float x, float b", "return MathF.Log(x, b);", new Domain().Range("x", 0.5, 3).Range("b", 1.5, 3)),
        GradientCase.Float("MathFSqrt", "float x", "return MathF.Sqrt(x);", new Domain(0.5, 3)),
        GradientCase.Float("MathFPow", "float x, float y", "return MathF.Pow(x, y);", new Domain().Range("x", 0.5, 2).Range("y", -2, 2)),
        GradientCase.Float("MathFSin", "float x", "return MathF.Sin(x);", new Domain(-3, 3)),
        GradientCase.Float("MathFCos", "float x", "return MathF.Cos(x) * x;", new Domain(-3, 3)),
        GradientCase.Float("MathFTanh", "float x", "return MathF.Tanh(x);"),
        GradientCase.Float("MathFAtan2", "float y, float x", "return MathF.Atan2(y, x);", new Domain().Range("x", 0.3, 2)),
        GradientCase.Float("MathFAsin", "float x", "return MathF.Asin(x);", new Domain(-0.8, 0.8)),
        GradientCase.Float("MathFMax", "float x, float y", "return MathF.Max(x, y) * y;", new Domain().Where(p => System.Math.Abs(p["x"] - p["y"]) > 0.1)),
        GradientCase.Float("MathFClamp", "float x", "return Math.Clamp(x, -1f, 1f) * x;", new Domain(-0.9, 0.9)),
        GradientCase.Float("MathFAbs", "float x", "return MathF.Abs(x) * x;", new Domain(-2, -0.2)),
        GradientCase.Float("MathOnFloats", "float x", "return Math.Abs(x) + Math.Max(x, 0.5f);", new Domain(0.7, 2)),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("MathFunctions", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, System.Array.Find(Cases, c => c.Name == name)!);
}
