using System;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Incremental;

/// <summary>
/// A Backward with a struct parameter reads and rebuilds every member of the struct: adding a member to the
/// struct (in another file) must regenerate it, or the generated object initializer would miss the member.
/// </summary>
public class StructEditTests
{
    private const string Method = """
        using AutoGrad;

        namespace Inc
        {
            public static partial class Model
            {
                [Differentiable]
                public static double F(Params p, double x) => p.A * x;
            }
        }
        """;

    private const string Struct = """
        namespace Inc
        {
            public record struct Params(double A);
        }
        """;

    [Fact]
    public void Adding_a_member_to_the_struct_in_another_file_regenerates_the_Backward()
    {
        var compilation = TestCompiler.CreateCompilation(Method, Struct);
        var driver = TestCompiler.CreateDriver(trackSteps: true).RunGeneratorsAndUpdateCompilation(compilation, out var first, out _);
        Assert.Contains("new global::Inc.Params { A = dP_A }", string.Join("\n", first.SyntaxTrees.Select(t => t.ToString())), StringComparison.Ordinal);

        var old = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        var edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Struct.Replace("double A", "double A, float B", StringComparison.Ordinal), TestCompiler.ParseOptions, path: old.FilePath));
        driver = driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);
        string generated = string.Join("\n", output.SyntaxTrees.Select(t => t.ToString()));
        Assert.Contains("new global::Inc.Params { A = dP_A, B = dP_B }", generated, StringComparison.Ordinal);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }
}
