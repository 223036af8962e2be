using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using AutoGrad.Analyzers;
using AutoGrad.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>Every diagnostic has a page under docs/diagnostics that agrees with its descriptor.</summary>
    public class DiagnosticDocsTests
    {
        public static TheoryData<string> Ids()
        {
            var data = new TheoryData<string>();
            foreach (var descriptor in DiagnosticDescriptors.All) data.Add(descriptor.Id);
            return data;
        }

        [Fact]
        public void AnalyzerSupportsEveryDescriptor()
        {
            var supported = new DifferentiableAnalyzer().SupportedDiagnostics.Select(d => d.Id);
            Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id), supported);
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void PageMatchesDescriptor(string id)
        {
            var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
            string page = File.ReadAllText(Path.Combine(DocsDirectory(), id + ".md"));
            string format = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);

            Assert.StartsWith("# " + id + ": " + descriptor.Title.ToString(CultureInfo.InvariantCulture) + "\n", page.Replace("\r\n", "\n"));
            Assert.Contains("| Message | `" + format + "` |", page);
            Assert.Contains("| Severity | " + descriptor.DefaultSeverity + " |", page);
            Assert.EndsWith("docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri);
            Assert.Contains("[" + id + "](" + id + ".md)", File.ReadAllText(Path.Combine(DocsDirectory(), "README.md")));
        }

        [Fact]
        public void SeveritiesAreErrorsExceptZeroGradientAliasingAndUnusedDerivatives()
        {
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                var expected = descriptor.Id switch
                {
                    DiagnosticDescriptors.ZeroGradientId or DiagnosticDescriptors.GradientAliasId => DiagnosticSeverity.Warning,
                    DiagnosticDescriptors.UnusedDerivativeId => DiagnosticSeverity.Info,
                    _ => DiagnosticSeverity.Error,
                };
                Assert.Equal(expected, descriptor.DefaultSeverity);
            }
        }

        private static string DocsDirectory([CallerFilePath] string thisFile = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "docs", "diagnostics"));
    }
}
