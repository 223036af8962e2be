using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>Spans and slices: what the analyzer accepts (checked for gradients in SliceGradientTests) and what it still rejects.</summary>
    public class SliceDiagnosticsTests
    {
        [Fact]
        public Task Span_locals_slices_ranges_and_hat_indices_are_accepted() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[] W, ReadOnlySpan<double> x, [NoGrad] double[] data, int n)
                {
                    double s = x[^1] - x[0] + data[^2];
                    for (int i = 0; i < W.Length / n; i++)
                    {
                        ReadOnlySpan<double> row = W.AsSpan(i * n, n);
                        s += Dot(row, x[..n]) + Dot(W.AsSpan(i * n, n), data.AsSpan(1, n));
                        var mid = row[1..^1];
                        s += mid.Slice(1)[0] * mid.Length;
                    }

                    var scratch = new double[2 * n];
                    Span<double> half = scratch.AsSpan(n);
                    half[^1] = s;
                    foreach (var v in x.Slice(1)) s += v * half[^1];
                    var part = W[1..3];
                    part = W[2..4];
                    return s + part[0];
                }

                static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
                {
                    double s = 0;
                    for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
                    return s;
                }
            }
            """);

        [Fact]
        public Task AG0011_ReassigningASpanInALoopItWasNotDeclaredIn() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[] w, ReadOnlySpan<double> rest, int n)
                {
                    var row = w.AsSpan(0, n);
                    double s = 0;
                    for (int i = 1; i < 3; i++)
                    {
                        s += row[0];
                        {|#0:row = w.AsSpan(i * n, n)|};
                    }

                    {|#1:rest = rest.Slice(1)|};
                    return s + rest[0];
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("Assigning 'row' inside a loop or branch it was not declared in is not supported in a [Differentiable] method; declare a new span local where it is needed, e.g. inside the loop body: var part = w.AsSpan(i * n, n);"),
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(1)
                .WithMessage("Assigning 'rest' (a parameter) is not supported in a [Differentiable] method; declare a new span local instead: var part = rest.Slice(1);"));

        [Fact]
        public Task AG0011_ARangeOfALocalArrayIsACopy() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[] x)
                {
                    var h = new double[4];
                    for (int i = 0; i < 4; i++) h[i] = x[i] * x[i];
                    var copy = {|#0:h[1..3]|};
                    return copy[0];
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("'h[1..3]', a copy of part of a local array, is not supported in a [Differentiable] method; use a view of it instead: h.AsSpan(1..3)"));

        [Fact]
        public Task AG0011_ASpanOfAMethodsResult() => VerifyAsync(
            """
            partial class C
            {
                static double[] Weights() => new[] { 1.0, 2.0, 3.0 };

                [Differentiable]
                static double F(double x)
                {
                    ReadOnlySpan<double> w = {|#0:Weights().AsSpan(1)|};
                    return w[0] * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("A span of 'Weights().AsSpan(1)' is not supported in a [Differentiable] method; make spans of array and span parameters, local arrays and static readonly tables"));

        [Fact]
        public Task WritingThroughASpanOfAnInputIsNoLongerAG0016() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[] x)
                {
                    Span<double> t = x.AsSpan(1);
                    t[0] = 2;
                    return t[0] * x[0];
                }
            }
            """);
    }
}
