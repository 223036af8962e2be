using System.Threading.Tasks;
using AutoGrad.Analyzers;
using Xunit;

namespace AutoGrad.CodeFixes.Tests
{
    /// <summary>
    /// The stub must match the callee's Backward contract: after the fix the analyzer reports no AG0012 (the
    /// call now has a derivative) and no AG0019 (the registry accepts the stub), and the code compiles without
    /// warnings. The callees are extern, so the generator sees no source for them.
    /// </summary>
    public class DeclareDerivativeCodeFixTests
    {
        [Fact]
        public Task DeclaresTheDerivativeOfAMethodOfAnotherType() => CodeFixVerifier<DifferentiableAnalyzer, DeclareDerivativeCodeFix>.VerifyAsync(
            """
            public static class NativeLib
            {
                [System.Runtime.InteropServices.DllImport("native")]
                public static extern double Erf(double x, double scale, int terms);
            }

            public static partial class Pricing
            {
                [Differentiable]
                public static double Price(double s, double sigma) => s * {|AG0012:NativeLib.Erf(sigma, s, 3)|};
            }
            """,
            """
            public static class NativeLib
            {
                [System.Runtime.InteropServices.DllImport("native")]
                public static extern double Erf(double x, double scale, int terms);
            }

            public static partial class Pricing
            {
                [Differentiable]
                public static double Price(double s, double sigma) => s * NativeLib.Erf(sigma, s, 3);

                [DerivativeOf(typeof(NativeLib), nameof(NativeLib.Erf))]
                internal static double ErfDerivative(double x, double scale, int terms, out double dX, out double dScale, double seed = 1.0)
                {
                    dX = double.NaN;
                    dScale = double.NaN;
                    throw new System.NotImplementedException("Write the derivative of NativeLib.Erf: return its value, set dX = seed * dErf/dx, set dScale = seed * dErf/dscale.");
                }
            }
            """);

        [Fact]
        public Task DeclaresTheDerivativeOfAMethodOfTheSameTypeWithArraysNoGradAndFloat() => CodeFixVerifier<DifferentiableAnalyzer, DeclareDerivativeCodeFix>.VerifyAsync(
            """
            public static partial class Model
            {
                [System.Runtime.InteropServices.DllImport("native")]
                private static extern float Dot(float[] w, ReadOnlySpan<float> x, [NoGrad] float bias, bool relu);

                static float DotDerivative() => 0f;

                [Differentiable]
                public static float Loss(float[] w, float[] x, [NoGrad] float b)
                {
                    float y = {|AG0012:Dot(w, x, b, true)|};
                    return y * y;
                }
            }
            """,
            """
            public static partial class Model
            {
                [System.Runtime.InteropServices.DllImport("native")]
                private static extern float Dot(float[] w, ReadOnlySpan<float> x, [NoGrad] float bias, bool relu);

                static float DotDerivative() => 0f;

                [Differentiable]
                public static float Loss(float[] w, float[] x, [NoGrad] float b)
                {
                    float y = Dot(w, x, b, true);
                    return y * y;
                }

                [DerivativeOf(nameof(Dot))]
                internal static float DotDerivative_1(float[] w, System.ReadOnlySpan<float> x, float bias, bool relu, System.Span<float> dW, System.Span<float> dX, float seed = 1f)
                {
                    throw new System.NotImplementedException("Write the derivative of Model.Dot: return its value, add seed * dDot/dw[i] into dW[i], add seed * dDot/dx[i] into dX[i].");
                }
            }
            """);

        [Fact]
        public Task IsNotOfferedWhenTheCalleeHasAParameterNoContractHas() => CodeFixVerifier<DifferentiableAnalyzer, DeclareDerivativeCodeFix>.VerifyNotOfferedAsync(
            """
            public static class NativeLib
            {
                [System.Runtime.InteropServices.DllImport("native")]
                public static extern double Lookup(double x, decimal rate);
            }

            public static partial class Pricing
            {
                [Differentiable]
                public static double Price(double s) => {|AG0012:NativeLib.Lookup(s, {|AG0011:2m|})|};
            }
            """);
    }
}
