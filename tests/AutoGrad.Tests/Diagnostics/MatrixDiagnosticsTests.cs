using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.Tests.Infrastructure;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>
    /// Matrix (<c>double[,]</c>) and jagged (<c>double[][]</c>) parameters: what the analyzer accepts (checked for
    /// gradients in MatrixGradientTests and JaggedGradientTests), what it rejects and how it names it, and half-typed
    /// bodies that must crash neither the analyzer nor the generator.
    /// </summary>
    public class MatrixDiagnosticsTests
    {
        [Fact]
        public Task Matrices_and_jagged_arrays_are_accepted() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[,] W, [NoGrad] float[,] data, double[][] J, [NoGrad] double[][] rows)
                {
                    double s = W.Length + W.GetLength(0) * W.GetLength(1);
                    for (int i = 0; i < W.GetLength(0); i++)
                        for (int j = 0; j < W.GetLength(1); j++) s += W[i, j] * data[i, j];
                    foreach (var v in W) s += v;
                    double[,] alias = W;
                    s += alias[0, 0] + Row(W, 1);
                    for (int i = 0; i < J.Length; i++)
                    {
                        var row = J[i];
                        for (int j = 0; j < row.Length; j++) s += row[j] * J[i][j];
                        s += Dot(J[i], rows[i]);
                    }

                    foreach (var r in rows) s += r[^1];
                    return s + J[^1][0];
                }

                static double Row(double[,] M, int i)
                {
                    double s = 0;
                    for (int j = 0; j < M.GetLength(1); j++) s += M[i, j];
                    return s;
                }

                static double Dot(ReadOnlySpan<double> a, double[] b)
                {
                    double s = 0;
                    for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
                    return s;
                }
            }
            """);

        [Fact]
        public Task AG0016_WritingAMatrixOrAJaggedArray() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[,] W, double[][] J)
                {
                    {|#0:W[0, 1]|} = 2;
                    {|#1:J[1][0]|} += 1;
                    return W[0, 0] + J[0][0];
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.InputArrayWrite).WithLocation(0)
                .WithMessage("'W' is an input: a [Differentiable] method writes array and span parameters in place, but not matrices or jagged arrays; to work in place, copy it into a local array first (int cols = W.GetLength(1); var a = new double[W.Length]; for (int i = 0; i < W.GetLength(0); i++) for (int j = 0; j < cols; j++) a[i * cols + j] = W[i, j];, float for a float matrix, then read a[i * cols + j] for W[i, j]) and work on the copy, which leaves the caller's array unchanged"),
            Diagnostic(DiagnosticDescriptors.InputArrayWrite).WithLocation(1)
                .WithMessage("'J' is an input: a [Differentiable] method writes array and span parameters in place, but not matrices or jagged arrays; to work in place, copy it into a local array first (row by row: var a = new double[J[i].Length]; for (int j = 0; j < a.Length; j++) a[j] = J[i][j];, float for a float array) and work on the copy, which leaves the caller's array unchanged"));

        [Fact]
        public Task AG0011_LocalMatricesAndJaggedArrays() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[][] J, int n)
                {
                    var {|#0:m = new double[n, n]|};
                    double[][] {|#1:k = J|};
                    m[0, 0] = J[0][0];
                    return m[0, 0] + k[0][0];
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("A local matrix 'm' (double[,]) is not supported in a [Differentiable] method; declare a one-dimensional array of rows * cols elements instead (var m = new double[rows * cols];) and use m[i * cols + j] for element (i, j)"),
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(1)
                .WithMessage("A local jagged array 'k' (double[][]) is not supported in a [Differentiable] method; read the parameter 'J' itself rather than a local naming it"));

        [Fact]
        public Task AG0011_MatricesAndRowsPassedToCallsThatAreNotInlined() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double Power(double[,] W, int n) => n == 0 ? W[0, 0] : {|#0:Power(W, n - 1)|} * W[0, 0];

                [Differentiable]
                static double Tail(double[] r, int n) => n == 0 ? r[0] : Tail(r, n - 1);

                [Differentiable]
                static double F(double[][] J, int k)
                {
                    return {|#1:Tail(J[0], 2)|} + Sum({|#2:J|});
                }

                static double Sum(double[][] rows) => rows[0][0];
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("Passing the matrix 'W' to 'Power', which is called rather than inlined, is not supported in a [Differentiable] method; give the method a body in this compilation so that it is inlined, or pass the matrix's elements as a double[] and its shape as ints"),
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(1)
                .WithMessage("Passing a row of the jagged array 'J' to 'Tail', which is called rather than inlined, is not supported in a [Differentiable] method; give the method a body in this compilation so that it is inlined, or copy the row into a local array first"),
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(2)
                .WithMessage("Passing the jagged array 'J' to 'Sum' is not supported in a [Differentiable] method; pass its rows (a double[] or span parameter given J[i]) instead, or loop over the rows in this method"));

        [Fact]
        public Task AG0011_GetLengthOfAVariableDimension() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[,] W, int k) => {|#0:W.GetLength(k)|} * W[0, 0];
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("'W.GetLength(k)', a dimension that is not the constant 0 or 1, is not supported in a [Differentiable] method; write GetLength(0) for the number of rows and GetLength(1) for the number of columns"));

        public static IEnumerable<object[]> BrokenBodies() => new[]
        {
            "return W[0, ];",
            "return W[0 1];",
            "return W.GetLength(;",
            "return W[0];",
            "return W[^1, 0];",
            "return J[0][;",
            "return J[][0];",
            "return J[0, 1];",
            "return J.GetLength(0) + W.Rank + W.LongLength;",
            "W = null; return 0;",
            "J[0] = W; return 0;",
            "foreach (var row in J) row = null; return 0;",
            "foreach (double v in J) return v; return 0;",
            "double s = 0; foreach (var row in W) s += row[0]; return s;",
            "return Missing(W) + J[0].Missing;",
            "return W[0, 0] + J[0][0]",
            "var x = W[0, 0, 0]; return x;",
            "return ((double[,])J)[0, 0];",
            "return W.Cast<double>().Sum();",
        }.Select(b => new object[] { b });

        [Theory]
        [MemberData(nameof(BrokenBodies))]
        public void Broken_bodies_crash_neither_the_analyzer_nor_the_generator(string body)
        {
            string source = AnalyzerVerifier.Usings + "partial class C\n{\n"
                + "    [Differentiable]\n    static double F(double[,] W, double[][] J, [NoGrad] float[,] D)\n    {\n        " + body + "\n    }\n}\n";
            var compilation = TestCompiler.CreateCompilation(source);
            var (diagnostics, exceptions) = AnalyzerRunner.Run(compilation);
            Assert.Empty(exceptions);
            Assert.DoesNotContain(diagnostics, d => d.Id is "AD0001" or "AG9999");
            var run = TestCompiler.Run(compilation);
            Assert.Empty(run.Exceptions);
            Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Id.StartsWith("AG", System.StringComparison.Ordinal) || d.Id == "CS8785");
        }
    }
}
