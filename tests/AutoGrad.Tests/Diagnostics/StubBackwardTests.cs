using System;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoGrad.Tests.Diagnostics;

/// <summary>
/// A method whose body cannot be differentiated (an unsupported construct, or a body still being typed) gets a
/// stub Backward with the real signature that throws <see cref="NotSupportedException"/>: its call sites compile,
/// so the only errors are the method's own. A method whose signature is in error gets nothing.
/// </summary>
public sealed class StubBackwardTests
{
    private const string Header = """
        using System;
        using AutoGrad;

        namespace Stubs
        {
            public static partial class M
            {
        """;

    private const string Footer = """
            }
        }
        """;

    private static string Wrap(string members) => Header + members + Footer;

    [Fact]
    public void A_rejected_body_gets_a_stub_with_every_kind_of_parameter_and_it_compiles_without_warnings()
    {
        // Arrays, spans, [NoGrad], int and float parameters, and an unsupported construct (a lambda).
        var source = Wrap("""
                    [Differentiable]
                    public static float Rejected(float x, [NoGrad] float k, double[] w, ReadOnlySpan<float> v, int n)
                    {
                        Func<float, float> square = t => t * t;
                        return square(x) * k + (float)w[0] + v[n];
                    }

                    public static float Call(double[] w, float[] v)
                    {
                        var dW = new double[w.Length];
                        var dV = new float[v.Length];
                        return RejectedBackward(1f, 2f, w, v, 0, out float dX, dW, dV, seed: 0.5f) + dX;
                    }
            """);
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(source));

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.DriverDiagnostics);
        Assert.Empty(run.OutputDiagnostics);
        string stub = run.GeneratedFor("Rejected");
        Assert.Contains("public static float RejectedBackward(float x, float k, double[] w, global::System.ReadOnlySpan<float> v, int n, out float dX, global::System.Span<double> dW, global::System.Span<float> dV, float seed = 1f)", stub);
        Assert.True(stub.Contains("throw new global::System.NotSupportedException(\"'Rejected' cannot be differentiated (see AG0009 on the method), so 'RejectedBackward' is a stub that only throws.\");", StringComparison.Ordinal), stub);

        // Byte-for-byte the same on a second run.
        Assert.Equal(stub, TestCompiler.Run(TestCompiler.CreateCompilation(source)).GeneratedFor("Rejected"));
    }

    [Fact]
    public void A_body_still_being_typed_gets_a_stub_so_its_callers_compile()
    {
        var source = Wrap("""
                    [Differentiable]
                    public static double Typing(double x, double y)
                    {
                        double a = x * ;
                        return a + y;
                    }

                    public static double Caller() => TypingBackward(1, 2, out var dX, out var dY) + dX + dY;
            """);
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(source));

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.DriverDiagnostics);
        Assert.Contains("is a stub that only throws", run.GeneratedFor("Typing"));

        // The only errors are the half-typed statement's: nothing at the call site.
        var errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("x * ;", e.Location.SourceTree!.GetText().Lines[e.Location.GetLineSpan().StartLinePosition.Line].ToString()));
    }

    [Theory]
    [InlineData("public static double BadParameter(System.Collections.Generic.List<double> x) => x[0];")]
    [InlineData("public static double Unknown(Vector9 x) => 1.0;")]
    [InlineData("public static double (double x) => x;")]
    [InlineData("public static decimal BadReturn(double x) => 1m;")]
    [InlineData("public double NotStatic(double x) => x;")]
    [InlineData("public static double Generic<T>(double x) => x;")]
    [InlineData("public static double Dup(double x, double x) => x;")]
    [InlineData("public static double Bad(double x, double y = \"no\") => x;")]
    public void A_signature_in_error_gets_no_stub(string method)
    {
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(Wrap("[Differentiable]\n" + method + "\n")));

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.DriverDiagnostics);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void The_user_s_own_Backward_of_that_name_gets_no_stub_beside_it()
    {
        var source = Wrap("""
                    [Differentiable]
                    public static double F(double x) { try { return x; } finally { } }

                    public static double FBackward(double x, out double dX, double seed = 1.0) { dX = seed; return x; }
            """);
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(source));

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratedSources);
        Assert.Empty(run.OutputDiagnostics);
    }

    [Fact]
    public void A_caller_never_differentiates_through_a_stub()
    {
        // Even and Odd call each other; Odd is rejected, and its Backward is a stub. Even, which reaches Odd, must be
        // an error with a stub of its own, not a gradient that calls a stub at run time.
        var source = Wrap("""
                    [Differentiable]
                    public static double Even(double x, int n) => n == 0 ? x : Odd(x * 0.5, n - 1);

                    [Differentiable]
                    public static double Odd(double x, int n)
                    {
                        try { return n == 0 ? x : Even(x + 1, n - 1); } finally { }
                    }
            """);
        var (diagnostics, exceptions) = AnalyzerRunner.Run(TestCompiler.CreateCompilation(source));

        Assert.Empty(exceptions);
        Assert.Contains(diagnostics, d => d.Id == "AG0010");
        Assert.Contains(diagnostics, d => d.Id == "AG0018" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("AG0010", StringComparison.Ordinal));
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(source));
        Assert.Contains("is a stub that only throws", run.GeneratedFor("Even"));
        Assert.Contains("is a stub that only throws", run.GeneratedFor("Odd"));
    }

    [Fact]
    public void Editing_a_rejected_body_that_stays_rejected_leaves_the_stub_cached()
    {
        var before = Wrap("""
                    [Differentiable]
                    public static double G(double x) { try { return x * x; } finally { } }
            """);
        var after = Wrap("""
                    [Differentiable]
                    public static double G(double x) { double renamed = x; try { return renamed * x; } finally { } }
            """);
        var first = TestCompiler.Run(TestCompiler.CreateDriver(trackSteps: true), TestCompiler.CreateCompilation(before));
        var second = TestCompiler.Run(first.Driver, TestCompiler.CreateCompilation(after));

        // The parse step runs again for the edited method, but its model (the stub's signature) is equal to the last.
        var reasons = second.Result.Results.Single().TrackedSteps[AutoGrad.Generator.TrackingNames.Differentiate]
            .SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.All(reasons, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Contains("NotSupportedException", second.GeneratedFor("G"));
    }

    [Fact]
    public void Fixing_the_body_replaces_the_stub_with_the_gradient()
    {
        var bad = Wrap("""
                    [Differentiable]
                    public static double G(double x) { try { return x * x; } finally { } }
            """);
        var good = Wrap("""
                    [Differentiable]
                    public static double G(double x) { return x * x; }
            """);
        var driver = TestCompiler.CreateDriver();
        var first = TestCompiler.Run(driver, TestCompiler.CreateCompilation(bad));
        Assert.Contains("NotSupportedException", first.GeneratedFor("G"));

        var second = TestCompiler.Run(first.Driver, TestCompiler.CreateCompilation(good));
        Assert.DoesNotContain("NotSupportedException", second.GeneratedFor("G"));
        Assert.Empty(second.OutputDiagnostics);
    }
}
