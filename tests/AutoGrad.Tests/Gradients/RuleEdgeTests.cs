using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Every derivative rule, in double and float, at the edges of its domain: 0, ±1, large and tiny arguments,
/// the kinks of Abs/Max/Min/Clamp (on their documented side) and the integer and fractional exponents of Pow.
/// Each point is checked against the exact derivative (computed here in double); points where central finite
/// differences are reliable are checked against them too. Where the derivative is finite, a zero seed must
/// give zero gradients, so that a value the result does not depend on cannot poison the gradient with NaN.
/// Where the function is not differentiable the expected value is the documented infinity.
/// </summary>
public class RuleEdgeTests
{
    private const double Tiny = 1e-300;
    private const float TinyF = 1e-30f;
    private const double Inf = double.PositiveInfinity;

    /// <summary>One point of one case: its arguments, the exact gradient, and whether finite differences are meaningful there.</summary>
    private sealed record Edge(string Method, object[] Args, double[] Expected, bool Kink = false)
    {
        public string Key => Method + "(" + string.Join(", ", Args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture))) + ")";
    }

    private static readonly List<GradientCase> Cases = new();
    private static readonly List<Edge> Edges = new();

    static RuleEdgeTests()
    {
        // ---- unary Math functions ----------------------------------------------------------------
        Unary("Exp", Math.Exp, new[] { 0, 1, -1, 700, -700, Tiny }, new[] { 0f, 1, -1, 88, -80, TinyF });
        Unary("Log", x => 1 / x, new[] { 1, 1e6, Tiny, 1e300, 0 }, new[] { 1f, 1e6f, TinyF, 1e30f, 0 });
        Unary("Log10", x => 1 / (x * Math.Log(10)), new[] { 1, 1e6, Tiny, 1e300 }, new[] { 1f, 1e6f, TinyF, 1e30f });
        Unary("Log2", x => 1 / (x * Math.Log(2)), new[] { 1, 1e6, Tiny, 1e300 }, new[] { 1f, 1e6f, TinyF, 1e30f });
        Unary("Sqrt", x => 0.5 / Math.Sqrt(x), new[] { 1, 1e6, Tiny, 1e300, 0 }, new[] { 1f, 1e6f, TinyF, 1e30f, 0 });
        Unary("Cbrt", x => 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), new[] { 1, -1, 1e6, -1e6, Tiny, -Tiny, 0 }, new[] { 1f, -1, 1e6f, -1e6f, TinyF, -TinyF, 0 });
        Unary("Sin", Math.Cos, new[] { 0, 1, -1, 1e6, Tiny }, new[] { 0f, 1, -1, 1e6f, TinyF });
        Unary("Cos", x => -Math.Sin(x), new[] { 0, 1, -1, 1e6, Tiny }, new[] { 0f, 1, -1, 1e6f, TinyF });
        Unary("Tan", x => 1 / (Math.Cos(x) * Math.Cos(x)), new[] { 0, 1, -1, 1e6, Tiny }, new[] { 0f, 1, -1, 1e6f, TinyF });
        Unary("Asin", x => 1 / Math.Sqrt(1 - (x * x)), new[] { 0, 0.5, -0.5, Tiny, 1, -1 }, new[] { 0f, 0.5f, -0.5f, TinyF, 1, -1 });
        Unary("Acos", x => -1 / Math.Sqrt(1 - (x * x)), new[] { 0, 0.5, -0.5, Tiny, 1, -1 }, new[] { 0f, 0.5f, -0.5f, TinyF, 1, -1 });
        Unary("Atan", x => 1 / (1 + (x * x)), new[] { 0, 1, -1, 1e6, -1e6, Tiny }, new[] { 0f, 1, -1, 1e6f, -1e6f, TinyF });
        Unary("Sinh", Math.Cosh, new[] { 0, 1, -1, 700, -700, Tiny }, new[] { 0f, 1, -1, 88, -88, TinyF });
        Unary("Cosh", Math.Sinh, new[] { 0, 1, -1, 700, -700, Tiny }, new[] { 0f, 1, -1, 88, -88, TinyF });
        Unary("Tanh", x => 1 / (Math.Cosh(x) * Math.Cosh(x)), new[] { 0, 1, -1, 1e6, -1e6, Tiny }, new[] { 0f, 1, -1, 1e6f, -1e6f, TinyF });

        // Abs: slope +1 from zero up (documented side), -1 below.
        Unary("Abs", x => x < 0 ? -1 : 1, new[] { 1, -1, 1e6, -1e6, Tiny, -Tiny }, new[] { 1f, -1, 1e6f, -1e6f, TinyF, -TinyF });
        Both("Abs", "return {0}.Abs(x);", new object[] { 0.0 }, new[] { 1.0 }, kink: true);

        // ---- operators, negation, conversion -----------------------------------------------------
        Binary("Add", "x + y", (x, y) => new[] { 1.0, 1.0 });
        Binary("Subtract", "x - y", (x, y) => new[] { 1.0, -1.0 });
        Binary("Multiply", "x * y", (x, y) => new[] { y, x });
        Binary("Divide", "x / y", (x, y) => new[] { 1 / y, -x / (y * y) }, skipZeroDivisor: true);
        Binary("Remainder", "x % y", (x, y) => new[] { 1.0, -Math.Truncate(x / y) }, skipZeroDivisor: true);
        Both("Negate", "return -x;", new object[] { 0.0 }, new[] { -1.0 });
        foreach (var x in new[] { 1, -1, 1e6, Tiny })
        {
            Both("Negate", "return -x;", new object[] { x }, new[] { -1.0 });
        }

        Case(GradientCase.Double("ConvertThroughFloatD", "double x", "return (double)(float)x * 3.0;"));
        Case(GradientCase.Float("ConvertThroughDoubleF", "float x", "return (float)(2.0 * x);"));
        foreach (var x in new[] { 0, 1, -1, 1e6, Tiny })
        {
            // The conversion passes the gradient on, even where rounding to float flushes x to 0.
            Edges.Add(new Edge("ConvertThroughFloatD", new object[] { x }, new[] { 3.0 }, Kink: true)); // FD sees float rounding steps
            Edges.Add(new Edge("ConvertThroughDoubleF", new object[] { ToFloat(x) }, new[] { 2.0 }));
        }

        // ---- binary Math functions ---------------------------------------------------------------
        TwoArguments("Atan2", "u", "v", (u, v) => new[] { v / ((u * u) + (v * v)), -u / ((u * u) + (v * v)) },
            new[] { (0.0, 1.0), (1.0, 0.0), (1.0, 1.0), (-1.0, -1.0), (1e6, 1.0), (Tiny, 1.0), (1.0, -Tiny) });
        // Float squares u and v in double: at 1e-30 and 1e30 the slopes stay finite and nonzero.
        foreach (var (u, v) in new[] { (TinyF, TinyF), (1e30f, 1e30f), (1e30f, -1f), (-TinyF, 1e-20f) })
        {
            double norm = ((double)u * u) + ((double)v * v);
            Edges.Add(new Edge("Atan2PairF", new object[] { u, v }, new[] { v / norm, -u / norm }));
        }

        TwoArguments("Log", "x", "b", (x, b) => new[] { 1 / (x * Math.Log(b)), -Math.Log(x) / (b * Math.Log(b) * Math.Log(b)) },
            new[] { (1.0, 2.0), (1e6, 10.0), (Tiny, 2.0), (2.0, 1e6), (0.5, 0.5) });

        // Max and Min route a tie to their first argument; Clamp routes to the value when it equals a bound.
        TwoArguments("Max", "a", "b", (a, b) => a >= b ? new[] { 1.0, 0.0 } : new[] { 0.0, 1.0 },
            new[] { (2.0, 1.0), (1.0, 2.0), (1e6, -1e6), (Tiny, 0.0) });
        TwoArguments("Max", "a", "b", (a, b) => new[] { 1.0, 0.0 }, new[] { (1.0, 1.0), (0.0, 0.0), (-1.0, -1.0) }, kink: true, declare: false);
        TwoArguments("Min", "a", "b", (a, b) => a <= b ? new[] { 1.0, 0.0 } : new[] { 0.0, 1.0 },
            new[] { (2.0, 1.0), (1.0, 2.0), (1e6, -1e6), (Tiny, 0.0) });
        TwoArguments("Min", "a", "b", (a, b) => new[] { 1.0, 0.0 }, new[] { (1.0, 1.0), (0.0, 0.0), (-1.0, -1.0) }, kink: true, declare: false);
        Both("Clamp", "return Math.Clamp(v, lo, hi);", null, null, parameters: "{0} v, {0} lo, {0} hi");
        foreach (var (v, expected, kink) in new[]
        {
            (0.0, new[] { 1.0, 0.0, 0.0 }, false),
            (-2.0, new[] { 0.0, 1.0, 0.0 }, false),
            (2.0, new[] { 0.0, 0.0, 1.0 }, false),
            (-1.0, new[] { 1.0, 0.0, 0.0 }, true),
            (1.0, new[] { 1.0, 0.0, 0.0 }, true),
            (1e6, new[] { 0.0, 0.0, 1.0 }, false),
        })
        {
            Edges.Add(new Edge("ClampD", new object[] { v, -1.0, 1.0 }, expected, kink));
            Edges.Add(new Edge("ClampF", new object[] { (float)v, -1f, 1f }, expected, kink));
        }

        // ---- functions of newer .NET: Math / MathF, and double / float only ------------------------
        Unary("Asinh", x => Math.Abs(x) > 1 ? 1 / (Math.Abs(x) * Math.Sqrt(1 + (1 / x / x))) : 1 / Math.Sqrt(1 + (x * x)), new[] { 0, 1, -1, 1e6, 1e300, -1e300, Tiny }, new[] { 0f, 1, -1, 1e6f, 1e30f, -1e30f, TinyF });
        Unary("Acosh", x => 1 / (x * Math.Sqrt(1 - (1 / x / x))), new[] { 1, 2, 1e6, 1e300 }, new[] { 1f, 2, 1e6f, 1e30f });
        Unary("Atanh", x => 1 / (1 - (x * x)), new[] { 0, 0.5, -0.5, Tiny, 1, -1 }, new[] { 0f, 0.5f, -0.5f, TinyF, 1, -1 });
        Unary("ExpM1", Math.Exp, new[] { 0, 1, -1, 700, -700, -40, Tiny }, new[] { 0f, 1, -1, 88, -80, -20, TinyF }, onlyOnFloatingTypes: true);
        Unary("LogP1", x => 1 / (1 + x), new[] { 0, Tiny, -Tiny, 1e6, -0.5, 1e300, -1 }, new[] { 0f, TinyF, -TinyF, 1e6f, -0.5f, 1e30f, -1 }, onlyOnFloatingTypes: true);
        Unary("Exp2", x => Math.Pow(2, x) * Math.Log(2), new[] { 0, 1, -1, 1000, -1000, Tiny }, new[] { 0f, 1, -1, 127, -126, TinyF }, onlyOnFloatingTypes: true);
        Unary("Exp10", x => Math.Pow(10, x) * Math.Log(10), new[] { 0, 1, -1, 300, -300, Tiny }, new[] { 0f, 1, -1, 38, -37, TinyF }, onlyOnFloatingTypes: true);

        // An estimate of 1/sqrt(x) (to a few bits on some hardware): its gradient is the exact -x^(-3/2) / 2, so no finite differences.
        Unary("ReciprocalSqrtEstimate", x => -0.5 * Math.Pow(x, -1.5), new[] { 1, 4, 0.25, 1e6, 1e300, Tiny, 0 }, new[] { 1f, 4, 0.25f, 1e6f, 1e30f, TinyF, 0 }, estimate: true);

        TwoArguments("Hypot", "x", "y", (x, y) => new[] { x / Hypot(x, y), y / Hypot(x, y) },
            new[] { (3.0, 4.0), (0.0, 1.0), (-1.0, 0.0), (1e300, 1e300), (Tiny, Tiny), (1e6, -1.0) }, onlyOnFloatingTypes: true);
        TwoArguments("CopySign", "x", "y", (x, y) => new[] { (x < 0 ? -1.0 : 1.0) * (y < 0 ? -1.0 : 1.0), 0.0 },
            new[] { (1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0), (0.0, 1.0), (0.0, -1.0), (1e6, -Tiny), (-Tiny, 1e6) }, kinkAt: (x, y) => x == 0);
        TwoArguments("IEEERemainder", "x", "y", (x, y) => new[] { 1.0, -Math.Round(x / y, MidpointRounding.ToEven) },
            new[] { (5.5, 2.0), (-5.5, 2.0), (0.0, 1.0), (1.0, 3.0), (2.5, 1.0), (1e6, 3.0), (Tiny, 1.0), (7.0, -2.0) },
            kinkAt: (x, y) => Math.Abs(x / y) % 1 == 0.5);

        Case(GradientCase.Double("ScaleBD", "double x, int n", "return Math.ScaleB(x, n);"));
        Case(GradientCase.Float("ScaleBF", "float x, int n", "return MathF.ScaleB(x, n);"));
        foreach (var (x, n) in new[] { (0.0, 3), (1.0, 1023), (1e300, -1000), (Tiny, 10), (-1.0, 0), (1.0, -1) })
        {
            Edges.Add(new Edge("ScaleBD", new object[] { x, n }, new[] { Math.Pow(2, n) }));
        }

        foreach (var (x, n) in new[] { (0f, 3), (1f, 127), (1e30f, -126), (TinyF, 10), (-1f, 0), (1f, -1) })
        {
            Edges.Add(new Edge("ScaleBF", new object[] { x, n }, new[] { Math.Pow(2, n) }));
        }

        Both("FusedMultiplyAdd", "return {0}.FusedMultiplyAdd(x, y, z);", null, null, parameters: "{0} x, {0} y, {0} z");
        foreach (var (x, y, z) in new[] { (0.0, 0.0, 0.0), (1e6, 1e-6, 1.0), (Tiny, 1.0, 1.0), (-1.0, 2.0, -3.0), (1e30, 1e-30, -1.0) })
        {
            Edges.Add(new Edge("FusedMultiplyAddD", new object[] { x, y, z }, new[] { y, x, 1.0 }));
            float xf = ToFloat(x), yf = ToFloat(y), zf = ToFloat(z);
            Edges.Add(new Edge("FusedMultiplyAddF", new object[] { xf, yf, zf }, new[] { (double)yf, xf, 1.0 }));
        }

        // ---- Pow -----------------------------------------------------------------------------------
        TwoArguments("Pow", "x", "p", PowGradient,
            new[]
            {
                (0.0, 0.0), (0.0, 1.0), (0.0, 2.0), (0.0, 3.0), (0.0, 0.5), (0.0, -1.0), (2.0, 0.0), (1.0, 0.5), (-2.0, 3.0),
                (1e6, 0.5), (1e6, 2.0), (Tiny, 1.5), (Tiny, 0.5), (4.0, -0.5), (1e300, 0.5),
            },
            kink: true);
        foreach (var (exponent, name) in new[] { ("0.0", "Zero"), ("1.0", "One"), ("2.0", "Two"), ("3.0", "Three"), ("0.5", "Half"), ("1.5", "ThreeHalves") })
        {
            double p = double.Parse(exponent, CultureInfo.InvariantCulture);
            Case(GradientCase.Double("PowLiteral" + name + "D", "double x", "return Math.Pow(x, " + exponent + ");"));
            Case(GradientCase.Float("PowLiteral" + name + "F", "float x", "return MathF.Pow(x, " + exponent + "f);"));
            foreach (var x in new[] { 0, 1, -1, 1e6, Tiny, 1e300 })
            {
                if (double.IsNaN(Math.Pow(x, p)) || double.IsInfinity(Math.Pow(x, p))) continue;
                Edges.Add(new Edge("PowLiteral" + name + "D", new object[] { x }, new[] { PowGradient(x, p)[0] }, Kink: x == 0));
            }

            foreach (var x in new[] { 0f, 1, -1, 1e6f, TinyF, 1e30f })
            {
                if (float.IsNaN(MathF.Pow(x, (float)p)) || float.IsInfinity(MathF.Pow(x, (float)p))) continue;
                Edges.Add(new Edge("PowLiteral" + name + "F", new object[] { x }, new[] { PowGradient(x, p)[0] }, Kink: x == 0));
            }
        }

        // An integer exponent, and a power series whose k = 0 term is x^0 (its slope at x = 0 is 0, not NaN).
        Case(GradientCase.Double("PowIntD", "double x, int n", "return Math.Pow(x, n);"));
        Case(GradientCase.Float("PowIntF", "float x, int n", "return MathF.Pow(x, n);"));
        foreach (int n in new[] { 0, 1, 2, 3, -1 })
        {
            foreach (var x in new[] { 0.0, 1.0, -1.0, 2.0 })
            {
                if (double.IsInfinity(Math.Pow(x, n))) continue;
                Edges.Add(new Edge("PowIntD", new object[] { x, n }, new[] { PowGradient(x, n)[0] }, Kink: x == 0));
                Edges.Add(new Edge("PowIntF", new object[] { (float)x, n }, new[] { PowGradient(x, n)[0] }, Kink: x == 0));
            }
        }

        const string series = "double s = 0;\nfor (int k = 0; k <= 4; k++)\n{\n    s += (k + 1) * Math.Pow(x, k);\n}\nreturn s;";
        Case(GradientCase.Double("PowerSeriesD", "double x", series));
        Case(GradientCase.Float("PowerSeriesF", "float x", series.Replace("double s", "float s").Replace("Math.Pow", "MathF.Pow")));
        foreach (var x in new[] { 0.0, 1.0, -1.0, 0.5 })
        {
            // d/dx sum (k+1) x^k = sum k (k+1) x^(k-1) = 2 + 6x + 12x^2 + 20x^3.
            var expected = new[] { 2 + (6 * x) + (12 * x * x) + (20 * x * x * x) };
            Edges.Add(new Edge("PowerSeriesD", new object[] { x }, expected));
            Edges.Add(new Edge("PowerSeriesF", new object[] { (float)x }, expected));
        }

        // Coefficients from data: the k = 0 coefficient is 0, so Pow(x, 0) receives a zero upstream gradient.
        const string dataSeries = "double s = 0;\nfor (int k = 0; k < c.Length; k++)\n{\n    s += c[k] * Math.Pow(x, k);\n}\nreturn s;";
        Case(GradientCase.Double("PowerSeriesWithDataD", "double x, int[] c", dataSeries));
    }

    /// <summary>sqrt(x^2 + y^2) without overflow or underflow of the squares.</summary>
    private static double Hypot(double x, double y)
    {
        double scale = Math.Max(Math.Abs(x), Math.Abs(y));
        return scale == 0 ? 0 : scale * Math.Sqrt(((x / scale) * (x / scale)) + ((y / scale) * (y / scale)));
    }

    private static float ToFloat(double x) => x == Tiny ? TinyF : x == -Tiny ? -TinyF : x == 1e300 ? 1e30f : (float)x;

    private static double[] PowGradient(double x, double p) => new[]
    {
        p == 0 ? 0 : p * Math.Pow(x, p - 1),
        x > 0 ? Math.Pow(x, p) * Math.Log(x) : 0,
    };

    private static void Case(GradientCase gradientCase)
    {
        if (Cases.All(c => c.Name != gradientCase.Name)) Cases.Add(gradientCase);
    }

    /// <summary>A case <c>{name}D</c> in double and <c>{name}F</c> in float from a body with <c>{0}</c> for Math/MathF.</summary>
    private static void Both(string name, string body, object[]? args, double[]? expected, bool kink = false, string parameters = "{0} x")
    {
        Case(GradientCase.Double(name + "D", string.Format(CultureInfo.InvariantCulture, parameters, "double"), string.Format(CultureInfo.InvariantCulture, body, "Math")));
        Case(GradientCase.Float(name + "F", string.Format(CultureInfo.InvariantCulture, parameters, "float"), string.Format(CultureInfo.InvariantCulture, body, "MathF")));
        if (args is null || expected is null) return;
        Edges.Add(new Edge(name + "D", args, expected, kink));
        Edges.Add(new Edge(name + "F", args.Select(a => a is double d ? (object)ToFloat(d) : a).ToArray(), expected, kink));
    }

    private static void Unary(string function, Func<double, double> derivative, double[] doublePoints, float[] floatPoints, bool onlyOnFloatingTypes = false, bool estimate = false)
    {
        if (onlyOnFloatingTypes)
        {
            Case(GradientCase.Double(function + "D", "double x", "return double." + function + "(x);"));
            Case(GradientCase.Float(function + "F", "float x", "return float." + function + "(x);"));
        }
        else
        {
            Both(function, "return {0}." + function + "(x);", null, null);
        }

        foreach (var x in doublePoints) Edges.Add(new Edge(function + "D", new object[] { x }, new[] { derivative(x) }, estimate));
        foreach (var x in floatPoints) Edges.Add(new Edge(function + "F", new object[] { x }, new[] { derivative(x) }, estimate));
    }

    private static void Binary(string name, string expression, Func<double, double, double[]> gradient, bool skipZeroDivisor = false)
    {
        Both(name, "return " + expression + ";", null, null, parameters: "{0} x, {0} y");
        var points = new[] { (0.0, 1.0), (1.0, 1.0), (-1.0, 1.0), (1.0, -1.0), (0.0, 0.0), (1e6, 1e-3), (Tiny, 1.0), (1.0, Tiny), (5.5, 2.0), (-5.5, 2.0) };
        foreach (var (x, y) in points)
        {
            if (skipZeroDivisor && y == 0) continue;
            if (name is "Divide" or "Remainder" && y == Tiny) continue; // x / 1e-300 overflows
            // x % y jumps where x / y is a nonzero integer: no finite differences there.
            bool jump = name == "Remainder" && x != 0 && x / y == Math.Round(x / y);
            Edges.Add(new Edge(name + "D", new object[] { x, y }, gradient(x, y), jump));
            float xf = ToFloat(x), yf = ToFloat(y);
            Edges.Add(new Edge(name + "F", new object[] { xf, yf }, gradient(xf, yf), jump));
        }
    }

    private static void TwoArguments(string function, string a, string b, Func<double, double, double[]> gradient, (double, double)[] points, bool kink = false, bool declare = true, Func<double, double, bool>? kinkAt = null, bool onlyOnFloatingTypes = false)
    {
        if (declare && onlyOnFloatingTypes)
        {
            Case(GradientCase.Double(function + "PairD", "double " + a + ", double " + b, "return double." + function + "(" + a + ", " + b + ");"));
            Case(GradientCase.Float(function + "PairF", "float " + a + ", float " + b, "return float." + function + "(" + a + ", " + b + ");"));
        }
        else if (declare)
        {
            Both(function + "Pair", "return {0}." + function + "(" + a + ", " + b + ");", null, null, parameters: "{0} " + a + ", {0} " + b);
        }

        foreach (var (x, y) in points)
        {
            bool atKink = kinkAt?.Invoke(x, y) ?? (kink && (x <= 0 || x == y));
            Edges.Add(new Edge(function + "PairD", new object[] { x, y }, gradient(x, y), atKink));
            float xf = ToFloat(x), yf = ToFloat(y);
            if (function == "Pow" && float.IsInfinity(MathF.Pow(xf, yf)) != double.IsInfinity(Math.Pow(x, y))) continue;
            Edges.Add(new Edge(function + "PairF", new object[] { xf, yf }, gradient(xf, yf), atKink));
        }
    }

    private static readonly Lazy<CaseSet> Set = new(() => GradientCase.ToCaseSet("RuleEdges", Cases));

    public static IEnumerable<object[]> Keys => Edges.Select(e => new object[] { e.Key });

    [Theory]
    [MemberData(nameof(Keys))]
    public void Gradient_at_the_edge_is_exact(string key)
    {
        var edge = Edges.Single(e => e.Key == key);
        var method = Set.Value.Get(edge.Method);
        var args = Arguments(method, edge.Args);
        var result = method.InvokeBackward(args, 1.0);
        Assert.True(edge.Expected.Length == result.Gradients.Length, key + ": expected " + edge.Expected.Length + " gradients, got " + result);

        var failures = new StringBuilder();
        double tolerance = method.UsesFloat ? 1e-5 : 1e-11;
        // Below the smallest normal number a result keeps only a few bits: there an absolute error of that size is accepted.
        double floor = method.UsesFloat ? 1.17549435E-38 : 2.2250738585072014E-308;
        for (int k = 0; k < edge.Expected.Length; k++)
        {
            // A float gradient is at best the exact one rounded to float (infinite where it overflows float).
            double expected = method.UsesFloat ? (float)edge.Expected[k] : edge.Expected[k], actual = result.Gradients[k];
            bool ok = double.IsFinite(expected)
                ? double.IsFinite(actual) && (actual == expected || Math.Abs(actual - expected) <= Math.Max(tolerance * Math.Max(Math.Abs(actual), Math.Abs(expected)), floor))
                : actual.Equals(expected);
            if (!ok) failures.Append("  gradient ").Append(k).Append(": expected ").Append(Format.G(expected)).Append(", got ").AppendLine(Format.G(actual));
        }

        // A zero seed is a zero upstream gradient: wherever the derivative is finite it must give 0, not NaN.
        if (edge.Expected.All(e => method.UsesFloat ? float.IsFinite((float)e) : double.IsFinite(e)))
        {
            var zero = method.InvokeBackward(args, 0.0);
            for (int k = 0; k < zero.Gradients.Length; k++)
            {
                if (zero.Gradients[k] != 0) failures.Append("  gradient ").Append(k).Append(" with seed 0: got ").AppendLine(Format.G(zero.Gradients[k]));
            }
        }

        if (failures.Length > 0) Assert.Fail(key + ":\n" + failures + method.Describe());

        // Central differences where they are meaningful: double, finite, moderate magnitudes, off the kinks.
        bool moderate = edge.Args.All(a => a is not double d || d == 0 || (Math.Abs(d) >= 1e-3 && Math.Abs(d) <= 1e3));
        if (!method.UsesFloat && !edge.Kink && moderate && edge.Expected.All(double.IsFinite))
        {
            GradientChecker.CheckAt(method, edge.Args);
        }
    }

    [Fact]
    public void Every_rule_has_edges()
    {
        Assert.Equal(Edges.Count, Edges.Select(e => e.Key).Distinct().Count());
        var covered = new HashSet<string>(Edges.Select(e => e.Method), StringComparer.Ordinal);
        var uncovered = Cases.Select(c => c.Name).Where(n => !covered.Contains(n) && n != "PowerSeriesWithDataD").ToList();
        Assert.True(uncovered.Count == 0, "Cases without edges: " + string.Join(", ", uncovered));
        foreach (var function in Enum.GetNames(typeof(AutoGrad.CodeAnalysis.Model.MathFunction)))
        {
            Assert.Contains(Cases, c => c.Name.StartsWith(function, StringComparison.Ordinal) || c.Member.Contains("." + function + "(", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Power_series_with_a_zero_coefficient_at_zero_is_finite()
    {
        // c = {0, 3, 5}: f = 3x + 5x^2, f'(0) = 3. The k = 0 term gets a zero upstream gradient.
        var method = Set.Value.Get("PowerSeriesWithDataD");
        var result = method.InvokeBackward(new object?[] { 0.0, new[] { 0, 3, 5 } });
        Assert.Equal(0.0, result.Value);
        Assert.Equal(new[] { 3.0 }, result.Gradients);
        result = method.InvokeBackward(new object?[] { 1.0, new[] { 0, 3, 5 } });
        Assert.Equal(new[] { 13.0 }, result.Gradients);
    }

    private static object?[] Arguments(DifferentiableMethod method, object[] values) => method.Arguments(values);
}
