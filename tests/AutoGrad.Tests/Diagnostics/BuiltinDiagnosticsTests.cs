using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>Built-in calls: double/float math methods, Math.SinCos, Diff.StopGradient.</summary>
    public class BuiltinDiagnosticsTests
    {

        [Fact]
        public Task Double_and_float_math_methods_and_StopGradient_are_clean() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, double y) =>
                    double.Exp(x) + double.Hypot(x, y) + double.ExpM1(x) + double.LogP1(y * y) + double.Exp2(x) + double.Exp10(x)
                    + Math.Asinh(x) + Math.FusedMultiplyAdd(x, y, 1.0) + Math.ScaleB(x, 3) + Math.IEEERemainder(x, y)
                    + Math.CopySign(x, y) + Math.ReciprocalSqrtEstimate(y * y + 1) + x * Diff.StopGradient(x * y);

                [Differentiable]
                static float G(float x) => float.Sin(x) * float.Clamp(x, -1f, 1f) + MathF.Atanh(x) + Diff.StopGradient(x);
            }
            """);

        [Fact]
        public Task Double_Floor_has_zero_gradient() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => x * {|AG0014:double.Floor(x)|};
            }
            """);

        // Math.SinCos returns a tuple, which the lowering follows element by element (see TupleGradientTests).
        [Fact]
        public Task SinCos_in_an_expression_is_supported() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => Math.SinCos(x).Sin * 2.0;
            }
            """);

        [Fact]
        public Task SinCos_deconstructed_is_supported() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    var (s, c) = Math.SinCos(x);
                    return s * c;
                }
            }
            """);
    
        // ---- generic math ----------------------------------------------------------------------

        [Fact]
        public Task GenericMath_ConvertingADifferentiableDoubleToT() => VerifyAsync(
            """
            using System.Numerics;

            partial class C
            {
                [Differentiable]
                static T F<T>(T x, double scale) where T : IFloatingPointIeee754<T> => x * {|#0:T.CreateChecked(scale)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("Converting the differentiable value 'scale' with 'CreateChecked' is not supported in a [Differentiable] method; compute in the type parameter throughout, or mark the parameter [NoGrad]"));

        [Fact]
        public Task GenericMath_MemberWithoutARule() => VerifyAsync(
            """
            using System.Numerics;

            partial class C
            {
                [Differentiable]
                static T F<T>(T x) where T : IFloatingPointIeee754<T> => {|#0:T.MaxMagnitude(x, T.One)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("Calling 'T.MaxMagnitude' on a differentiable value is not supported in a [Differentiable] method; it has no derivative rule; write it with the members that have one (T.Exp, T.Log, T.Sqrt, T.Pow, T.Abs, T.Max, T.Atan2, …)"));

        [Fact]
        public Task GenericMath_RoundingIsAZeroGradient() => VerifyAsync(
            """
            using System.Numerics;

            partial class C
            {
                [Differentiable]
                static T F<T>(T x) where T : IFloatingPointIeee754<T> => x * {|#0:T.Round(x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.ZeroGradient).WithLocation(0).WithArguments("T.Round(x)"));

        [Fact]
        public Task GenericMath_GenericHelperCalledWithDouble() => VerifyAsync(
            """
            using System.Numerics;

            partial class C
            {
                static T Twice<T>(T x) where T : IFloatingPointIeee754<T> => x + x;

                [Differentiable]
                static double F(double x) => {|#0:Twice(x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("Calling 'Twice' is not supported in a [Differentiable] method; call static methods that take and return double, float, int, long or bool (a generic one only with the method's own floating-point type parameter)"));
    }
}
