using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>AG0001–AG0008: what is wrong with a [Differentiable] method's declaration.</summary>
    public class SignatureDiagnosticsTests
    {
        // ---- AG0001 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0001_TopLevelTypeNotPartial() => VerifyAsync(
            """
            class C
            {
                [Differentiable]
                static double {|#0:F|}(double x) => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.TypeNotPartial).WithLocation(0)
                .WithMessage("Type 'C' must be declared partial so that the generator can add 'FBackward' to it"));

        [Fact]
        public Task AG0001_NestedTypeNotPartial() => VerifyAsync(
            """
            partial class Outer
            {
                class Inner
                {
                    [Differentiable]
                    static double {|#0:Square|}(double x) => x * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.TypeNotPartial).WithLocation(0)
                .WithMessage("Type 'Inner' must be declared partial so that the generator can add 'SquareBackward' to it"));

        [Fact]
        public Task AG0001_EveryNonPartialContainingTypeIsReported() => VerifyAsync(
            """
            class Outer
            {
                partial class Middle
                {
                    struct Inner
                    {
                        [Differentiable]
                        static double {|#0:F|}(double x) => x;
                    }
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.TypeNotPartial).WithLocation(0)
                .WithMessage("Type 'Inner' must be declared partial so that the generator can add 'FBackward' to it"),
            Diagnostic(DiagnosticDescriptors.TypeNotPartial).WithLocation(0)
                .WithMessage("Type 'Outer' must be declared partial so that the generator can add 'FBackward' to it"));

        // ---- AG0002 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0002_InstanceMethod() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                double {|#0:F|}(double x) => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.MethodNotStatic).WithLocation(0)
                .WithMessage("Method 'F' must be static to be differentiated: make it static and pass what it reads as parameters"));

        [Fact]
        public Task AG0002_Markup() => VerifyAsync(
            """
            partial class C
            {
                private double _scale = 2;

                [Differentiable]
                public double {|AG0002:Scaled|}(double x) => _scale * x;
            }
            """);

        // ---- AG0003 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0003_ReturnsInt() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static {|#0:int|} F(int n) => n + 1;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedReturnType).WithLocation(0)
                .WithMessage("Method 'F' returns 'int'; a [Differentiable] method must return double or float"));

        [Fact]
        public Task AG0003_ReturnsDecimal() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static {|#0:decimal|} F(double x) => {|#1:1m|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedReturnType).WithLocation(0)
                .WithMessage("Method 'F' returns 'decimal'; a [Differentiable] method must return double or float"),
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(1)
                .WithMessage("An expression of type 'decimal' is not supported in a [Differentiable] method; use double, float, int, long or bool values"));

        [Fact]
        public Task AG0003_ReturnsVoid() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static {|AG0003:void|} F(double x) { }
            }
            """);

        // ---- AG0004 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0004_StringParameter() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, {|#0:string|} name) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedParameterType).WithLocation(0)
                .WithMessage("Parameter 'name' has type 'string', which a [Differentiable] method cannot take; use double, float, int, long or bool, an array or span of them, a matrix (double[,]) or jagged array (double[][]), or a struct of double or float fields"));

        [Fact]
        public Task AG0004_ThreeDimensionalArrayParameter() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, {|#0:double[,,]|} cube, double[][] rows, double[,] matrix) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedParameterType).WithLocation(0)
                .WithMessage("Parameter 'cube' has type 'double[,,]', which a [Differentiable] method cannot take; use double, float, int, long or bool, an array or span of them, a matrix (double[,]) or jagged array (double[][]), or a struct of double or float fields"));

        [Fact]
        public Task AG0004_DecimalParameter() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F({|AG0004:decimal|} m, double x) => x;
            }
            """);

        // ---- AG0005 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0005_Ref() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F({|#0:ref|} double x) => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedParameterModifier).WithLocation(0)
                .WithMessage("Parameter 'x' is declared 'ref'; a [Differentiable] method takes its parameters by value: remove the modifier"));

        [Fact]
        public Task AG0005_Out() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, {|#0:out|} double y)
                {
                    y = 2;
                    return x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedParameterModifier).WithLocation(0)
                .WithMessage("Parameter 'y' is declared 'out'; a [Differentiable] method takes its parameters by value: remove the modifier"));

        [Fact]
        public Task AG0005_In() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F({|#0:in|} double x) => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedParameterModifier).WithLocation(0)
                .WithMessage("Parameter 'x' is declared 'in'; a [Differentiable] method takes its parameters by value: remove the modifier"));

        [Fact]
        public Task AG0005_Params() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, {|#0:params|} double[] rest) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedParameterModifier).WithLocation(0)
                .WithMessage("Parameter 'rest' is declared 'params'; a [Differentiable] method takes its parameters by value: remove the modifier"));

        // ---- AG0006 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0006_GenericMethod() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F{|#0:<T>|}(double x) => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.GenericMethod).WithLocation(0)
                .WithMessage("Method 'F' cannot be differentiated as a generic method: its type parameter 'T' is not a floating-point type; constrain it with 'where T : System.Numerics.IFloatingPointIeee754<T>' to differentiate over it, or write the method for double or float"));

        // One diagnostic: T's uses as the return and parameter types are not reported again.
        [Fact]
        public Task AG0006_TypeParameterOnlyINumber() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static T F{|#0:<T>|}(T x) where T : System.Numerics.INumber<T> => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.GenericMethod).WithLocation(0)
                .WithMessage("Method 'F' cannot be differentiated as a generic method: its type parameter 'T' is not a floating-point type; constrain it with 'where T : System.Numerics.IFloatingPointIeee754<T>' to differentiate over it, or write the method for double or float"));

        [Fact]
        public Task AG0006_TwoFloatingTypeParameters() => VerifyAsync(
            """
            using System.Numerics;

            partial class C
            {
                [Differentiable]
                static T F{|#0:<T, U>|}(T x, U y) where T : IFloatingPointIeee754<T> where U : IFloatingPointIeee754<U> => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.GenericMethod).WithLocation(0)
                .WithMessage("Method 'F' cannot be differentiated as a generic method: it has 2 type parameters; a generic [Differentiable] method has one, its floating-point type"));

        [Fact]
        public Task AG0006_DataTypeParameter() => VerifyAsync(
            """
            using System.Numerics;

            partial class C
            {
                [Differentiable]
                static T F{|#0:<T, TData>|}(T x, TData tag) where T : IFloatingPointIeee754<T> => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.GenericMethod).WithLocation(0)
                .WithMessage("Method 'F' cannot be differentiated as a generic method: its type parameter 'TData' is not a floating-point type; constrain it with 'where TData : System.Numerics.IFloatingPointIeee754<TData>' to differentiate over it, or write the method for double or float"));

        [Fact]
        public Task AG0006_FloatingTypeParameterOnMethodAndType() => VerifyAsync(
            """
            using System.Numerics;

            partial class Box<T> where T : IFloatingPointIeee754<T>
            {
                [Differentiable]
                static U F{|#0:<U>|}(U x) where U : IFloatingPointIeee754<U> => x * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.GenericMethod).WithLocation(0)
                .WithMessage("Method 'F' cannot be differentiated as a generic method: both it and its containing type 'Box' have a floating-point type parameter; use one of them"));

        [Fact]
        public Task GenericMathMethodIsAccepted() => VerifyAsync(
            """
            using System.Numerics;

            partial class C
            {
                [Differentiable]
                public static T Softplus<T>(T x, [NoGrad] T[] data, int n) where T : IFloatingPointIeee754<T>
                {
                    T s = T.Zero;
                    for (int i = 0; i < n; i++) s += T.Log(T.One + T.Exp(x * data[i]));
                    return s / T.CreateChecked(n);
                }

                [Differentiable]
                public static T Calls<T>(T x) where T : IBinaryFloatingPointIeee754<T>
                {
                    T[] data = { T.One, T.Pi };
                    return Softplus(x, data, 2) * T.Pi;
                }
            }

            partial class Ops<T> where T : IFloatingPointIeee754<T>
            {
                [Differentiable]
                public static T Square(T x) => x * x;
            }
            """);

        // ---- AG0007 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0007_ExternMethod() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static extern double {|#0:F|}(double x);
            }
            """,
            Diagnostic(DiagnosticDescriptors.NoBody).WithLocation(0)
                .WithMessage("Method 'F' has no body to differentiate: put [Differentiable] on a method with a block or expression body"));

        [Fact]
        public Task AG0007_InterfaceStaticAbstract() => VerifyAsync(
            """
            partial interface IModel
            {
                [Differentiable]
                static abstract double {|AG0007:F|}(double x);
            }
            """);

        [Fact]
        public Task AG0007_NotReportedForPartialMethodWithImplementation() => VerifyAsync(
            """
            static partial class C
            {
                [Differentiable]
                public static partial double F(double x);

                public static partial double F(double x) => x * x;
            }
            """);

        [Fact]
        public Task PartialMethodIsCheckedOnItsImplementation() => VerifyAsync(
            """
            static partial class C
            {
                public static partial double F(double x);

                [Differentiable]
                public static partial double F(double x)
                {
                    {|AG0010:try|} { x /= 2; } finally { }
                    return x;
                }
            }
            """);

        [Fact]
        public Task PartialMethodSplitAcrossFiles()
        {
            var test = Create(
                """
                static partial class C
                {
                    [Differentiable]
                    public static partial double F(double x);
                }
                """);
            test.TestState.Sources.Add(
                """
                static partial class C
                {
                    public static partial double F(double x) => {|AG0014:System.Math.Round(x)|};
                }
                """);
            return test.RunAsync();
        }

        // ---- AG0008 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0008_ParameterNamedSeed() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, double {|#0:seed|}) => x * seed;
            }
            """,
            Diagnostic(DiagnosticDescriptors.NameConflict).WithLocation(0)
                .WithMessage("'seed' conflicts with the upstream-gradient parameter 'seed' of the generated 'FBackward'; rename it"));

        [Fact]
        public Task AG0008_ParametersWithTheSameGradientName() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double a, double {|#0:A|}) => a * A;
            }
            """,
            Diagnostic(DiagnosticDescriptors.NameConflict).WithLocation(0)
                .WithMessage("'A' conflicts with another parameter: both would need the gradient parameter 'dA' in the generated 'FBackward'; rename it"));

        [Fact]
        public Task AG0008_ParameterNamedLikeAGradient() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double {|AG0008:x|}, double dX) => x * dX;
            }
            """);

        [Fact]
        public Task AG0008_UserWrittenBackwardMethod() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double {|#0:F|}(double x, int n) => x * n;

                static double FBackward(double x, int n, out double dX, double seed)
                {
                    dX = n * seed;
                    return x * n;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.NameConflict).WithLocation(0)
                .WithMessage("'FBackward' conflicts with the method the generator adds for 'F', which is already declared; rename it"));

        [Fact]
        public Task AG0008_BackwardOverloadWithOtherSignatureIsFine() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => x * x;

                static double FBackward(string text) => text.Length;
            }
            """);
    }
}
