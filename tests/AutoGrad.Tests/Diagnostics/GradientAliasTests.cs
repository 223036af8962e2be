using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AutoGrad.Analyzers;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AutoGrad.Tests.Diagnostics;

/// <summary>AG0017: at a call of a generated Backward, a gradient buffer that is also an input.</summary>
public sealed class GradientAliasTests
{
    private const string Library = """
        using System;
        using AutoGrad;

        namespace Alias
        {
            public static partial class Functions
            {
                [Differentiable]
                public static double Dot(double[] w, [NoGrad] ReadOnlySpan<double> x, double b)
                {
                    double s = b;
                    for (int i = 0; i < w.Length; i++) s += w[i] * x[i];
                    return s;
                }
            }
        }
        """;

    [Fact]
    public async Task A_buffer_that_is_an_input_is_reported()
    {
        var diagnostics = await Analyze("""
            double[] w = { 1, 2 };
            double[] x = { 3, 4 };
            Functions.DotBackward(w, x, 0.5, w, out double db);
            Functions.DotBackward(w, x, 0.5, x.AsSpan(), out db);
            Functions.DotBackward(w, x, 0.5, new Span<double>(w), out db);
            """);

        Assert.Equal(3, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("AG0017", d.Id));
        Assert.Equal(
            "'w' is passed as gradient buffer 'dW' and also as input 'w': the gradient would be added into values the computation reads; pass a separate, zeroed buffer",
            diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("'x' is passed as gradient buffer 'dW' and also as input 'x': the gradient would be added into values the computation reads; pass a separate, zeroed buffer",
            diagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("x.AsSpan()", Text(diagnostics[1]));
        Assert.Equal("new Span<double>(w)", Text(diagnostics[2]));
    }

    [Fact]
    public async Task Separate_buffers_are_not_reported()
    {
        var diagnostics = await Analyze("""
            double[] w = { 1, 2 };
            double[] x = { 3, 4 };
            double[] dw = new double[2];
            Functions.DotBackward(w, x, 0.5, dw, out double db);
            Functions.DotBackward(w, x, 0.5, dw.AsSpan(), out db);
            Functions.DotBackward(w, w, 0.5, dw, out db); // the same input twice is fine
            """);

        Assert.Empty(diagnostics);
    }

    private static string Text(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private static async Task<ImmutableArray<Diagnostic>> Analyze(string statements)
    {
        string caller = "using System;\nnamespace Alias\n{\n    public static class Caller\n    {\n        public static void Run()\n        {\n"
            + string.Join("\n", statements.Split('\n').Select(l => "            " + l)) + "\n        }\n    }\n}\n";
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(Library, caller));
        Assert.Empty(run.Exceptions);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new GradientBufferAliasAnalyzer());
        Assert.Empty(run.OutputDiagnostics);
        var diagnostics = await run.Output.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }
}
