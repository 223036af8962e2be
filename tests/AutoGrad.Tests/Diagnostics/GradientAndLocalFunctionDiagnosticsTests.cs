using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>AG0014 (the warning for zero gradients) and AG0015 (local functions).</summary>
    public class GradientAndLocalFunctionDiagnosticsTests
    {
        // ---- AG0014 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0014_MathFloor() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => x * {|#0:Math.Floor(x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.ZeroGradient).WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
                .WithMessage("The gradient through 'Math.Floor(x)' is zero almost everywhere; no gradient flows back through it to its input"));

        [Fact]
        public Task AG0014_RoundTruncateSign() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    double a = {|#0:Math.Round(2 * x)|};
                    double b = {|AG0014:Math.Truncate(x)|};
                    int s = {|AG0014:Math.Sign(x)|};
                    return a + b + s * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ZeroGradient).WithLocation(0)
                .WithMessage("The gradient through 'Math.Round(2 * x)' is zero almost everywhere; no gradient flows back through it to its input"));

        [Fact]
        public Task AG0014_IntCast() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    int whole = {|#0:(int)x|};
                    return whole * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ZeroGradient).WithLocation(0)
                .WithMessage("The gradient through '(int)x' is zero almost everywhere; no gradient flows back through it to its input"));

        [Fact]
        public Task AG0014_MathFFloorOnFloat() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static float F(float x) => x - {|AG0014:MathF.Floor(x)|};
            }
            """);

        [Fact]
        public Task AG0014_NotReportedOnConstantsOrNoGradValues() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, [NoGrad] double step, int n)
                {
                    double a = Math.Floor(2.5) + Math.Round(step) + Math.Truncate(1.5 * n);
                    int b = (int)step + (int)3.7 + Math.Sign(step);
                    return a * x + b;
                }
            }
            """);

        // ---- AG0015 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0015_LocalFunction() => VerifyAsync(
            """
            partial class C
            {
                static double Run(double x)
                {
                    return Square(x);

                    [Differentiable]
                    static double {|#0:Square|}(double v) => v * v;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.LocalFunction).WithLocation(0)
                .WithMessage("[Differentiable] cannot be applied to local function 'Square'; move it into a partial type as a static method"));

        [Fact]
        public Task AG0015_LocalFunctionInsideDifferentiableMethod() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    [Differentiable]
                    double {|#1:Cube|}(double v) => v * v * v;
                    return x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.LocalFunction).WithLocation(1)
                .WithMessage("[Differentiable] cannot be applied to local function 'Cube'; move it into a partial type as a static method"));

        [Fact]
        public Task AG0015_LocalFunctionInTopLevelStatements()
        {
            var test = Create(
                """
                Console.WriteLine(Square(3));

                [Differentiable]
                static double {|AG0015:Square|}(double v) => v * v;
                """);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            return test.RunAsync();
        }
    }
}
