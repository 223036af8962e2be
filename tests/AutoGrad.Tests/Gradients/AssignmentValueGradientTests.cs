using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Assignments and increments used as values, the way C and C++ programmers write them (chained assignments,
/// <c>x[i++] = v</c>, <c>while (++k &lt; n)</c>, <c>while (n-- &gt; 0)</c>, an assignment in a condition,
/// <c>s += t = x * x</c>), checked against finite differences for double and float. Several cases read a
/// variable after it was changed inside an expression, so that C#'s order of evaluation shows in the value.
/// </summary>
public class AssignmentValueGradientTests
{
    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "ChainedAssignment",
            "double x, double y",
            """
            double a, b;
            a = b = x * y;
            b += a = Math.Sin(a);
            return a * b + x;
            """),
        ArrayCase.Float(
            "ChainedAssignmentConvertsToTarget",
            "float x, double y",
            """
            float a;
            double b = a = (float)(x * y) + 1f;
            return (float)(b * y) + a * x;
            """),
        ArrayCase.Double(
            "StoreWithPostIncrementIndex",
            "double[] x, double w",
            """
            var h = new double[x.Length];
            int i = 0;
            while (i < x.Length) h[i++] = x[i - 1] * w;
            double s = 0;
            for (int k = 0; k < h.Length; k++) s += h[k] * (k + 1);
            return s;
            """,
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Float(
            "PreIncrementInWhileCondition",
            "float[] x, float w",
            """
            int k = -1;
            float s = 0f;
            while (++k < x.Length) s += x[k] * x[k] * w;
            return s + k * w;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "PostDecrementInWhileConditionReadAfter",
            "double x, int n",
            """
            double s = 1;
            while (n-- > 0) s = s * x + 1;
            return s * (n + 3);
            """,
            new ArrayDomain(-1.2, 1.2).Fix("n", 4)),
        ArrayCase.Double(
            "AssignmentInConditionOfSearchLoop",
            "double[] x, double lo",
            """
            double t = 0;
            int i = 0;
            while ((t = x[i] * x[i]) < 3 && ++i < x.Length)
            {
                t *= lo;
            }
            return t + i * lo;
            """,
            new ArrayDomain(-1.5, 1.5).Length("x", 5).Where(p => p.A("x").All(v => Math.Abs(v * v - 3) > 0.05))),
        ArrayCase.Double(
            "AssignmentInConditionWithBreak",
            "double[] x, double lo",
            """
            double t = 0;
            int i = 0;
            while ((t = x[i] * x[i]) < 3 && ++i < x.Length)
            {
                if (x[i] < lo) break;
            }
            return t + i * lo;
            """,
            new ArrayDomain(-1.5, 1.5).Length("x", 5).Where(p => p.A("x").All(v => Math.Abs(v - p["lo"]) > 0.05 && Math.Abs(v * v - 3) > 0.05))),
        ArrayCase.Double(
            "PostDecrementWithBreakReadAfter",
            "double x, int n",
            """
            double s = 1;
            while (n-- > 0)
            {
                if (s > 2.5) break;
                s = s * x + 1;
            }
            return s * (n + 3);
            """,
            new ArrayDomain(0.5, 1.5).Fix("n", 6).Where(p => Math.Abs(p["x"] - 1) > 0.05)),
        ArrayCase.Float(
            "DoLoopWithPreIncrementCondition",
            "float x, int n",
            """
            int k = 0;
            float p = 1f;
            do
            {
                if (k == 1) continue;
                p *= x;
            }
            while (++k < n);
            return p + k * x;
            """,
            new ArrayDomain(-1.5, 1.5).Fix("n", 4)),
        ArrayCase.Double(
            "ForLoopConditionAssigns",
            "double[] x, double w",
            """
            double s = 0, v = 0;
            int i;
            for (i = 0; i < x.Length && (v = x[i] * w) < 1; i++) s += v * v;
            return s + v + i;
            """,
            new ArrayDomain(-1, 1).Length("x", 5).Where(p => p.A("x").All(e => Math.Abs(e * p["w"] - 1) > 0.05))),
        ArrayCase.Double(
            "AssignmentInIfCondition",
            "double x, double y",
            """
            double t, s;
            if ((t = x * y) > 0) s = t;
            else s = -t * x;
            return s + t;
            """,
            new ArrayDomain().Where(p => Math.Abs(p["x"] * p["y"]) > 0.05)),
        ArrayCase.Float(
            "CompoundOfAssignment",
            "float[] x",
            """
            float s = 0f, t = 0f;
            for (int i = 0; i < x.Length; i++) s += t = x[i] * x[i];
            return s * t;
            """,
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "CompoundReadsTargetBeforeRightOperand",
            "double x, double y",
            """
            double s = x;
            double u = (s *= y) + s;
            s += (s = x * x) * y;
            return u * s;
            """),
        ArrayCase.Double(
            "PostIncrementOfActiveValue",
            "double x, double y",
            """
            double q = x;
            double r = q++ * y;
            double p = --q * q;
            return r + q * y + p;
            """),
        ArrayCase.Double(
            "LocalElementIncrementsAsValues",
            "double[] x",
            """
            var a = new double[x.Length];
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                a[i] = x[i];
                s += a[i]++ * x[i] + ++a[i] + (a[i] *= x[i]);
            }
            return s + a[0];
            """,
            new ArrayDomain().Length("x", 3)),
        // Formerly rejected in helper calls (UserStyleCallTests2): now accepted and checked.
        ArrayCase.Double(
            "AssignmentInArgument",
            "double x",
            "double s; var r = Square(s = x * 2); return r + s;") with { Helpers = "static double Square(double v) => v * v;" },
        ArrayCase.Double(
            "PostIncrementInIndexArgument",
            "double[] w",
            "double s = 0; int i = 0; while (i < w.Length) s += Squared(w[i++]) * i; return s;",
            new ArrayDomain().Length("w", 4)) with { Helpers = "static double Squared(double v) => v * v;" },
        ArrayCase.Double(
            "PatternTestOnHelperResult",
            "double x",
            "return Sq(x) is > 1 and < 3 ? x * x * x : 2 * x;",
            new ArrayDomain(-2, 2).Where(p => Math.Abs(p["x"] * p["x"] - 1) > 0.05 && Math.Abs(p["x"] * p["x"] - 3) > 0.05)) with { Helpers = "static double Sq(double v) => v * v;" },
        ArrayCase.Double(
            "AssignmentInConditionalOperand",
            "double x, double y",
            """
            double t = 1;
            double r = x > 0 ? (t = x * y) : y;
            return r * t;
            """,
            new ArrayDomain().Where(p => Math.Abs(p["x"]) > 0.05)),
    };

    /// <summary>
    /// A local declared without a value and first assigned inside a do loop (found by a user-style trial: a stub
    /// with no diagnostic, or AG9999): the loop carries it from a value C# never lets anyone read.
    /// </summary>
    private static readonly ArrayCase[] UnassignedBeforeLoop =
    {
        ArrayCase.Double(
            "DoLoopAssignsUndeclaredValue",
            "double x",
            """
            double t;
            int it = 0;
            do { t = x * 0.5; it++; } while (t > 0.5 && it < 3);
            return t;
            """,
            new ArrayDomain().Where(p => Math.Abs(p["x"] * 0.5 - 0.5) > 0.05)),
        ArrayCase.Float(
            "DoWhileFalseAssigns",
            "float x",
            """
            float t;
            do { t = x * 0.5f; } while (false);
            return t * x;
            """),
        ArrayCase.Double(
            "DoLoopWithInnerForSum",
            "double x",
            """
            double t;
            int it = 0;
            do { t = 0; for (int i = 0; i < 2; i++) t += x * (it + 1); it++; } while (it < 3);
            return t * t;
            """),
        ArrayCase.Double(
            "ConvergenceLoopInPlace",
            "double[] x, double r",
            """
            double total;
            int it = 0;
            do
            {
                total = 0;
                for (int i = 0; i < x.Length; i++) { x[i] *= r; total += Math.Abs(x[i]); }
                it++;
            } while (total > 0.5 && it < 4);
            return total + x[0];
            """,
            new ArrayDomain(0.3, 0.9).Length("x", 3)),
    };

    private static readonly ArrayCaseSet Set = new("AssignmentValues", Cases.Concat(UnassignedBeforeLoop).ToArray());

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases.Concat(UnassignedBeforeLoop).ToArray());

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Do_loop_condition_runs_after_continue()
    {
        // k = 0, 2, 3 multiply (k == 1 continues to the test): p = x^3, and k ends at 4.
        var method = Set.Get("DoLoopWithPreIncrementCondition");
        Assert.Equal(0.125 + 4 * 0.5, method.InvokeBackward(method.Arguments(0.5f, 4)).Value, 6);
    }

    [Fact]
    public void Post_decrement_in_condition_leaves_minus_one()
    {
        // s = ((x + 1) x + 1) ... four times, then n = -1: the value is s * 2.
        var method = Set.Get("PostDecrementInWhileConditionReadAfter");
        double x = 0.5, s = 1;
        for (int k = 0; k < 4; k++) s = s * x + 1;
        Assert.Equal(s * 2, method.InvokeBackward(method.Arguments(x, 4)).Value, 12);
    }
}
