using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Guard clauses written the way people write them: <c>if (…) throw new …Exception(…)</c> with and without
/// braces, at the start, after a reassignment, at the end of an else-less chain of returns, inside loops and
/// inside inlined helpers; the BCL's argument checks (<c>ThrowIfNegative</c>, <c>ThrowIfNull</c>, …) and
/// <c>Debug.Assert</c>. They run in the Backward's forward sweep with no derivative: the gradients are those of
/// the method without them, and bad input makes the Backward throw what the method throws, before it writes
/// any gradient.
/// </summary>
public class GuardGradientTests
{
    private static readonly GradientCase[] Cases =
    {
        GradientCase.Double(
            "LogWithGuard",
            "double x, double y",
            "if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x));\nreturn Math.Log(x) * y;",
            new Domain().Range("x", 0.1, 3)),
        GradientCase.Float(
            "SqrtWithBracedGuardAndMessage",
            "float x, float y",
            "if (x < 0f)\n{\n    throw new ArgumentOutOfRangeException(nameof(x), x, $\"x was {x:F3}, {{expected}} >= 0\");\n}\nvar r = MathF.Sqrt(x) + y * y;\nreturn r;",
            new Domain().Range("x", 0.2, 3)),
        GradientCase.Double(
            "ArgumentChecksAndAsserts",
            "double x, double y, int n",
            "ArgumentOutOfRangeException.ThrowIfNegative(x);\nArgumentOutOfRangeException.ThrowIfLessThan(n, 1);\nArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, 10.0);\nSystem.Diagnostics.Debug.Assert(x >= 0);\nSystem.Diagnostics.Debug.Assert(n > 0, \"n must be positive\");\nSystem.Diagnostics.Debug.Assert(x + n > 0, $\"x + n = {x + n:F1}, \\\"{n}\\\"\");\nreturn Math.Pow(x + 1, n) * y;",
            new Domain().Range("x", 0, 2).Fix("n", 3)),
        GradientCase.Float(
            "FloatArgumentChecks",
            "float x, [NoGrad] float limit",
            "ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);\nArgumentOutOfRangeException.ThrowIfGreaterThan(x, limit);\nreturn x * x / limit;",
            new Domain().Range("x", -2, 1).Fix("limit", 1.5f)),
        GradientCase.Double(
            "GuardAfterReassignment",
            "double x, double y",
            "x = x * x - 1;\nif (x < -1) throw new InvalidOperationException(\"x = \" + x + \" after squaring\");\nArgumentOutOfRangeException.ThrowIfGreaterThan(x, 100.0);\nreturn x * y;"),
        GradientCase.Double(
            "ThrowAtTheEndOfAChainOfReturns",
            "double x, double y",
            "if (x > 0.1) return Math.Log(x) * y;\nif (x < -0.1) return -x * y;\nthrow new ArgumentException(\"x must not be near zero\", nameof(x));",
            new Domain().Where(p => Math.Abs(p["x"]) > 0.15)),
        new GradientCase(
            "GuardInAnInlinedHelper",
            "static double SafeSqrt(double v)\n{\n    if (v < 0) throw new ArgumentOutOfRangeException(nameof(v), v, \"negative\");\n    return Math.Sqrt(v);\n}\n\n"
            + GradientCase.Declare("double", "GuardInAnInlinedHelper", "double x, double y", "return SafeSqrt(x * x + y) * x;"),
            new Domain().Range("y", 0.5, 2)),
        new GradientCase(
            "ElseLessThrowInAFloatHelper",
            "static float Recip(float v)\n{\n    if (v != 0f) return 1f / v;\n    throw new DivideByZeroException();\n}\n\n"
            + GradientCase.Declare("float", "ElseLessThrowInAFloatHelper", "float x, float y", "var r = Recip(x + 3f);\nreturn r * y;"),
            new Domain(-1, 1)),
        new GradientCase(
            "VoidCheckHelper",
            "static void CheckFinite(double v)\n{\n    if (double.IsNaN(v) || double.IsInfinity(v)) throw new ArgumentException(\"not finite\", nameof(v));\n}\n\n"
            + GradientCase.Declare("double", "VoidCheckHelper", "double x, double y", "CheckFinite(x);\nCheckFinite(y);\nreturn x * Math.Sin(y);"),
            new Domain()),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("Guards", Cases);

    private static readonly ArrayCase[] ArrayCases =
    {
        ArrayCase.Double(
            "DotWithLengthGuard",
            "double[] xs, double[] ys",
            "ArgumentNullException.ThrowIfNull(xs);\nif (xs.Length != ys.Length) throw new ArgumentException(\"lengths differ\", nameof(ys));\ndouble s = 0;\nfor (int i = 0; i < xs.Length; i++) s += xs[i] * ys[i];\nreturn s;",
            new ArrayDomain().Length("xs", 3).Length("ys", 3)),
        ArrayCase.Double(
            "RosenbrockWithNaNGuard",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i < x.Length - 1; i++)\n{\n    if (double.IsNaN(x[i + 1])) throw new ArgumentException(\"NaN at \" + (i + 1), nameof(x));\n    var a = x[i + 1] - x[i] * x[i];\n    var b = 1 - x[i];\n    s += 100 * a * a + b * b;\n}\nreturn s;",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Float(
            "FloatLossWithGuardPerExample",
            "float[] w, [NoGrad] float[] xs",
            "float loss = 0f;\nfor (int i = 0; i < xs.Length; i++)\n{\n    if (xs[i] < 0f) throw new ArgumentOutOfRangeException(nameof(xs), $\"xs[{i}] = {xs[i]}\");\n    float p = w[0] * xs[i] + w[1];\n    loss += p * p;\n}\nreturn loss / xs.Length;",
            new ArrayDomain(0, 1).Length("w", 2).Length("xs", 4)),
        ArrayCase.Double(
            "CheckpointedBatchWithGuard",
            "double[] w, [NoGrad] double[] xs, int batch",
            """
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
            double loss = 0;
            for (int e = 0; e < batch; e++)
            {
                var h = new double[3];
                for (int j = 0; j < 3; j++)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        double z = w[j * 2 + i] * xs[e * 2 + i];
                        if (z > 50) throw new OverflowException($"w[{j * 2 + i}] * xs[{e * 2 + i}] = {z} is too large");
                        h[j] += Math.Exp(z);
                    }
                }
                double o = 0;
                for (int j = 0; j < 3; j++) o += h[j] * h[(j + 1) % 3];
                loss += Math.Log(o);
            }
            return loss * loss / batch;
            """,
            new ArrayDomain(-1, 1).Length("w", 6).Length("xs", 8).Fix("batch", 4)),
    };

    private static readonly ArrayCaseSet ArraySet = new("ArrayGuards", ArrayCases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    public static IEnumerable<object[]> ArrayNames => ArrayCase.Names(ArrayCases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, Array.Find(Cases, c => c.Name == name)!);

    [Theory]
    [MemberData(nameof(ArrayNames))]
    public void Array_gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(ArraySet, name);

    [Theory]
    [InlineData("LogWithGuard", typeof(ArgumentOutOfRangeException), new object[] { -1.0, 2.0 })]
    [InlineData("SqrtWithBracedGuardAndMessage", typeof(ArgumentOutOfRangeException), new object[] { -0.5, 1.0 })]
    [InlineData("ArgumentChecksAndAsserts", typeof(ArgumentOutOfRangeException), new object[] { -0.5, 1.0, 3 })]
    [InlineData("ArgumentChecksAndAsserts", typeof(ArgumentOutOfRangeException), new object[] { 0.5, 1.0, 0 })]
    [InlineData("ArgumentChecksAndAsserts", typeof(ArgumentOutOfRangeException), new object[] { 0.5, 10.0, 2 })]
    [InlineData("FloatArgumentChecks", typeof(ArgumentOutOfRangeException), new object[] { 2.0, 1.5 })]
    [InlineData("GuardAfterReassignment", typeof(ArgumentOutOfRangeException), new object[] { 11.0, 1.0 })]
    [InlineData("ThrowAtTheEndOfAChainOfReturns", typeof(ArgumentException), new object[] { 0.0, 1.0 })]
    [InlineData("GuardInAnInlinedHelper", typeof(ArgumentOutOfRangeException), new object[] { 0.5, -2.0 })]
    [InlineData("ElseLessThrowInAFloatHelper", typeof(DivideByZeroException), new object[] { -3.0, 1.0 })]
    [InlineData("VoidCheckHelper", typeof(ArgumentException), new object[] { 1.0, double.NaN })]
    public void Backward_throws_what_the_method_throws(string name, Type exception, object[] values)
    {
        var method = Set.Get(name);
        var args = method.Arguments(values);
        var forward = Assert.Throws<TargetInvocationException>(() => method.Invoke(args)).InnerException!;
        var backward = Assert.Throws<TargetInvocationException>(() => method.InvokeBackward(args)).InnerException!;
        Assert.IsType(exception, forward, exactMatch: true);
        Assert.IsType(exception, backward, exactMatch: true);
        Assert.Equal(forward.Message, backward.Message);
    }

    [Fact]
    public void Backward_that_throws_leaves_the_gradient_buffers_untouched()
    {
        // A guard in a loop that would be fused (its gradient added during the forward sweep): the NaN is in the
        // last iteration, after earlier iterations could have written.
        var rosenbrock = ArraySet.Get("RosenbrockWithNaNGuard");
        var args = rosenbrock.Arguments(new[] { 0.5, -0.3, 1.2, 0.8, double.NaN });
        var buffers = rosenbrock.Buffers(args, prefill: 7.0, wrongIndex: -1, wrongLength: 0);
        var error = Assert.Throws<TargetInvocationException>(() => rosenbrock.InvokeWithBuffers(args, buffers, 1.0)).InnerException!;
        Assert.Equal("NaN at 4 (Parameter 'x')", error.Message);
        Assert.All((double[])buffers[0]!, g => Assert.Equal(7.0, g));

        // The method's own guards come first: a null array fails with ArgumentNullException, as in the method.
        var dot = ArraySet.Get("DotWithLengthGuard");
        var dotBuffers = new Array?[] { new[] { 7.0, 7.0 }, new[] { 7.0, 7.0 } };
        var nullError = Assert.Throws<TargetInvocationException>(() => dot.InvokeWithBuffers(new object?[] { null, new[] { 1.0, 2.0 } }, dotBuffers, 1.0)).InnerException!;
        Assert.IsType<ArgumentNullException>(nullError);
        var lengthError = Assert.Throws<TargetInvocationException>(() => dot.InvokeWithBuffers(new object?[] { new[] { 1.0, 2.0 }, new[] { 1.0, 2.0, 3.0 } }, new Array?[] { new[] { 7.0, 7.0 }, new[] { 7.0, 7.0, 7.0 } }, 1.0)).InnerException!;
        Assert.Equal("ys", ((ArgumentException)lengthError).ParamName);
        Assert.All(dotBuffers.SelectMany(b => (double[])b!), g => Assert.Equal(7.0, g));

        var batch = ArraySet.Get("CheckpointedBatchWithGuard");
        var w = new[] { 0.1, 0.2, 0.3, 30.0, 0.5, 0.6 };
        var xs = new[] { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 2.0, 2.0 };
        var batchBuffers = batch.Buffers(batch.Arguments(w, xs, 4), prefill: 7.0, wrongIndex: -1, wrongLength: 0);
        var overflow = Assert.Throws<TargetInvocationException>(() => batch.InvokeWithBuffers(batch.Arguments(w, xs, 4), batchBuffers, 1.0)).InnerException!;
        Assert.IsType<OverflowException>(overflow);
        Assert.All((double[])batchBuffers[0]!, g => Assert.Equal(7.0, g));
    }

    [Fact]
    public void A_guard_keeps_a_loop_from_being_fused_and_a_checkpointed_loop_recomputes_it()
    {
        Assert.DoesNotContain("known before the loop", ArraySet.Generated("RosenbrockWithNaNGuard"), StringComparison.Ordinal);
        Assert.Contains("// checkpoint:", ArraySet.Generated("CheckpointedBatchWithGuard"), StringComparison.Ordinal);
    }
}
