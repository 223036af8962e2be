using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Spans and slices as users write them: span locals, <c>AsSpan(start, length)</c>, <c>Slice</c>, ranges
/// <c>x[a..b]</c>, hat indices <c>x[^1]</c>, slices passed to helper methods (inlined), in loops and nested,
/// over differentiated and [NoGrad] parameters and over local scratch arrays. A slice's gradient lands in the
/// matching part of its array's gradient; each case is checked element by element against finite differences.
/// </summary>
public class SliceGradientTests
{
    private const string DotHelper = """
        static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            double s = 0;
            for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
            return s;
        }
        """;

    private const string DotHelperFloat = """
        static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            float s = 0f;
            for (int k = 0; k < a.Length; k++)
                s += a[k] * b[k];
            return s;
        }
        """;

    private const string MeanHelper = """
        static double Mean(ReadOnlySpan<double> window)
        {
            double total = 0;
            foreach (var v in window) total += v;
            return total / window.Length;
        }
        """;

    private static readonly ArrayCase[] Cases =
    {
        // ---------------- matrix rows of a flattened matrix ----------------
        ArrayCase.Double(
            "MatVecRowsAsSpanLocal",
            "double[] W, [NoGrad] double[] x, [NoGrad] double[] y",
            """
            int n = x.Length;
            double loss = 0;
            for (int i = 0; i < y.Length; i++)
            {
                ReadOnlySpan<double> row = W.AsSpan(i * n, n);
                double r = Dot(row, x) - y[i];
                loss += r * r;
            }
            return 0.5 * loss;
            """,
            new ArrayDomain(-1, 1).Length("W", 6).Fix("x", new[] { 0.5, -1.0, 2.0 }).Fix("y", new[] { 1.0, -0.5 }))
            with { Helpers = DotHelper },
        ArrayCase.Double(
            "MatVecSliceAsArgument",
            "double[] W, double[] x, [NoGrad] int n",
            """
            var total = 0.0;
            int rows = W.Length / n;
            for (int i = 0; i < rows; i++)
                total += Math.Tanh(Dot(W.AsSpan(i * n, n), x));
            return total;
            """,
            new ArrayDomain(-1, 1).Length("W", 6).Length("x", 2).Fix("n", 2))
            with { Helpers = DotHelper },
        ArrayCase.Float(
            "MatVecRowsFloat",
            "float[] W, float[] b, [NoGrad] float[] x",
            """
            int n = x.Length;
            float loss = 0f;
            for (int i = 0; i < b.Length; i++)
            {
                var row = W.AsSpan(i * n, n);
                float z = Dot(row, x) + b[i];
                loss += z * z;
            }
            return loss;
            """,
            new ArrayDomain(-1, 1).Length("W", 6).Length("b", 3).Fix("x", new[] { 0.5f, -1.5f }))
            with { Helpers = DotHelperFloat },

        // ---------------- windows ----------------
        ArrayCase.Double(
            "MovingAverageOverRange",
            "double[] x, [NoGrad] int k",
            """
            double s = 0;
            for (int i = 0; i + k <= x.Length; i++)
            {
                double m = Mean(x[i..(i + k)]);
                s += m * m * (i + 1);
            }
            return s;
            """,
            new ArrayDomain().Length("x", 6).Fix("k", 3))
            with { Helpers = MeanHelper },
        ArrayCase.Float(
            "MovingSumOverSliceFloat",
            "ReadOnlySpan<float> x, float scale",
            """
            float best = 0f;
            for (int i = 0; i + 2 <= x.Length; i++)
            {
                var w = x.Slice(i, 2);
                float s = 0f;
                foreach (float v in w) s += v * scale;
                best += MathF.Sin(s);
            }
            return best;
            """,
            new ArrayDomain(-1, 1).Length("x", 5)),

        // ---------------- hat indices ----------------
        ArrayCase.Double(
            "LastMinusFirst",
            "double[] x",
            "return x[^1] - x[0] + x[^2] * x[1];",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "HatFromSpanParameterInLoop",
            "ReadOnlySpan<double> z, double t",
            """
            double acc = 0;
            for (int k = 1; k <= z.Length; k++)
                acc += z[^k] * Math.Pow(t, k);
            return acc;
            """,
            new ArrayDomain(0.2, 1.5).Length("z", 4)),
        ArrayCase.Float(
            "HatIntoLocalArrayFloat",
            "float[] x",
            """
            var a = new float[x.Length];
            for (int i = 0; i < x.Length; i++) a[i] = x[i] * x[i];
            a[^1] = a[^1] + 3f * x[0];
            return a[^1] * a[0] + a[^2];
            """,
            new ArrayDomain(-1, 1).Length("x", 3)),

        // ---------------- [NoGrad] data ----------------
        ArrayCase.Double(
            "FitOnNoGradSlices",
            "double a, double b, [NoGrad] double[] data, [NoGrad] int half",
            """
            ReadOnlySpan<double> inputs = data.AsSpan(0, half);
            var targets = data.AsSpan(half);
            double loss = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                double e = a * inputs[i] + b - targets[i];
                loss += e * e;
            }
            return loss / inputs.Length;
            """,
            new ArrayDomain().Fix("data", new[] { 0.1, 0.7, 1.3, 2.0, 0.4, 1.6, 2.9, 4.2 }).Fix("half", 4)),
        ArrayCase.Double(
            "NoGradWeightsRangeTimesParameter",
            "double[] x, [NoGrad] double[] kernel",
            """
            double s = 0;
            for (int i = 0; i + kernel.Length <= x.Length; i++)
                s += Math.Exp(0.3 * Dot(kernel, x[i..(i + kernel.Length)]));
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 5).Fix("kernel", new[] { 0.25, 0.5, 0.25 }))
            with { Helpers = DotHelper },

        // ---------------- slices of local scratch arrays ----------------
        ArrayCase.Double(
            "ScratchHalvesAsSpanLocals",
            "double[] x",
            """
            int n = x.Length;
            var h = new double[2 * n];
            Span<double> first = h.AsSpan(0, n);
            Span<double> second = h.AsSpan(n);
            for (int i = 0; i < n; i++)
            {
                first[i] = Math.Sin(x[i]);
                second[i] = first[i] * x[i];
            }
            double s = 0;
            for (int j = 0; j < h.Length; j++) s += h[j] * (j + 1);
            return s;
            """,
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Float(
            "ScratchSliceFilledByVoidHelperFloat",
            "float[] x, float c",
            """
            Span<float> buffer = stackalloc float[8];
            Square(x, buffer.Slice(2, x.Length));
            float s = 0f;
            for (int i = 0; i < buffer.Length; i++) s += buffer[i] * c;
            return s + buffer[^6] * buffer[3];
            """,
            new ArrayDomain(-1, 1).Length("x", 3))
            with { Helpers = "static void Square(ReadOnlySpan<float> src, Span<float> dst)\n{\n    for (int i = 0; i < src.Length; i++) dst[i] = src[i] * src[i];\n}" },
        ArrayCase.Double(
            "SpanAliasOfLocalArray",
            "double[] x",
            """
            double[] acc = new double[2];
            Span<double> t = acc;
            foreach (var v in x)
            {
                t[0] += v;
                t[1] += v * v;
            }
            double mean = acc[0] / x.Length;
            return acc[1] / x.Length - mean * mean;
            """,
            new ArrayDomain().Length("x", 4)),

        // ---------------- the same slice twice, slices of slices ----------------
        ArrayCase.Double(
            "SliceTwiceToTheSameHelper",
            "double[] x",
            """
            var s = x.AsSpan(1, 3);
            return Dot(s, s) + Dot(x.AsSpan(0, 3), s);
            """,
            new ArrayDomain().Length("x", 4))
            with { Helpers = DotHelper },
        ArrayCase.Double(
            "SliceOfASlice",
            "double[] x, double w",
            """
            var mid = x.AsSpan()[1..^1];
            var inner = mid.Slice(1, 2);
            return inner[0] * inner[^1] * w + mid.Length * mid[0] + Dot(mid[..2], inner);
            """,
            new ArrayDomain().Length("x", 5))
            with { Helpers = DotHelper },
        ArrayCase.Float(
            "SliceOfASliceFloat",
            "ReadOnlySpan<float> x",
            """
            var tail = x[2..];
            var head = tail[..^1];
            float p = 1f;
            foreach (var v in head) p *= 1f + v;
            return p + tail[^1] * x[0];
            """,
            new ArrayDomain(-0.5, 0.5).Length("x", 6)),
        ArrayCase.Double(
            "HelperSlicesItsParameter",
            "double[] x, double[] y",
            """
            double s = 0;
            for (int i = 0; i < 2; i++)
                s += Head(x.AsSpan(i)) * Head(y[i..]);
            return s;
            """,
            new ArrayDomain().Length("x", 3).Length("y", 4))
            with { Helpers = "static double Head(ReadOnlySpan<double> v)\n{\n    var rest = v.Slice(1);\n    return v[0] * rest[0] + rest[^1];\n}" },
        ArrayCase.Double(
            "RangeAndAsSpanToAHelper",
            "double[] w",
            "return Sum(w[1..]) + Sum(w.AsSpan(1, 2));",
            new ArrayDomain().Length("w", 4))
            with { Helpers = "static double Sum(ReadOnlySpan<double> v) { double s = 0; foreach (var e in v) s += e * e; return s; }" },
        ArrayCase.Double(
            "WritesThroughSliceExpressionsAndIndexOverloads",
            "double[] x",
            """
            int n = x.Length;
            var h = new double[n + 2];
            for (int i = 0; i < n; i++) h.AsSpan(2)[i] = x[i] * x[i];
            h.AsSpan()[1..][0] = x[^1];
            var tail = x.AsSpan(^2);
            return Dot(h.AsSpan(length: n, start: 1), x) + tail[0] * tail.Length + x.AsSpan(start: 1)[^1];
            """,
            new ArrayDomain().Length("x", 4))
            with { Helpers = DotHelper },
        ArrayCase.Double(
            "FirstThreeOfAHead",
            "double[] x, [NoGrad] int m",
            """
            var head = x.AsSpan(0, m);
            double s = 0;
            for (int i = 0; i < 3; i++) s += head[i] * head[i] * (i + 1);
            return s;
            """,
            new ArrayDomain().Length("x", 5).Fix("m", 3)),
        ArrayCase.Double(
            "SpanLocalReassignedInSequence",
            "double[] x",
            """
            var part = x.AsSpan(0, 2);
            double a = part[0] * part[1];
            part = x.AsSpan(2);
            a += part[^1] * part.Length;
            return a;
            """,
            new ArrayDomain().Length("x", 5)),
    };

    private static readonly ArrayCaseSet Set = new("Slices", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void A_row_gradient_lands_in_its_row_of_the_matrix_gradient()
    {
        var method = Set.Get("MatVecRowsAsSpanLocal");
        var W = new[] { 1.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
        var result = method.InvokeBackward(method.Arguments(W, new[] { 0.5, -1.0, 2.0 }, new[] { 1.0, -0.5 }));
        // Row 0: r = 0.5 - 1 = -0.5, dW[0..3] = r * x; row 1: r = 0.5, dW[3..6] = r * x.
        Assert.Equal(new[] { -0.25, 0.5, -1.0, 0.25, -0.5, 1.0 }, result.Gradients[0]);
    }

    [Fact]
    public void A_slice_out_of_range_throws_as_the_method_does()
    {
        var method = Set.Get("MovingAverageOverRange");
        var x = new[] { 1.0, 2.0, 3.0 };
        AssertSameException(method, method.Arguments(x, -1));
    }

    [Fact]
    public void An_index_past_the_end_of_a_slice_throws_as_the_method_does()
    {
        var method = Set.Get("FirstThreeOfAHead");
        // head = x.AsSpan(0, 2) has 2 elements: the method reads head[2], past its end (not past x's).
        var args = method.Arguments(new[] { 0.5, 1.0, 1.5, 2.0, 2.5 }, 2);
        AssertSameException(method, args);
    }

    private static void AssertSameException(ArrayMethod method, object?[] args)
    {
        var original = Assert.Throws<TargetInvocationException>(() => method.InvokePrimal(args)).InnerException!;
        var generated = Assert.Throws<TargetInvocationException>(() => method.InvokeBackward(args)).InnerException!;
        Assert.Equal(original.GetType(), generated.GetType());
    }
}
