using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.Tests.Diagnostics;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Calls;

/// <summary>
/// A callee in a second compilation: a [Differentiable] method of a referenced library is called through
/// its generated Backward; a plain method of the library gets its derivative from a [DerivativeOf] in the
/// application; one with neither is AG0012.
/// </summary>
public class CrossAssemblyTests
{
    private const string Library = """
        using System;
        using AutoGrad;

        namespace MathLib
        {
            public static partial class Activations
            {
                [Differentiable]
                public static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(0.7978845608 * (x + 0.044715 * x * x * x)));

                [Differentiable]
                public static double WeightedSum(double[] w, [NoGrad] double[] x)
                {
                    double s = 0;
                    for (int i = 0; i < w.Length; i++) s += w[i] * x[i] * w[i];
                    return s;
                }

                [Differentiable]
                public static double CumulativeMax(double[] v)
                {
                    for (int i = 1; i < v.Length; i++) v[i] = Math.Max(v[i], v[i - 1]);   // in place on the caller's array
                    return v[v.Length - 1];
                }
            }

            public static class Special
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                public static double Opaque(double x) => x * x;
            }
        }
        """;

    private const string Application = """
        using System;
        using AutoGrad;

        namespace App
        {
            public static partial class Model
            {
                [Differentiable]
                public static double F(double x, double y) => MathLib.Activations.Gelu(x * y) + MathLib.Activations.Gelu(x) * y;

                [Differentiable]
                public static double G(double[] w, [NoGrad] double[] x) => MathLib.Activations.WeightedSum(w, x) * 2 + w[0];

                public static double GWrapper(double[] w, double[] x, double[] dW) => GBackward(w, x, dW);

                [Differentiable]
                public static double H(double x) => MathLib.Special.Softplus(x * 2) * x;

                [DerivativeOf(typeof(MathLib.Special), nameof(MathLib.Special.Softplus))]
                static double SoftplusDerivative(double x, out double dX, double seed)
                {
                    dX = seed / (1 + Math.Exp(-x));
                    return MathLib.Special.Softplus(x);
                }
            }
        }
        """;

    private static readonly Lazy<byte[]> LibraryImage = new(() =>
    {
        var compilation = TestCompiler.CreateCompilation(new[] { Library }, assemblyName: "MathLib");
        var run = TestCompiler.Run(compilation);
        run.AssertClean(new[] { Library });
        using var stream = new MemoryStream();
        var result = run.Output.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    });

    private sealed class Context : AssemblyLoadContext
    {
        private readonly Assembly _library;

        public Context(byte[] library)
            : base("AutoGradCrossAssembly", isCollectible: true)
        {
            _library = LoadFromStream(new MemoryStream(library));
        }

        protected override Assembly? Load(AssemblyName assemblyName) => assemblyName.Name == "MathLib" ? _library : null;
    }

    private static (Type Model, GeneratorRun Run, Context Context) Build()
    {
        var reference = MetadataReference.CreateFromImage(LibraryImage.Value);
        var compilation = TestCompiler.CreateCompilation(new[] { Application }, assemblyName: "App").AddReferences(reference);
        var run = TestCompiler.Run(compilation);
        run.AssertClean(new[] { Application });
        using var stream = new MemoryStream();
        var result = run.Output.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var context = new Context(LibraryImage.Value);
        var assembly = context.LoadFromStream(new MemoryStream(stream.ToArray()));
        return (assembly.GetType("App.Model")!, run, context);
    }

    private static DifferentiableMethod Method(Type type, string name, GeneratorRun run) =>
        new(type.GetMethod(name)!, type.GetMethod(name + "Backward")!, () => run.Describe(new[] { Application }, name));

    [Fact]
    public void Differentiable_method_of_a_referenced_library_is_called_through_its_backward()
    {
        var (model, run, context) = Build();
        try
        {
            GradientChecker.Check(Method(model, "F", run), new Domain());
            Assert.Contains("global::MathLib.Activations.GeluBackward(", string.Join("\n", run.GeneratedSources.Select(s => s.SourceText.ToString())));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Custom_derivative_of_a_method_in_another_assembly_is_used()
    {
        var (model, run, context) = Build();
        try
        {
            GradientChecker.Check(Method(model, "H", run), new Domain());
            Assert.Contains("SoftplusDerivative(", string.Join("\n", run.GeneratedSources.Select(s => s.SourceText.ToString())));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Array_gradient_flows_through_a_referenced_backward_into_the_callers_buffer()
    {
        var (model, _, context) = Build();
        try
        {
            var g = model.GetMethod("G")!;
            var wrapper = model.GetMethod("GWrapper")!;
            var w = new[] { 0.3, -1.2, 0.7 };
            var x = new[] { 1.5, 0.4, -0.8 };
            var dW = new double[3];
            wrapper.Invoke(null, new object[] { w, x, dW });
            for (int i = 0; i < w.Length; i++)
            {
                double h = 1e-6;
                var plus = (double[])w.Clone();
                plus[i] += h;
                var minus = (double[])w.Clone();
                minus[i] -= h;
                double numeric = ((double)g.Invoke(null, new object[] { plus, x })! - (double)g.Invoke(null, new object[] { minus, x })!) / (2 * h);
                Assert.True(Math.Abs(numeric - dW[i]) < 1e-6 * Math.Max(1, Math.Abs(numeric)), "dW[" + i + "]: " + dW[i] + " vs " + numeric);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public Task A_library_method_that_writes_its_array_argument_is_AG0018_where_it_is_called()
    {
        var test = AnalyzerVerifier.Create(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[] w)
                {
                    double top = {|#0:MathLib.Activations.CumulativeMax(w)|};
                    return top * w[0];
                }
            }
            """,
            AnalyzerVerifier.Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0).WithArguments(
                "CumulativeMax",
                "it writes the elements of its array parameter 'v', and a call that is not inlined (recursion, another assembly) cannot follow those writes; have 'CumulativeMax' copy 'v' into a local array and work on the copy"));
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromImage(LibraryImage.Value));
        return test.RunAsync();
    }

    [Fact]
    public Task Plain_method_of_a_referenced_library_is_AG0012()
    {
        var test = AnalyzerVerifier.Create(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => {|#0:MathLib.Special.Opaque(x)|};
            }
            """,
            AnalyzerVerifier.Diagnostic(DiagnosticDescriptors.NoDerivative).WithLocation(0).WithArguments("Special.Opaque"));
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromImage(LibraryImage.Value));
        return test.RunAsync();
    }
}
