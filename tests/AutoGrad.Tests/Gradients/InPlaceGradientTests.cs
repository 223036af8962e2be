using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Methods that work in place on an array or span parameter (a sort, a prefix sum, a normalisation, a
/// factorisation on the caller's buffer): the Backward works on a copy, gives the gradient with respect to the
/// values on entry, and leaves the caller's array exactly as the method does (the checker compares the array
/// after the Backward with the array after the method, for every call).
/// </summary>
public class InPlaceGradientTests
{
    private const string Swap = """
        static void Swap(double[] a, int i, int j)
        {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        """;

    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "InsertionSortOnInput",
            "double[] x",
            """
            for (int i = 1; i < x.Length; i++)
            {
                double key = x[i];
                int j = i - 1;
                while (j >= 0 && x[j] > key)
                {
                    x[j + 1] = x[j];
                    j--;
                }
                x[j + 1] = key;
            }
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += (i + 1) * x[i] * x[i];
            return s;
            """,
            new ArrayDomain().Length("x", 5).Where(p => Distinct(p.A("x")))),
        ArrayCase.Float(
            "PrefixSumInPlace",
            "float[] v , float w",
            """
            for (var i = 1; i < v.Length; i++) v[i] += v[i - 1] * w;
            var total = 0f;
            foreach (var e in v) total += MathF.Sin(e);
            return total;
            """,
            new ArrayDomain(-1, 1).Length("v", 4)),
        ArrayCase.Double(
            "NormalizeSpanInPlace",
            "Span<double> p",
            """
            double sum = 0;
            for (int i = 0; i < p.Length; i++) { p[i] = Math.Exp(p[i]); sum += p[i]; }
            for (int i = 0; i < p.Length; i++) p[i] /= sum;
            return p[0] * 3 + p[p.Length - 1];
            """,
            new ArrayDomain().Length("p", 4)),
        ArrayCase.Double(
            "HelperSwapsInputElements",
            "double[] a, double k",
            """
            if (a[0] < a[1]) Swap(a, 0, 1);
            a[2] *= k;
            return a[0] * a[0] + a[1] * k + a[2];
            """,
            new ArrayDomain().Length("a", 3).Where(p => Math.Abs(p.A("a")[0] - p.A("a")[1]) > 0.05)) with { Helpers = Swap },
        ArrayCase.Double(
            "ScaledNoGradDataInPlace",
            "[NoGrad] double[] data, double scale",
            """
            for (int i = 0; i < data.Length; i++) data[i] = data[i] * scale;
            double s = 0;
            for (int i = 0; i < data.Length; i++) s += data[i] * data[i];
            return s;
            """,
            new ArrayDomain().Length("data", 3)),
        ArrayCase.Double(
            "CholeskyInPlace2x2",
            "double[] a",
            """
            // a = [a00, a01, a10, a11], symmetric positive definite (a01 == a10 read as one value).
            a[0] = Math.Sqrt(a[0]);
            a[2] = a[1] / a[0];
            a[1] = 0;
            a[3] = Math.Sqrt(a[3] - a[2] * a[2]);
            return Math.Log(a[0]) + Math.Log(a[3]);
            """,
            new ArrayDomain(0.2, 2).Length("a", 4).Where(p => p.A("a")[0] * p.A("a")[3] - p.A("a")[1] * p.A("a")[1] > 0.1)),
        ArrayCase.Double(
            "EarlyReturnAfterWrites",
            "double[] x, double t",
            """
            x[0] = x[0] * t;
            if (x[0] > 1) return x[0];
            for (int i = 1; i < x.Length; i++)
            {
                x[i] += x[i - 1];
                if (x[i] > 2) return x[i] * t;
            }
            return x[x.Length - 1];
            """,
            new ArrayDomain().Length("x", 4).Where(p => Away(p.A("x"), p["t"]))),
        ArrayCase.Float(
            "GuardThenInPlace",
            "float[] x, float c",
            """
            ArgumentOutOfRangeException.ThrowIfLessThan(x.Length, 2);
            x[1] = x[0] * c + x[1];
            return x[1] * x[1];
            """,
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "ThrowStatementThenInPlace",
            "double[] x, double c",
            """
            if (x.Length < 2) throw new ArgumentException("two values at least", nameof(x));
            if (c > 10) { x[0] = 0; throw new ArgumentOutOfRangeException(nameof(c)); }
            x[1] += x[0] * c;
            return x[1] * x[1];
            """,
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "WritesArrayAndSpanParameters",
            "double[] x, Span<double> y",
            """
            x[0] = 2;
            y[1] += x[0];
            return x[0] * y[1] + x[1] * y[0];
            """,
            new ArrayDomain().Length("x", 2).Length("y", 2)),
        ArrayCase.Double(
            "WritesThroughASpanOfAnInput",
            "double[] x",
            """
            Span<double> t = x.AsSpan(1);
            t[0] = t[0] * t[1];
            return t[0] * x[0] + x[1];
            """,
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "VoidHelperScalesTheInput",
            "double[] w, double x",
            """
            Scale(w, x);
            return w[0] + w[1] * w[1];
            """,
            new ArrayDomain().Length("w", 2)) with { Helpers = "static void Scale(double[] v, double k) { for (int i = 0; i < v.Length; i++) v[i] *= k; }" },
        ArrayCase.Double(
            "RecursionOnACopyAsAG0018Advises",
            "double[] x, int n",
            """
            var a = new double[x.Length];
            for (int i = 0; i < a.Length; i++) a[i] = x[i];
            if (n == 0) return a[0] * a[0];
            a[n] *= a[n - 1];
            return a[n] + RecursionOnACopyAsAG0018Advises(a, n - 1);
            """,
            new ArrayDomain().Length("x", 4).Fix("n", 3)),
        ArrayCase.Double(
            "WritesFromTheEndOfASpanParameter",
            "Span<double> x",
            """
            x[^1] = x[0] * 2;
            var mid = x[1..^1];
            mid[^1] += 3;
            return x[^1] * x[^2] + mid[0];
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Float(
            "WritesThroughRefLocalToInputElement",
            "float[] w, float x",
            """
            ref float e = ref w[0];
            e = e * x;
            return w[0] * x + w[1];
            """,
            new ArrayDomain().Length("w", 2)),
    };

    private static bool Distinct(double[] values) =>
        values.Select((v, i) => (v, i)).All(a => values.Select((w, j) => (w, j)).All(b => a.i == b.j || Math.Abs(a.v - b.w) > 0.05));

    /// <summary>Keeps EarlyReturnAfterWrites away from the thresholds where a return switches paths.</summary>
    private static bool Away(double[] x, double t)
    {
        var a = (double[])x.Clone();
        a[0] *= t;
        if (Math.Abs(a[0] - 1) < 0.05) return false;
        for (int i = 1; i < a.Length; i++)
        {
            a[i] += a[i - 1];
            if (Math.Abs(a[i] - 2) < 0.05) return false;
        }

        return true;
    }

    private static readonly ArrayCaseSet Set = new("InPlace", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public System.Threading.Tasks.Task Recursion_that_works_in_place_on_its_argument_is_AG0018() => AutoGrad.Tests.Diagnostics.AnalyzerVerifier.VerifyAsync(
        """
        partial class C
        {
            [Differentiable]
            static double R(double[] x, int n)
            {
                if (n == 0) return x[0] * x[0];
                x[n] *= x[n - 1];
                return x[n] + {|#0:R(x, n - 1)|};
            }
        }
        """,
        AutoGrad.Tests.Diagnostics.AnalyzerVerifier.Diagnostic(AutoGrad.CodeAnalysis.Diagnostics.DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0).WithArguments(
            "R",
            "it writes the elements of its array parameter 'x', and a call that is not inlined (recursion, another assembly) cannot follow those writes; have 'R' copy 'x' into a local array and work on the copy"));

    [Fact]
    public void Every_Backward_overload_of_an_in_place_method_says_which_arguments_it_writes()
    {
        // A generic Backward has a second overload without the seed; a caller in another assembly may call either.
        const string source = """
            using System.Numerics;
            using AutoGrad;
            public static partial class C
            {
                [Differentiable]
                public static T Square<T>(T[] x) where T : IFloatingPointIeee754<T>
                {
                    x[0] = x[0] * x[0];
                    return x[0];
                }
            }
            """;
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(source));
        string generated = string.Join("\n", run.GeneratedSources.Select(g => g.SourceText.ToString()));
        Assert.Equal(2, generated.Split("[global::AutoGrad.WritesArguments(\"x\")]").Length - 1);
    }

    [Fact]
    public void Backward_sorts_the_callers_array_as_the_method_does()
    {
        var method = Set.Get("InsertionSortOnInput");
        var x = new[] { 3.0, -1.0, 2.0, 0.5, -2.0 };
        var result = method.InvokeBackward(method.Arguments(x));
        double expected = 0;
        var sorted = x.OrderBy(v => v).ToArray();
        for (int i = 0; i < sorted.Length; i++) expected += (i + 1) * sorted[i] * sorted[i];
        Assert.Equal(expected, result.Value, 12);

        // d/dx_k of sum (rank+1) x^2 = 2 (rank(x_k) + 1) x_k, with respect to the unsorted entries.
        for (int k = 0; k < x.Length; k++)
        {
            int rank = Array.IndexOf(sorted, x[k]);
            Assert.Equal(2 * (rank + 1) * x[k], result.Gradients[0][k], 12);
        }
    }
}
