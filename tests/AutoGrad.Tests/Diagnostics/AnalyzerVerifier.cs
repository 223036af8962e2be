using System.Threading.Tasks;
using AutoGrad.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>
    /// Runs <see cref="DifferentiableAnalyzer"/> on a source text with the .NET 10 reference assemblies from
    /// Basic.Reference.Assemblies (nothing is downloaded at test time) and the AutoGrad runtime library.
    /// </summary>
    internal static class AnalyzerVerifier
    {
        /// <summary>Usings every test source starts with.</summary>
        public const string Usings = "using System;\nusing System.Linq;\nusing AutoGrad;\n\n";

        public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

        /// <summary>
        /// Checks that the analyzer reports exactly the diagnostics in the markup of <paramref name="source"/>
        /// plus <paramref name="expected"/>, and that the source has no compiler error.
        /// </summary>
        public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
            Create(source, expected).RunAsync();

        public static CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier> Create(
            string source,
            params DiagnosticResult[] expected)
        {
            var test = new CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier>
            {
                TestCode = Usings + source,
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            };
            test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
            test.TestState.AdditionalReferences.Add(
                MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
            test.ExpectedDiagnostics.AddRange(expected);
            return test;
        }

        /// <summary>Allows <c>unsafe</c> code in the test's compilation.</summary>
        public static CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier> AllowUnsafe(
            this CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier> test)
        {
            test.SolutionTransforms.Add((solution, projectId) =>
            {
                var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
                return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
            });
            return test;
        }
    }
}
