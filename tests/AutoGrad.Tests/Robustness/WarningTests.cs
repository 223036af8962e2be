using System.IO;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Robustness;

/// <summary>Generated code adds no warning to a strict build: nullable, warnings as errors, XML docs required.</summary>
public class WarningTests
{
    private static readonly CSharpParseOptions Diagnose = TestCompiler.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    private const string Documented = """
        using System;
        using AutoGrad;

        namespace Strict
        {
            /// <summary>Public functions.</summary>
            public static partial class Api
            {
                /// <summary>A public function.</summary>
                /// <param name="x">x.</param>
                /// <param name="y">y.</param>
                /// <param name="c">c.</param>
                /// <param name="n">n.</param>
                /// <returns>The value.</returns>
                [Differentiable]
                public static double F(double x, double y, [NoGrad] double c, int n)
                {
                    double a = x * y + c * n;
                    return Math.Exp(-a) + Math.Sqrt(y * y + 1.0) - 0.5;
                }

                /// <summary>A float function.</summary>
                /// <param name="x">x.</param>
                /// <returns>The value.</returns>
                [Differentiable]
                public static float G(float x) => MathF.Tanh(x) * 2.5f;

                /// <summary>Early return.</summary>
                /// <param name="x">x.</param>
                /// <returns>The value.</returns>
                [Differentiable]
                public static double H(double x)
                {
                    if (x < 0) return -x;
                    return x * x;
                }

                [Differentiable]
                private static double Hidden(double x) => x * 3.0;

                /// <summary>Uses <see cref="Hidden"/>.</summary>
                /// <returns>A value.</returns>
                public static double UseHidden() => Hidden(1.0);
            }

            /// <summary>A generic type.</summary>
            /// <typeparam name="T">Anything.</typeparam>
            public partial class Box<T>
            {
                /// <summary>Nested.</summary>
                public partial struct Inner
                {
                    /// <summary>A nested function.</summary>
                    /// <param name="x">x.</param>
                    /// <returns>The value.</returns>
                    [Differentiable]
                    public static double K(double x) => x * x;
                }
            }
        }
        """;

    [Fact]
    public void Missing_documentation_is_reported_under_these_options()
    {
        // Positive control: the options below would report an undocumented public member.
        var compilation = TestCompiler.CreateCompilation(new[] { "namespace N { /// <summary>T.</summary>\npublic static class T { public static void M() { } } }" }, Diagnose);
        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS1591");
    }

    [Fact]
    public void Generated_code_compiles_without_any_warning()
    {
        var run = TestCompiler.RunClean(new[] { Documented }, Diagnose);
        Assert.Equal(5, run.GeneratedSources.Length);

        // Emitting the XML documentation file too reports documentation problems in generated code.
        using var peStream = new MemoryStream();
        using var xmlStream = new MemoryStream();
        var emit = run.Output.Emit(peStream, xmlDocumentationStream: xmlStream);
        var problems = emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(emit.Success && problems.Count == 0, string.Join("\n", problems) + "\n" + run.DescribeGenerated());
        Assert.True(xmlStream.Length > 0);
    }
}
