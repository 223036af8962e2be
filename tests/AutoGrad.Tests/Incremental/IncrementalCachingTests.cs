using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoGrad.Generator;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Incremental;

/// <summary>
/// An edit that does not touch a [Differentiable] method leaves every pipeline step cached; an edit of the
/// method's body re-runs Differentiate (so these tests can fail).
/// </summary>
public class IncrementalCachingTests
{
    private static readonly string[] TrackedSteps = { TrackingNames.Parse, TrackingNames.Valid, TrackingNames.Differentiate };

    private const string MethodSource = """
        using System;
        using AutoGrad;

        namespace Inc
        {
            public static partial class Model
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    double a = x * y;
                    return Math.Sin(a) + y;
                }

                [Differentiable]
                public static float G(float x) => x * x;
            }
        }
        """;

    private const string OtherSource = """
        namespace Inc
        {
            public static class Other
            {
                public static int Unrelated(int n)
                {
                    return n + 1;
                }
            }
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = TestCompiler.CreateCompilation(MethodSource, OtherSource);
        var driver = TestCompiler.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal(2, first.GeneratedSources.Length);
        return (driver, compilation);
    }

    private static SyntaxTree Tree(CSharpCompilation compilation, string path) =>
        compilation.SyntaxTrees.Single(t => t.FilePath == path);

    private static GeneratorRunResult Rerun(GeneratorDriver driver, Compilation edited) =>
        driver.RunGenerators(edited).GetRunResult().Results.Single();

    private static string Describe(GeneratorRunResult result)
    {
        var builder = new StringBuilder();
        foreach (var (name, steps) in result.TrackedSteps.Concat(result.TrackedOutputSteps).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            builder.Append(name).Append(": ")
                .AppendLine(string.Join(", ", steps.SelectMany(s => s.Outputs).Select(o => o.Reason)));
        }

        return builder.ToString();
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (var name in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), "No tracked step '" + name + "'. Steps:\n" + Describe(result));
            var outputs = result.TrackedSteps[name].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.True(
                outputs.All(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
                "Step '" + name + "' was re-run by an unrelated edit:\n" + Describe(result));
        }

        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.True(
            sourceOutputs.All(o => o.Reason == IncrementalStepRunReason.Cached),
            "The source output was not cached after an unrelated edit:\n" + Describe(result));
    }

    [Fact]
    public void Adding_an_unrelated_file_keeps_every_step_cached()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Inc.Elsewhere { internal sealed class Unrelated { public int Value => 42; } }",
            TestCompiler.ParseOptions,
            path: "Added.cs"));
        AssertAllCached(Rerun(driver, edited));
    }

    [Fact]
    public void Editing_a_method_body_in_another_file_keeps_every_step_cached()
    {
        var (driver, compilation) = FirstRun();
        var old = Tree(compilation, "Source1.cs");
        var edited = compilation.ReplaceSyntaxTree(
            old,
            CSharpSyntaxTree.ParseText(OtherSource.Replace("return n + 1;", "return n * 2 + 1;", StringComparison.Ordinal), TestCompiler.ParseOptions, path: old.FilePath));
        AssertAllCached(Rerun(driver, edited));
    }

    [Fact]
    public void Editing_below_the_methods_in_the_same_file_keeps_the_backward_model()
    {
        // Parse re-runs for the edited file, but its models are equal, so nothing after it is redone.
        // (An edit *above* a method shifts the line numbers the model keeps for comments, and re-runs it.)
        var (driver, compilation) = FirstRun();
        var old = Tree(compilation, "Source0.cs");
        var edited = compilation.ReplaceSyntaxTree(
            old,
            CSharpSyntaxTree.ParseText(MethodSource + "\n// a trailing comment\ninternal static class Trailing { }\n", TestCompiler.ParseOptions, path: old.FilePath));
        var result = Rerun(driver, edited);
        foreach (var name in new[] { TrackingNames.Valid, TrackingNames.Differentiate })
        {
            var reasons = result.TrackedSteps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.True(
                reasons.All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
                name + " re-ran after code was added below the methods:\n" + Describe(result));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_the_differentiable_method_body_modifies_Differentiate()
    {
        // Positive control: the same assertions would see this edit.
        var (driver, compilation) = FirstRun();
        var old = Tree(compilation, "Source0.cs");
        var edited = compilation.ReplaceSyntaxTree(
            old,
            CSharpSyntaxTree.ParseText(MethodSource.Replace("return Math.Sin(a) + y;", "return Math.Sin(a) * y;", StringComparison.Ordinal), TestCompiler.ParseOptions, path: old.FilePath));
        var result = Rerun(driver, edited);
        var reasons = result.TrackedSteps[TrackingNames.Differentiate].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.True(reasons.Contains(IncrementalStepRunReason.Modified), "Differentiate was not re-run for an edited method:\n" + Describe(result));
        Assert.Contains(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);

        // G was not edited: its model stays the same (re-used, or recomputed equal).
        Assert.Contains(reasons, r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
    }
}
