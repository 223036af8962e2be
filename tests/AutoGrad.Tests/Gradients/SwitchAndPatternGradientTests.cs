using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Switch statements, switch expressions and patterns written the way users write them (piecewise functions,
/// activation pickers, modes chosen by an int, guards, switches in loops and in inlined helpers, early returns
/// from sections), each checked against finite differences away from the kinks, for double and float.
/// </summary>
public class SwitchAndPatternGradientTests
{
    private static Func<ArrayPoint, bool> Away(string name, params double[] kinks) =>
        p => kinks.All(k => Math.Abs(p[name] - k) > 0.05);

    private const string ActivationHelper = """
        static double Activate(double v, int kind)
        {
            switch (kind)
            {
                case 0:
                    return Math.Tanh(v);
                case 1:
                    if (v > 0) return v;
                    return 0.1 * v;
                case 2 or 3:
                    return v / (1 + Math.Exp(-v));
                default:
                    return v;
            }
        }
        """;

    private static readonly ArrayCase[] Cases = new[]
    {
        // ---------------- switch expressions ----------------
        ArrayCase.Double(
            "PiecewiseSwitchExpression",
            "double x",
            "return x switch { < 0 => -x, < 1 => x * x, _ => 2 * x - 1 };",
            new ArrayDomain(-2, 3).Where(Away("x", 0, 1))),
        ArrayCase.Float(
            "PiecewiseSwitchExpressionFloat",
            "float x, float y",
            """
            var r = x switch
            {
                < -1f => -y,
                >= -1f and < 1f => x * y,
                _ => MathF.Sqrt(x) * y
            };
            return r * r + y;
            """,
            new ArrayDomain(-2, 3).Where(Away("x", -1, 1))),
        ArrayCase.Double(
            "SwitchExpressionOverIntInLoop",
            "double[] w, double a",
            """
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                s += (i % 4) switch
                {
                    0 => w[i] * a,
                    1 or 2 => Math.Sin(w[i]) + a * a,
                    _ => Math.Exp(-w[i] * w[i]),
                };
            }
            return s;
            """,
            new ArrayDomain().Length("w", 7)),
        ArrayCase.Double(
            "SwitchExpressionWithGuardsAndVar",
            "double x, double y",
            """
            double d = (x - y) switch
            {
                var v when v > y => v - y,
                > 0 => Math.Log(1 + x) * y,
                double z => Math.Exp(z) - 1,
            };
            return d * x;
            """,
            new ArrayDomain(-1.5, 1.5).Where(p => Math.Abs(p["x"] - p["y"]) > 0.05 && Math.Abs(p["x"] - 2 * p["y"]) > 0.05 && p["x"] > -0.9)),
        ArrayCase.Double(
            "SwitchExpressionArmInlinesHelper",
            "double[] x, double w",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                s += i switch { 0 => Activate(x[i] * w, 0), 1 => Activate(x[i] * w, 1), _ => Activate(x[i], 3) * w };
            }
            return s;
            """,
            new ArrayDomain().Length("x", 4).Where(p => p.A("x").All(v => Math.Abs(v) > 0.05))) with { Helpers = "[Differentiable] " + ActivationHelper },

        // ---------------- switch statements ----------------
        ArrayCase.Double(
            "SwitchStatementInLoopWithBreaks",
            "double[] x, double w",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                switch (i % 3)
                {
                    case 0:
                        s += x[i] * x[i];
                        break;
                    case 1: case 2:
                        var t = Math.Sin(x[i]);
                        s += t * w;
                        break;
                    default:
                        s -= 1;
                        break;
                }
            }
            return s;
            """,
            new ArrayDomain().Length("x", 6)),
        ArrayCase.Float(
            "SwitchStatementInLoopFloat",
            "float[] x, float w",
            """
            float s = 0f;
            foreach (var v in x)
            {
                switch (v)
                {
                    case < 0f:
                        s -= v * w;
                        break;
                    case > 1f when w > 0f:
                        s += MathF.Log(v) * w;
                        break;
                    default:
                        s += v * v;
                        break;
                }
            }
            return s;
            """,
            new ArrayDomain(-2, 3).Length("x", 5).Where(p => p.A("x").All(v => Math.Abs(v) > 0.05 && Math.Abs(v - 1) > 0.05) && Math.Abs(p["w"]) > 0.05)),
        ArrayCase.Double(
            "SwitchStatementContinueInLoop",
            "double[] x, double a",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                switch (i)
                {
                    case 1:
                        continue;
                    case 3:
                        s += a;
                        break;
                    default:
                        s += x[i] * a;
                        break;
                }

                s *= 1.5;
            }
            return s;
            """,
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "SwitchInHelperInLoop",
            "double[] x, double w",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += Activate(x[i] * w, i % 5);
            return s;
            """,
            new ArrayDomain().Length("x", 6).Where(p => p.A("x").All(v => Math.Abs(v * p["w"]) > 0.05))) with { Helpers = "[Differentiable] " + ActivationHelper },

        // ---------------- is patterns ----------------
        ArrayCase.Double(
            "IsPatternsInConditions",
            "double x, double y, int k",
            """
            double r = y;
            if (x is > 0 and < 1) r *= x;
            else if (x is not 0 && k is 0 or 1) r += x * x;
            if (y is double.NaN or > 10) return 0;
            return r * y;
            """,
            new ArrayDomain(-2, 2).Where(Away("x", 0, 1)).Fix("k", 1)),
        ArrayCase.Float(
            "IsNaNPatternSkipsEntries",
            "float[] x, float w",
            """
            float s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] is float.NaN) continue;
                s += x[i] is >= 0 ? x[i] * w : -x[i];
            }
            return s;
            """,
            new ArrayDomain().Length("x", 4).Where(p => p.A("x").All(v => Math.Abs(v) > 0.05))),
    }
    .Concat(Enumerable.Range(-1, 5).Select(mode => ArrayCase.Double(
        "SwitchStatementReturns" + (mode < 0 ? "Minus" : string.Empty) + Math.Abs(mode),
        "double x, double y, int mode",
        """
        switch (mode)
        {
            case 0:
                return x * y;
            case 1:
                {
                    double e = Math.Exp(x);
                    return e + y;
                }
            case 2 when y > 0:
                return Math.Sqrt(y) * x;
            case 2:
                return x;
            default:
                break;
        }
        double z = x - y * y;
        return z * z;
        """,
        new ArrayDomain(-1.5, 1.5).Where(Away("y", 0)).Fix("mode", mode))))
    .Concat(new[] { -1, 0, 7 }.Select(k => ArrayCase.Double(
        "SwitchStatementFlaggedReturnK" + (k < 0 ? "Minus" : string.Empty) + Math.Abs(k),
        "double x, double y, int k",
        """
        double r = x;
        switch (k)
        {
            case < 0:
                return -x * y;
            case 0:
                r = x * y;
                break;
            case > 5 when x > 0:
                return Math.Log(x + 1);
            default:
                r *= y;
                break;
        }
        return r * r;
        """,
        new ArrayDomain(-1.5, 1.5).Where(Away("x", 0)).Fix("k", k))))
    .ToArray();

    private static readonly ArrayCaseSet Set = new("SwitchAndPatterns", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Switch_expression_takes_the_arm_of_its_value()
    {
        var method = Set.Get("PiecewiseSwitchExpression");
        Assert.Equal(-1.0, method.InvokeBackward(method.Arguments(-0.5)).Gradients[0][0], 12);
        Assert.Equal(1.0, method.InvokeBackward(method.Arguments(0.5)).Gradients[0][0], 12);
        Assert.Equal(2.0, method.InvokeBackward(method.Arguments(1.5)).Gradients[0][0], 12);
    }
}
