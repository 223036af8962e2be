using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AutoGrad.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>
    /// The analyzer must never throw (Roslyn would report AD0001) nor fall back to AG9999, whatever the body
    /// of a [Differentiable] method holds, valid or not.
    /// </summary>
    public class AnalyzerRobustnessTests
    {
        public static IEnumerable<object[]> Bodies() => new[]
        {
            "return checked(x * 2) + unchecked(x - 1);",
            "double? n = x; return n ?? 0;",
            "var t = (x, 2.0); return t.Item1 * t.Item2;",
            "return x is > 0 and < 1 ? x : -x;",
            "string s = $\"{x}\"; return s.Length;",
            "return default(double) + x;",
            "return sizeof(double) * x;",
            "return nameof(x).Length * x;",
            "object o = x; return (double)o;",
            "ref double r = ref x; r = 2; return r;",
            "double a = x, b = 1; ref double r = ref (x > 0 ? ref a : ref b); r *= 2; return a + b;",
            "Span<double> s = stackalloc double[2]; foreach (ref double e in s) e = x; return s[0] + s[1];",
            "double a = x, b = 2; ref double r = ref a; ref double q = ref b; (r, q) = (q, r); return a * b;",
            "ref double r = ref x; r = ref r; return r;",
            "ref double r; return x;",
            "ref double r = ref Missing(); return r;",
            "double[] h = new double[2]; ref double e = ref h[5]; e = x; return h[0];",
            "return x > 0 ? x : throw new ArgumentException();",
            "return x switch { > 0 => x, _ => 0 };",
            "var f = (double v) => v * v; return f(x);",
            "double y = x; y = y++ + ++y; return y;",
            "double y = x; return (y = 3) * y;",
            "int i = 3; i <<= 1; i >>= 1; i ^= 2; i &= 7; i |= 1; return i * x;",
            "bool b = x > 0; b &= x < 1; b |= false; return b ? x : 0;",
            "long m = 3; m %= 2; float g = 2f; g -= 1; return m + g * x;",
            "const double k = 2; return k * x;",
            "double y; if (x > 0) y = x; else y = -x; return y;",
            "if (x > 0) return x; else if (x < -1) return -x; return 0;",
            "if (x > 0) { if (x > 1) return 1; } else { return -1; } return x;",
            "{ { return x; } }",
            "double y = x; unchecked { y = y * 2; } return y;",
            "lock (typeof(double)) { } return x;",
            "using (var d = new System.IO.MemoryStream()) { } return x;",
            "return Math.Max(Math.Min(x, 1), Math.Abs(x)) + Math.FusedMultiplyAdd(x, x, x);",
            "return Math.Pow(2, x) + Math.Log(x, 10) + Math.Clamp(x, 0.0, 1.0) + Math.Round(x, 2);",
            "return MathF.Sin((float)x) + (float)x;",
            "return double.MaxValue - x + double.Epsilon + int.MaxValue;",
            "return Math.ScaleB(x, 2) + Math.ILogB(x);",
            "return new[] { 1.0 }[0] * x;",
            "return x.ToString().Length;",
            "return (x, x).Item1;",
            "return Console.ReadLine()!.Length * x;",
            "double y = 0; for (;;) { y += x; if (y > 10) break; } return y;",
            "int k = 0; do { k++; continue; } while (k < 3); return k;",
            "yield return x;",
            "return await System.Threading.Tasks.Task.FromResult(x);",
            "return x + Environment.ProcessorCount;",
            "return F(x - 1);",
            "return (double)(object)x;",
            "return x is double d ? d : 0;",
            "fixed (char* p = \"a\") { } return x;",
            "double* p = &x; return *p;",
            "return stackalloc double[1][0];",
            "int[] a = new int[3]; return a[0] * x;",
            "return new System.Numerics.Complex(x, 0).Real;",
            "return (x = 2) + x;",
            "Func<double> f = () => x; return f();",
            "label: x += 1; if (x < 3) goto label; return x;",
            "return x +;",
            "return",
            "if (x > 0",
            "double y = x; y. ; return y;",
            "return Missing.Thing(x);",
            "#if DEBUG\n return x;\n#else\n return 2 * x;\n#endif",
        }.Select(b => new object[] { b });

        [Theory]
        [MemberData(nameof(Bodies))]
        public async Task NeverThrowsNorReportsInternalError(string body)
        {
            string source = AnalyzerVerifier.Usings
                + "unsafe partial class C\n{\n    static double s_field;\n    static double Prop { get; set; }\n\n"
                + "    [Differentiable]\n    static double F(double x)\n    {\n        " + body + "\n    }\n\n"
                + "    [Differentiable]\n    static async System.Threading.Tasks.Task<double> G(double x)\n    {\n        " + body + "\n    }\n\n"
                + "    [Differentiable]\n    double H(double x) => x;\n"
                + "}\n";
            var diagnostics = await RunAsync(source);
            Assert.DoesNotContain(diagnostics, d => d.Id is "AD0001" or "AG9999");
            Assert.Contains(diagnostics, d => d.Id == "AG0002"); // the analyzer did run: H is not static
        }

        [Fact]
        public async Task ManyEarlyReturnsInBranchesThatFallThroughAreSupported()
        {
            // Each `if` may return or fall through: lowered with a returned flag, not by copying what follows.
            var body = string.Concat(Enumerable.Range(0, 24).Select(i =>
                "if (x > " + i + ") { if (x > " + (i + 100) + ") return " + i + "; x = x * x; }\n        "));
            string source = AnalyzerVerifier.Usings
                + "partial class C\n{\n    [Differentiable]\n    static double F(double x)\n    {\n        " + body + "return x;\n    }\n}\n";
            var diagnostics = await RunAsync(source);
            Assert.Empty(diagnostics);
        }

        [Fact]
        public async Task AHugeMethodIsReportedNotFatal()
        {
            var body = string.Concat(Enumerable.Range(0, 1500).Select(i => "x = x * 1.0001 + x * x - x * 0.5 + x * " + i + " - x / 3.0;\n        "));
            string source = AnalyzerVerifier.Usings
                + "partial class C\n{\n    [Differentiable]\n    static double F(double x)\n    {\n        " + body + "return x;\n    }\n}\n";
            var diagnostics = await RunAsync(source);
            var diagnostic = Assert.Single(diagnostics);
            Assert.Equal("AG0010", diagnostic.Id);
            Assert.Equal(
                "A method this large is not supported in a [Differentiable] method; it lowers to more than 10000 operations; split the computation into smaller methods",
                diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(diagnostic.Location.IsInSource);
            Assert.Equal("F", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        }

        [Fact]
        public async Task ExceptionsFromTheAnalyzerAreNeverSeenByRoslyn()
        {
            // Many members at once, concurrently analysed.
            var members = Bodies().Select((b, i) =>
                "    [Differentiable]\n    static double F" + i + "(double x)\n    {\n        " + b[0] + "\n    }\n");
            string source = AnalyzerVerifier.Usings + "unsafe partial class C\n{\n" + string.Join("\n", members) + "}\n";
            var diagnostics = await RunAsync(source);
            Assert.DoesNotContain(diagnostics, d => d.Id is "AD0001" or "AG9999");
        }

        private static async Task<ImmutableArray<Diagnostic>> RunAsync(string source)
        {
            var references = Basic.Reference.Assemblies.Net100.References.All
                .Cast<MetadataReference>()
                .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
            var compilation = CSharpCompilation.Create(
                "Robustness",
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

            var exceptions = new List<Exception>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, diagnostic) =>
                {
                    lock (exceptions) exceptions.Add(exception);
                },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false);
            var withAnalyzers = compilation.WithAnalyzers(
                ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()),
                options);
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
            Assert.Empty(exceptions);
            return diagnostics;
        }
    }
}
