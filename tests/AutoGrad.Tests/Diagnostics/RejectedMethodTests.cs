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

/// <summary>
/// One rejected method costs only its own Backward, which becomes a stub that throws: the rest of the project,
/// call sites of the stub included, still builds and runs.
/// </summary>
public sealed class RejectedMethodTests
{
    private const string Source = """
        using System;
        using AutoGrad;

        namespace Mixed
        {
            public static partial class Functions
            {
                [Differentiable]
                public static double Good(double x, double y) => x * y + Math.Sin(x);

                [Differentiable]
                public static double Bad(double x)
                {
                    double s = x;
                    try { s += x; } finally { }
                    return s;
                }

                [Differentiable]
                public static double AlsoGood(double x) => Math.Exp(x);
            }

            public static class Caller
            {
                public static double Use() =>
                    Functions.GoodBackward(1, 2, out double dX, out double dY) + dX + dY
                    + Functions.AlsoGoodBackward(0, out double dZ) + dZ;

                // Calls the rejected method's Backward: a stub, so this compiles, and throws when run.
                public static double UseBad() => Functions.BadBackward(1, out double dX) + dX;
            }
        }
        """;

    [Fact]
    public async Task Other_methods_are_generated_and_the_compilation_builds()
    {
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(Source));

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.DriverDiagnostics);
        var hintNames = run.GeneratedText.Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "Mixed.Functions.AlsoGood_double.g.cs", "Mixed.Functions.Bad_double.g.cs", "Mixed.Functions.Good_double_double.g.cs" }, hintNames);
        Assert.Contains("throw new global::System.NotSupportedException(", run.GeneratedText["Mixed.Functions.Bad_double.g.cs"]);
        Assert.Empty(run.OutputDiagnostics);

        // The analyzer reports the rejected method, and only it.
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer());
        var diagnostics = await run.Output.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("AG0010", diagnostic.Id);
        Assert.Equal("try", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));

        // And the program runs.
        using var program = LoadedProgram.Load(run, new[] { Source });
        var use = program.Assembly.GetType("Mixed.Caller")!.GetMethod("Use")!;
        double expected = (1 * 2 + Math.Sin(1)) + (2 + Math.Cos(1)) + 1 + 1 + 1;
        Assert.Equal(expected, (double)use.Invoke(null, null)!, 12);

        // The stub says why it exists.
        var useBad = program.Assembly.GetType("Mixed.Caller")!.GetMethod("UseBad")!;
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => useBad.Invoke(null, null));
        var notSupported = Assert.IsType<NotSupportedException>(thrown.InnerException);
        Assert.Equal("'Bad' cannot be differentiated (see AG0010 on the method), so 'BadBackward' is a stub that only throws.", notSupported.Message);
    }
}
