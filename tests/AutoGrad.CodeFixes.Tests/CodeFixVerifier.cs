using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AutoGrad.CodeFixes.Tests
{
    /// <summary>
    /// Runs the analyzer, applies a code fix and compares the result, with the .NET 10 reference assemblies
    /// from Basic.Reference.Assemblies (nothing is downloaded at test time) and the AutoGrad runtime library.
    /// </summary>
    internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        private const string Usings = "using System;\nusing AutoGrad;\n\n";

        /// <summary>Checks that the diagnostics marked in <paramref name="source"/> are reported and that the fix is not offered for them.</summary>
        public static Task VerifyNotOfferedAsync(string source) => VerifyAsync(source, source, incrementalIterations: 0);

        public static Task VerifyAsync(string source, string fixedSource, int incrementalIterations = 1, string usings = Usings)
        {
            var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
            {
                TestCode = usings + source,
                FixedCode = usings + fixedSource,
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
                NumberOfFixAllIterations = incrementalIterations == 0 ? 0 : 1,
                NumberOfIncrementalIterations = incrementalIterations,

                // The fixed code must compile without warnings too (projects build with TreatWarningsAsErrors).
                CompilerDiagnostics = CompilerDiagnostics.Warnings,
            };

            // Noise of the test set-up: AutoGrad.dll is built against an older System.Runtime, and the test
            // compilation asks for documentation comments.
            test.DisabledDiagnostics.AddRange(new[] { "CS1701", "CS1702", "CS1591" });
            test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
            test.TestState.AdditionalReferences.Add(
                MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
            return test.RunAsync();
        }
    }
}
