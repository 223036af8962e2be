using System;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoGrad.Tests.Diagnostics;

/// <summary>
/// Struct parameters the generator cannot take apart, rebuild or follow: one diagnostic each, naming the construct
/// and what to do; and half-typed struct code, which must crash neither the analyzer nor the generator.
/// </summary>
public class StructDiagnosticsTests
{
    private const string Types = """
        public record struct Params(double Slope, double Intercept)
        {
            public double Norm => Math.Sqrt(Slope * Slope + Intercept * Intercept);
            public double Twice() => 2 * Slope;
        }
        public class Box { public double A; }
        public struct WithCount { public double A; public int Count; }
        public struct WithPrivate { public double A; private double _b; public WithPrivate(double b) { A = 0; _b = b; } public double B2 => _b; }
        public readonly struct ReadOnlyFields { public readonly double A; public ReadOnlyFields(double a) { A = a; } }
        public struct GetOnly { public double A { get; } }
        public struct Empty { }
        public struct WithObject { public double A; public object Tag; }
        public struct Point { public double X; public double Y; public void Deconstruct(out double x, out double y) { x = X; y = Y; } }
        """;

    private static (System.Collections.Immutable.ImmutableArray<Diagnostic> Diagnostics, GeneratorRun Run) Analyze(string parameters, string body, string helpers = "")
    {
        var source = "using System;\nusing System.Numerics;\nusing AutoGrad;\n" + Types + "\npublic static partial class C\n{\n" + helpers
            + "\n    [Differentiable]\n    public static double F(" + parameters + ")\n    {\n" + body + "\n    }\n}\n";
        var compilation = TestCompiler.CreateCompilation(source);
        var (diagnostics, exceptions) = AnalyzerRunner.Run(compilation);
        Assert.Empty(exceptions);
        var run = TestCompiler.Run(compilation);
        Assert.Empty(run.Exceptions);
        Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id == "AG9999");
        return (diagnostics, run);
    }

    [Theory]
    [InlineData("Box b", "return b.A;", "AG0004", "is a class")]
    [InlineData("WithCount w", "return w.A;", "AG0004", "field 'Count' is of type 'int'")]
    [InlineData("WithPrivate w", "return w.A;", "AG0004", "field '_b' is not accessible")]
    [InlineData("ReadOnlyFields r", "return r.A;", "AG0004", "readonly (set only by a constructor)")]
    [InlineData("GetOnly g", "return g.A;", "AG0004", "no get and set (or init) accessor")]
    [InlineData("Empty e, double x", "return x;", "AG0004", "no double or float members")]
    [InlineData("WithObject w", "return w.A;", "AG0004", "field 'Tag' is of type 'object'")]
    [InlineData("Params p", "return p.Norm;", "AG0011", "'Norm' is not a field or auto-property")]
    [InlineData("Params p", "return p.Twice();", "AG0011", "Calling method 'Twice' of the struct 'Params'")]
    [InlineData("System.Numerics.Vector2 v", "return v.Length();", "AG0011", "Calling method 'Length' of the struct 'Vector2' is not supported in a [Differentiable] method; the method reads a struct parameter's members")]
    [InlineData("Params p", "p.Slope = 2;\nreturn p.Slope;", "AG0013", "Writing property 'Slope'")]
    [InlineData("Params p, Params r", "p = r;\nreturn p.Slope;", "AG0011", "Assigning the struct 'p'")]
    [InlineData("Params p", "var q = p;\nq = default;\nreturn q.Slope;", "AG0011", "Assigning the struct 'q'")]
    [InlineData("Params p", "var q = new Params(1, p.Slope);\nreturn q.Slope;", "AG0009", "Local 'q' has type 'Params'")]
    [InlineData("Vector2 a, Vector2 b", "return Vector2.Dot(a, b);", "AG0018", "the struct 'a' can only be passed")]
    [InlineData("Vector2 a", "var s = a * 2f;\nreturn s.X;", "AG0009", "Local 's' has type")]
    [InlineData("Params p, int n", "return n <= 0 ? p.Slope : Recurse(p, n - 1);", "AG0018", "can only be passed to a static helper")]
    [InlineData("in Params p", "return p.Slope;", "AG0005", "")]
    [InlineData("Point p", "var (a, b) = p;\nreturn a * b;", "AG0011", "Deconstructing the struct 'p'")]
    [InlineData("Params p, double x", "return Scaled(x);", "AG0011", "Passing 'Scaled(x)' (of struct type 'Params') to 'Scaled'")]
    [InlineData("Params p, double x", "return Scaled(x, new Params(x, 1));", "AG0011", "Passing 'new Params(x, 1)' (of struct type 'Params') to 'Scaled'")]
    public void A_struct_the_generator_cannot_follow_gets_one_diagnostic(string parameters, string body, string id, string text)
    {
        const string helpers = "    static double Recurse(Params p, int n) => n <= 0 ? p.Slope : Recurse(p, n - 1) * p.Intercept;\n"
            + "    static double Scaled(double x, Params q = default) => x * q.Slope;\n";
        var (diagnostics, run) = Analyze(parameters, body, helpers);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(text, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // The Backward still exists (a stub when the signature is sound), so that call sites compile.
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("Params p", "return p.;")]
    [InlineData("Params p", "return p.Slop * 2;")]
    [InlineData("Params p", "var q = p\nreturn q.Slope;")]
    [InlineData("Missing p", "return p.Slope;")]
    [InlineData("Params p, [NoGrad] Missing m", "return p.Slope;")]
    [InlineData("Params p", "return Helper(p);")]
    [InlineData("Params p", "return p.Slope + p;")]
    [InlineData("Vector3 v", "return v.X + v.Length();")]
    [InlineData("Params p", "var (a, b) = p;\nreturn a * b;")]
    [InlineData("Params p", "return p with { Slope = 1 }.Slope;")]
    [InlineData("Params p", "ref var q = ref p;\nreturn q.Slope;")]
    public void Broken_or_unsupported_struct_code_crashes_nothing(string parameters, string body)
    {
        var (diagnostics, _) = Analyze(parameters, body);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AG9999");
    }

    [Fact]
    public void A_struct_with_an_unknown_member_type_crashes_nothing()
    {
        var source = "using AutoGrad;\npublic struct S { public Missing M; public double A; }\npublic static partial class C\n{\n"
            + "    [Differentiable] public static double F(S s) => s.A;\n}\n";
        var compilation = TestCompiler.CreateCompilation(source);
        var (diagnostics, exceptions) = AnalyzerRunner.Run(compilation);
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AG9999");
        Assert.Empty(TestCompiler.Run(compilation).Exceptions);
    }

    [Fact]
    public void The_struct_gradient_is_assigned_on_every_path_that_returns_and_the_guard_still_throws()
    {
        var source = "using System;\nusing AutoGrad;\npublic record struct G(double Mean, double Sigma);\npublic static partial class C\n{\n"
            + "    [Differentiable]\n    public static double F(G g, double x)\n    {\n"
            + "        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(g.Sigma);\n"
            + "        if (x > g.Mean) return (x - g.Mean) / g.Sigma;\n"
            + "        if (x < -10) throw new ArgumentException(\"too small\");\n"
            + "        return g.Mean * x;\n    }\n}\n";
        using var program = TestCompiler.CompileAndLoad(source);
        var type = program.GetType("C");
        var backward = type.GetMethod("FBackward")!;
        var gType = program.Assembly.GetType("G")!;
        object g = Activator.CreateInstance(gType, 1.0, 2.0)!;
        var args = new object?[] { g, 3.0, null, null, 1.0 };
        Assert.Equal(1.0, (double)backward.Invoke(null, args)!);
        Assert.Equal(g.GetType().GetProperty("Sigma")!.GetValue(args[2]), -0.5);
        Assert.Equal(0.5, (double)args[3]!);

        object bad = Activator.CreateInstance(gType, 1.0, 0.0)!;
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => backward.Invoke(null, new object?[] { bad, 3.0, null, null, 1.0 }));
        Assert.IsType<ArgumentOutOfRangeException>(thrown.InnerException);
    }
}
