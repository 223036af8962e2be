using System.Threading.Tasks;
using AutoGrad.Analyzers;
using Xunit;

namespace AutoGrad.CodeFixes.Tests
{
    public class MakeTypesPartialCodeFixTests
    {
        [Fact]
        public Task AddsPartialToTheType() => CodeFixVerifier<DifferentiableAnalyzer, MakeTypesPartialCodeFix>.VerifyAsync(
            """
            public static class Functions
            {
                [Differentiable]
                public static double {|AG0001:Square|}(double x) => x * x;
            }
            """,
            """
            public static partial class Functions
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """);

        [Fact]
        public Task AddsPartialToATypeWithoutModifiers() => CodeFixVerifier<DifferentiableAnalyzer, MakeTypesPartialCodeFix>.VerifyAsync(
            """
            [Serializable]
            class Functions
            {
                [Differentiable]
                static double {|AG0001:Square|}(double x) => x * x;
            }
            """,
            """
            [Serializable]
            partial class Functions
            {
                [Differentiable]
                static double Square(double x) => x * x;
            }
            """);

        [Fact]
        public Task AddsPartialToEveryEnclosingType() => CodeFixVerifier<DifferentiableAnalyzer, MakeTypesPartialCodeFix>.VerifyAsync(
            """
            namespace Models
            {
                internal class Outer
                {
                    public partial class Middle
                    {
                        private readonly struct Inner
                        {
                            [Differentiable]
                            public static double {|AG0001:{|AG0001:F|}|}(double x) => x;
                        }
                    }
                }
            }
            """,
            """
            namespace Models
            {
                internal partial class Outer
                {
                    public partial class Middle
                    {
                        private readonly partial struct Inner
                        {
                            [Differentiable]
                            public static double F(double x) => x;
                        }
                    }
                }
            }
            """);

        [Fact]
        public Task FixesEveryMethodOfARecord() => CodeFixVerifier<DifferentiableAnalyzer, MakeTypesPartialCodeFix>.VerifyAsync(
            """
            public record Loss
            {
                [Differentiable]
                public static double {|AG0001:Squared|}(double r) => r * r;

                [Differentiable]
                public static double {|AG0001:Absolute|}(double r) => Math.Abs(r);
            }
            """,
            """
            public partial record Loss
            {
                [Differentiable]
                public static double Squared(double r) => r * r;

                [Differentiable]
                public static double Absolute(double r) => Math.Abs(r);
            }
            """);
    }

    public class MakeMethodStaticCodeFixTests
    {
        [Fact]
        public Task AddsStatic() => CodeFixVerifier<DifferentiableAnalyzer, MakeMethodStaticCodeFix>.VerifyAsync(
            """
            public partial class Functions
            {
                [Differentiable]
                public double {|AG0002:Square|}(double x) => x * x;
            }
            """,
            """
            public partial class Functions
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """);

        [Fact]
        public Task AddsStaticToAMethodWithoutModifiers() => CodeFixVerifier<DifferentiableAnalyzer, MakeMethodStaticCodeFix>.VerifyAsync(
            """
            partial class Functions
            {
                [Differentiable]
                double {|AG0002:Square|}(double x)
                {
                    return x * x;
                }
            }
            """,
            """
            partial class Functions
            {
                [Differentiable]
                static double Square(double x)
                {
                    return x * x;
                }
            }
            """);

        [Fact]
        public Task DropsModifiersAStaticMethodCannotHave() => CodeFixVerifier<DifferentiableAnalyzer, MakeMethodStaticCodeFix>.VerifyAsync(
            """
            public partial class Functions
            {
                [Differentiable]
                public virtual double {|AG0002:Square|}(double x) => x * x;
            }

            public partial struct Point
            {
                [Differentiable]
                internal readonly double {|AG0002:Norm|}(double x, double y) => Math.Sqrt(x * x + y * y);
            }
            """,
            """
            public partial class Functions
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }

            public partial struct Point
            {
                [Differentiable]
                internal static double Norm(double x, double y) => Math.Sqrt(x * x + y * y);
            }
            """,
            incrementalIterations: 2);
    }
}
