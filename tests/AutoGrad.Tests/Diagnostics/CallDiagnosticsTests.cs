using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>AG0012 and AG0018–AG0020: calls the generator cannot differentiate, and custom derivatives.</summary>
    public class CallDiagnosticsTests
    {
        [Fact]
        public Task Helpers_with_source_are_not_reported() => VerifyAsync(
            """
            static class Helpers
            {
                internal static double Sq(double v) => v * v;
                public static void Fill(double[] a, double[] b) { for (int i = 0; i < a.Length; i++) b[i] = a[i] * 2; }
            }

            partial class C
            {
                static double Softplus(double z) { if (z > 20) return z; return Math.Log(1 + Math.Exp(z)); }

                [Differentiable]
                static double F(double x, double[] w)
                {
                    var h = new double[w.Length];
                    Helpers.Fill(w, h);
                    double Local(double v) => v * x;
                    return Softplus(x) + Helpers.Sq(h[0]) + Local(2);
                }
            }
            """);

        [Fact]
        public Task AG0018_RecursionWithoutDifferentiable() => VerifyAsync(
            """
            partial class C
            {
                static double Fact(double x, int n) => n == 0 ? 1 : x * {|#1:Fact(x, n - 1)|};

                [Differentiable]
                static double F(double x) => {|#0:Fact(x, 3)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0).WithLocation(1)
                .WithMessage("'Fact' cannot be differentiated where it is called: it calls itself, directly or through other methods; mark 'Fact' [Differentiable] so that the recursion can call its generated Backward"));

        [Fact]
        public Task AG0018_UnsupportedStatementInsideHelper() => VerifyAsync(
            """
            partial class C
            {
                static double Pick(double v, int k)
                {
                    {|#1:try|} { return k == 0 ? v : -v; } finally { }
                }

                [Differentiable]
                static double F(double x) => 2 * {|#0:Pick(x, 1)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0).WithLocation(1)
                .WithMessage("'Pick' cannot be differentiated where it is called: AG0010: A 'try' statement is not supported in a [Differentiable] method; differentiable code cannot catch exceptions; validate the inputs before calling"));

        [Fact]
        public Task AG0018_NestedHelpersNameTheChain() => VerifyAsync(
            """
            partial class C
            {
                static double Outer(double v) => Inner(v) + 1;
                static double Inner(double v) { v = v * 2; {|#1:Console.WriteLine(v)|}; return v; }

                [Differentiable]
                static double F(double x) => {|#0:Outer(x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0).WithLocation(1)
                .WithMessage("'Outer → Inner' cannot be differentiated where it is called: AG0010: Calling void method 'WriteLine' is not supported in a [Differentiable] method; a void method can be called when it is static and its source is in this compilation, so that the generator can follow what it writes"));

        [Fact]
        public Task AG0018_PrivateMemberOfAnotherType() => VerifyAsync(
            """
            static class Tables
            {
                private static readonly double Scale = 3.0;
                public static double Scaled(double v) => v * {|#1:Scale|};
            }

            partial class C
            {
                [Differentiable]
                static double F(double x) => {|#0:Tables.Scaled(x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0).WithLocation(1)
                .WithMessage("'Scaled' cannot be differentiated where it is called: it uses 'Tables.Scale', which the generated code in 'C' cannot access; make it internal or public"));

        [Fact]
        public Task AG0014_InsideHelper_IsReportedAtTheCall() => VerifyAsync(
            """
            partial class C
            {
                static double Steps(double v) => {|#1:Math.Floor(v)|} * 0.5 + v;

                [Differentiable]
                static double F(double x) => {|#0:Steps(x * x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.ZeroGradient).WithLocation(0).WithLocation(1)
                .WithMessage("The gradient through 'Math.Floor(v)' is zero almost everywhere; no gradient flows back through it to its input"));

        [Fact]
        public Task AG0011_Delegate() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    Func<double, double> f = Math.Sin;
                    return x;
                }
            }
            """,
            DiagnosticResult.CompilerError("AG0009").WithSpan(10, 30, 10, 31).WithArguments("f", "System.Func<double, double>")
                .WithMessage("Local 'f' has type 'System.Func<double, double>', which a [Differentiable] method cannot use; use double, float, int, long or bool"));

        [Fact]
        public Task AG0012_NeverAdvisesNoGrad() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, double y) => {|#0:Math.BitDecrement(x * y)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.NoDerivative).WithLocation(0)
                .WithMessage("'Math.BitDecrement' has no known derivative, and its argument depends on a differentiable input; the generator sees no source for it and it has no generated Backward: declare its derivative with [DerivativeOf], or call a method whose source is in this compilation"));

        [Fact]
        public Task AG0018_ActiveArgumentToANoGradParameterOfAPullback() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double Decay(double x, [NoGrad] double rate, int n) => n == 0 ? x : Decay(x * rate, rate, n - 1);

                [Differentiable]
                static double F(double x, double r) => {|#0:Decay(x, r, 3)|} + Decay(x, 0.5, 2);
            }
            """,
            Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0)
                .WithMessage("'Decay' cannot be differentiated where it is called: its parameter 'rate' is [NoGrad], so its Backward gives no gradient for it, but the argument depends on a differentiable input; remove [NoGrad] from 'rate', or wrap the argument in Diff.StopGradient(...) if no gradient should flow through it"));

        [Fact]
        public Task AG0018_StopGradientOnTheArgumentIsTheIntendedZero() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double Decay(double x, [NoGrad] double rate, int n) => n == 0 ? x : Decay(x * rate, rate, n - 1);

                [Differentiable]
                static double F(double x, double r) => Decay(x, Diff.StopGradient(r), 3);
            }
            """);

        [Fact]
        public Task AG0019_WrongSignature() => VerifyAsync(
            """
            partial class C
            {
                public static double Erf(double x, int terms) => x;

                [{|#0:DerivativeOf(nameof(Erf))|}]
                static double ErfDerivative(double x, int terms, double seed) => x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.InvalidDerivative).WithLocation(0)
                .WithMessage("This [DerivativeOf] declares no derivative: it has 3 parameters where 4 are expected; the derivative of 'C.Erf(double, int)' must be declared as 'static double ErfDerivative(double x, int terms, out double dX, double seed = 1.0)'"));

        [Fact]
        public Task AG0019_SecondDerivativeOfTheSameMethod() => VerifyAsync(
            """
            partial class C
            {
                public static double Sq(double x) => x * x;

                [DerivativeOf(nameof(Sq))]
                static double SqDerivative(double x, out double dX, double seed) { dX = 2 * x * seed; return x * x; }

                [{|#0:DerivativeOf(nameof(Sq))|}]
                static double SqDerivativeAgain(double x, out double dX, double seed) { dX = 2 * x * seed; return x * x; }

                [Differentiable]
                static double F(double x) => Sq(x);
            }
            """,
            Diagnostic(DiagnosticDescriptors.InvalidDerivative).WithLocation(0)
                .WithMessage("This [DerivativeOf] declares no derivative: 'C.Sq(double)' already has a derivative, 'C.SqDerivative(double, out double, double)'; declare one derivative per method"));

        [Fact]
        public Task AG0019_NoSuchMethod() => VerifyAsync(
            """
            partial class C
            {
                [{|#0:DerivativeOf(typeof(Math), "Erfc")|}]
                static double ErfcDerivative(double x, out double dX, double seed) { dX = 0; return x; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.InvalidDerivative).WithLocation(0)
                .WithMessage("This [DerivativeOf] declares no derivative: 'System.Math' has no method named 'Erfc'"));

        [Fact]
        public Task AG0020_UnusedDerivative() => VerifyAsync(
            """
            partial class C
            {
                public static double Sq(double x) => x * x;

                [DerivativeOf(nameof(Sq))]
                static double {|#0:SqDerivative|}(double x, out double dX, double seed) { dX = 2 * x * seed; return x * x; }

                [Differentiable]
                static double F(double x) => x + Sq(3.0);
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnusedDerivative).WithLocation(0)
                .WithMessage("'SqDerivative' is declared as the derivative of 'C.Sq(double)', which no [Differentiable] code calls on a differentiable value"));

        [Fact]
        public Task AG0020_NotReportedWhenUsedThroughAHelper() => VerifyAsync(
            """
            partial class C
            {
                public static double Sq(double x) => x * x;
                static double Twice(double v) => 2 * Sq(v);

                [DerivativeOf(nameof(Sq))]
                static double SqDerivative(double x, out double dX, double seed) { dX = 2 * x * seed; return x * x; }

                [Differentiable]
                static double F(double x) => Twice(x);
            }
            """);
    }
}
