using System.Threading.Tasks;
using AutoGrad.Analyzers;
using Xunit;

namespace AutoGrad.CodeFixes.Tests
{
    /// <summary>[NoGrad] is offered only for a parameter whose gradient is zero anyway; after it the analyzer is quiet.</summary>
    public class MarkParameterNoGradCodeFixTests
    {
        [Fact]
        public Task MarksAParameterUsedOnlyInAZeroGradientOperation() => CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoGradCodeFix>.VerifyAsync(
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Scaled(double x, double level) => x * {|AG0014:Math.Floor(level)|};
            }
            """,
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Scaled(double x, [NoGrad] double level) => x * Math.Floor(level);
            }
            """);

        [Fact]
        public Task MarksAParameterUsedOnlyInZeroGradientOperationsAndStopGradient() => CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoGradCodeFix>.VerifyAsync(
            """
            public static partial class Functions
            {
                [Differentiable]
                public static float Steps(float x, [NoGrad] float scale, float level)
                {
                    int n = {|AG0014:(int)level|};
                    float r = {|AG0014:MathF.Round((level))|} + Diff.StopGradient(level * 2f);
                    return x * n * r * scale;
                }
            }
            """,
            """
            public static partial class Functions
            {
                [Differentiable]
                public static float Steps(float x, [NoGrad] float scale, [NoGrad] float level)
                {
                    int n = (int)level;
                    float r = MathF.Round((level)) + Diff.StopGradient(level * 2f);
                    return x * n * r * scale;
                }
            }
            """);

        [Fact]
        public Task IsNotOfferedForAParameterUsedElsewhere() => CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoGradCodeFix>.VerifyNotOfferedAsync(
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Staircase(double x) => x * {|AG0014:Math.Floor(x)|};
            }
            """);

        [Fact]
        public Task IsNotOfferedForAParameterUsedElsewhereLaterInTheBody() => CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoGradCodeFix>.VerifyNotOfferedAsync(
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Bucket(double x, double width)
                {
                    int n = {|AG0014:(int)width|};
                    double y = x * n;
                    return y + {|AG0014:Math.Floor(width)|} + width;
                }
            }
            """);
    }
}
