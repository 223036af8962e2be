using System.Threading.Tasks;
using AutoGrad.Analyzers;
using Xunit;

namespace AutoGrad.CodeFixes.Tests
{
    /// <summary>After the fix the analyzer reports nothing (StopGradient says the zero gradient is intended), and the code compiles.</summary>
    public class StopGradientCodeFixTests
    {
        [Fact]
        public Task WrapsAFloorCall() => CodeFixVerifier<DifferentiableAnalyzer, StopGradientCodeFix>.VerifyAsync(
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Staircase(double x) => x * {|AG0014:Math.Floor(x)|};
            }
            """,
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Staircase(double x) => x * Diff.StopGradient(Math.Floor(x));
            }
            """);

        [Fact]
        public Task WrapsTheOperandOfACastToInt() => CodeFixVerifier<DifferentiableAnalyzer, StopGradientCodeFix>.VerifyAsync(
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Bucket(double x)
                {
                    int n = {|AG0014:(int)(x * 4)|};
                    return x * n / 4;
                }
            }
            """,
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Bucket(double x)
                {
                    int n = (int)Diff.StopGradient(x * 4);
                    return x * n / 4;
                }
            }
            """);

        [Fact]
        public Task WrapsTheArgumentOfACallThatReturnsAnInteger() => CodeFixVerifier<DifferentiableAnalyzer, StopGradientCodeFix>.VerifyAsync(
            """
            public static partial class Functions
            {
                [Differentiable]
                public static float Steps(float x, float y) => x * {|AG0014:MathF.Sign(x)|} + {|AG0014:MathF.Round(y)|} + {|AG0014:(long)y|};
            }
            """,
            """
            public static partial class Functions
            {
                [Differentiable]
                public static float Steps(float x, float y) => x * MathF.Sign(Diff.StopGradient(x)) + Diff.StopGradient(MathF.Round(y)) + (long)Diff.StopGradient(y);
            }
            """,
            incrementalIterations: 3);

        [Fact]
        public Task QualifiesDiffWhereAutoGradIsNotImported() => CodeFixVerifier<DifferentiableAnalyzer, StopGradientCodeFix>.VerifyAsync(
            """
            public static partial class Functions
            {
                [AutoGrad.Differentiable]
                public static double Staircase(double x) => x * {|AG0014:Math.Truncate(x)|};
            }
            """,
            """
            public static partial class Functions
            {
                [AutoGrad.Differentiable]
                public static double Staircase(double x) => x * AutoGrad.Diff.StopGradient(Math.Truncate(x));
            }
            """,
            usings: "using System;\n\n");

        /// <summary>The fix changes no value: what it writes computes what the code computed before.</summary>
        [Theory]
        [InlineData(2.7)]
        [InlineData(-2.5)]
        [InlineData(0.0)]
        [InlineData(1e300)]
        public void WrappedCodeComputesTheSameValue(double x)
        {
            float f = (float)x;
            Assert.Equal(System.Math.Floor(x), Diff.StopGradient(System.Math.Floor(x)));
            Assert.Equal(unchecked((int)(x * 4)), unchecked((int)Diff.StopGradient(x * 4)));
            Assert.Equal((long)f, (long)Diff.StopGradient(f));
            Assert.Equal(System.MathF.Sign(f), System.MathF.Sign(Diff.StopGradient(f)));
            Assert.Equal(System.MathF.Round(f), Diff.StopGradient(System.MathF.Round(f)));
        }
    }
}
