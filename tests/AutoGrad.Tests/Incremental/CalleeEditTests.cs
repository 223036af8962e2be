using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using AutoGrad.Generator;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Incremental;

/// <summary>
/// A caller's Backward holds its callees' bodies: editing a callee (in another file, without any attribute)
/// must regenerate the caller, or its gradient would be stale; an unrelated edit still leaves it cached.
/// </summary>
public class CalleeEditTests
{
    private const string Caller = """
        using System;
        using AutoGrad;

        namespace Inc
        {
            public static partial class Model
            {
                [Differentiable]
                public static double F(double x) => Helpers.Act(x) * 2;
            }
        }
        """;

    private const string Callee = """
        using System;

        namespace Inc
        {
            public static class Helpers
            {
                public static double Act(double v)
                {
                    return v * v;
                }

                public static int Unrelated(int n) => n + 1;
            }
        }
        """;

    private static double GradientAt(Compilation output, double x)
    {
        using var stream = new MemoryStream();
        Assert.True(output.Emit(stream).Success);
        var context = new AssemblyLoadContext("CalleeEdit", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(new MemoryStream(stream.ToArray())).GetType("Inc.Model")!;
            var args = new object?[] { x, null, 1.0 };
            type.GetMethod("FBackward")!.Invoke(null, args);
            return (double)args[1]!;
        }
        finally
        {
            context.Unload();
        }
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = TestCompiler.CreateCompilation(Caller, Callee);
        var driver = TestCompiler.CreateDriver(trackSteps: true).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.Equal(2 * 2 * 1.5, GradientAt(output, 1.5), 12);
        return (driver, compilation);
    }

    private static Compilation Edit(CSharpCompilation compilation, string find, string replace)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Callee.Replace(find, replace, StringComparison.Ordinal), TestCompiler.ParseOptions, path: old.FilePath));
    }

    [Fact]
    public void Editing_a_callee_in_another_file_regenerates_the_caller()
    {
        var (driver, compilation) = FirstRun();
        var edited = Edit(compilation, "return v * v;", "return v * v * v;");
        driver = driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[TrackingNames.Differentiate].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);

        // d/dx 2 x^3 = 6 x^2: the new body's gradient, not the old one's.
        Assert.Equal(6 * 1.5 * 1.5, GradientAt(output, 1.5), 12);
    }

    [Fact]
    public void Editing_an_unrelated_method_beside_the_callee_keeps_the_caller_cached()
    {
        var (driver, compilation) = FirstRun();
        var edited = Edit(compilation, "n + 1", "n + 2");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        foreach (var name in new[] { TrackingNames.Valid, TrackingNames.Differentiate })
        {
            Assert.All(result.TrackedSteps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, name + ": " + o.Reason));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Adding_a_custom_derivative_in_another_file_regenerates_the_caller()
    {
        var (driver, compilation) = FirstRun();
        const string derivative = """
            using AutoGrad;

            namespace Inc
            {
                public static class ActDerivatives
                {
                    [DerivativeOf(typeof(Helpers), nameof(Helpers.Act))]
                    public static double ActDerivative(double v, out double dV, double seed)
                    {
                        dV = seed * 10 * v; // deliberately not 2v: shows which derivative the caller uses
                        return v * v;
                    }
                }
            }
            """;
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(derivative, TestCompiler.ParseOptions, path: "Source2.cs"));
        driver = driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);
        Assert.Contains(driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Differentiate].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(2 * 10 * 1.5, GradientAt(output, 1.5), 12);
    }
}
