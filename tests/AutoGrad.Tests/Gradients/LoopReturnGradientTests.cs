using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// <c>return</c> inside loops, written the way users write it: search loops, a Newton iteration in
/// <c>while (true)</c> that returns once converged, returns from nested loops, from a switch section in a
/// loop, from a do loop, mixed with break and continue, and from helpers that are inlined into a loop. Checked
/// against finite differences away from the points where the loop would stop elsewhere, for double and float.
/// </summary>
public class LoopReturnGradientTests
{
    private static Func<ArrayPoint, bool> AwayFrom(string array, string scalar, double gap = 0.05) =>
        p => p.A(array).All(v => Math.Abs(v - p[scalar]) > gap && Math.Abs(v + p[scalar]) > gap);

    private const string FirstAboveHelper = """
        static double FirstAbove(double[] x, double lo)
        {
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] > lo) return x[i] * x[i];
            }

            return lo;
        }
        """;

    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "SearchLoopReturnsFirstMatch",
            "double[] x, double lo",
            """
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] > lo) return Math.Sin(x[i]) * lo;
            }
            return lo * lo;
            """,
            new ArrayDomain().Length("x", 5).Where(AwayFrom("x", "lo"))),
        ArrayCase.Float(
            "SearchLoopFloatWithWorkAfter",
            "float[] x, float lo",
            """
            float s = 0f;
            foreach (var v in x)
            {
                if (v > lo)
                    return s + v * lo;
                s += v * v;
            }
            return s;
            """,
            new ArrayDomain(-1, 2).Length("x", 4).Where(AwayFrom("x", "lo"))),
        ArrayCase.Double(
            "NewtonWhileTrueReturnsWhenConverged",
            "double a",
            """
            double r = a;
            while (true)
            {
                double next = 0.5 * (r + a / r);
                if (Math.Abs(next - r) < 1e-13 * r) return next;
                r = next;
            }
            """,
            new ArrayDomain(0.5, 4)),
        ArrayCase.Double(
            "NestedLoopsReturn",
            "double[] x, double t",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    s += x[i] * x[j];
                    if (s > t) return s * t;
                }
                s *= 0.9;
            }
            return s + t;
            """,
            new ArrayDomain(0, 1.5).Length("x", 5).Range("t", 0.5, 3).Where(p =>
            {
                // away from the point where a partial sum crosses t
                var x = p.A("x");
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    for (int j = 0; j < i; j++) { s += x[i] * x[j]; if (Math.Abs(s - p["t"]) < 0.05) return false; if (s > p["t"]) return true; }
                    s *= 0.9;
                }
                return true;
            })),
        ArrayCase.Double(
            "ReturnFromSwitchSectionInLoop",
            "double[] x, double w",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                switch (i % 3)
                {
                    case 0:
                        s += x[i] * w;
                        break;
                    case 1 when s > 1:
                        return s * x[i];
                    default:
                        if (x[i] < -1) continue;
                        s -= x[i];
                        break;
                }
            }
            return s;
            """,
            new ArrayDomain().Length("x", 7).Where(p =>
            {
                var x = p.A("x");
                if (x.Any(v => Math.Abs(v + 1) < 0.05)) return false;
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    if (i % 3 == 0) s += x[i] * p["w"];
                    else if (i % 3 == 1 && Math.Abs(s - 1) < 0.05) return false;
                    else if (i % 3 == 1 && s > 1) return true;
                    else if (x[i] >= -1) s -= x[i];
                }
                return true;
            })),
        ArrayCase.Double(
            "DoLoopReturnAndBreak",
            "double x, double y",
            """
            double p = 1;
            int k = 0;
            do
            {
                p *= x;
                if (p > 4) return p + y;
                if (p < -4) break;
                k++;
            }
            while (k < 6);
            return p * y;
            """,
            new ArrayDomain(-1.8, 1.8).Where(p => Enumerable.Range(1, 7).All(k => Math.Abs(Math.Abs(Math.Pow(p["x"], k)) - 4) > 0.1))),
        ArrayCase.Double(
            "EarlyReturnBeforeAndInsideLoop",
            "double[] x, double t",
            """
            if (t < -1.5) return t * t;
            double best = x[0];
            for (int i = 1; i < x.Length; i++)
            {
                if (x[i] > best) best = x[i];
                if (best > t) return best * t;
            }
            return best;
            """,
            new ArrayDomain().Length("x", 4).Where(p => Math.Abs(p["t"] + 1.5) > 0.05 && p.A("x").All(v => Math.Abs(v - p["t"]) > 0.05))),
        ArrayCase.Double(
            "HelperReturningInsideLoopInlined",
            "double[] x, double t",
            """
            double s = 0;
            for (int k = 0; k < 2; k++) s += FirstAbove(x, t * k) * t;
            return s + FirstAbove(x, -t);
            """,
            new ArrayDomain().Length("x", 4).Where(p => p.A("x").All(v => Math.Abs(v - p["t"]) > 0.05 && Math.Abs(v + p["t"]) > 0.05 && Math.Abs(v) > 0.05))) with { Helpers = "[Differentiable] " + FirstAboveHelper },
        ArrayCase.Float(
            "VoidHelperReturnsInsideLoop",
            "float[] x, float w",
            """
            var h = new float[x.Length];
            Fill(h, x, w);
            float s = 0f;
            for (int i = 0; i < h.Length; i++) s += h[i] * h[i];
            return s;
            """,
            new ArrayDomain().Length("x", 5).Where(p => p.A("x").All(v => Math.Abs(v - 1) > 0.05))) with
        {
            Helpers = """
                static void Fill(Span<float> h, float[] x, float w)
                {
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (x[i] > 1f) return;
                        h[i] = x[i] * w;
                    }
                }
                """,
        },
    };

    private static readonly ArrayCaseSet Set = new("LoopReturns", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Newton_returns_sqrt_and_its_gradient()
    {
        var method = Set.Get("NewtonWhileTrueReturnsWhenConverged");
        var result = method.InvokeBackward(method.Arguments(2.0));
        Assert.Equal(Math.Sqrt(2.0), result.Value, 12);
        Assert.Equal(0.5 / Math.Sqrt(2.0), result.Gradients[0][0], 8);
    }
}
