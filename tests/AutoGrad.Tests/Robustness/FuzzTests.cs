using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Robustness;

/// <summary>
/// Mutates valid sources (deleting, duplicating, swapping tokens, truncating, unbalancing braces) and runs the
/// generator and the analyzer over every mutant: neither may crash, whatever half-typed code it sees.
/// </summary>
public class FuzzTests
{
    /// <summary>Mutants per seed: 41 in CI; set AUTOGRAD_FUZZ_MUTANTS for a deeper run by hand.</summary>
    private static readonly int MutantsPerSeed =
        int.TryParse(Environment.GetEnvironmentVariable("AUTOGRAD_FUZZ_MUTANTS"), out int mutants) && mutants > 0 ? mutants : 41;

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>Valid sources covering every supported construct.</summary>
    public static readonly string[] Seeds =
    {
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static class Helpers
            {
                public static double Softplus(double z) { if (z > 20) return z; return Math.Log(1 + Math.Exp(z)); }
                public static void Dense(double[] w, double[] b, ReadOnlySpan<double> input, Span<double> output)
                {
                    for (int j = 0; j < output.Length; j++)
                    {
                        double s = b[j];
                        for (int i = 0; i < input.Length; i++) s += w[j * input.Length + i] * input[i];
                        output[j] = s;
                    }
                }
            }

            public static partial class Calls
            {
                public static double Erfish(double x) => Math.Tanh(1.2 * x);

                [DerivativeOf(nameof(Erfish))]
                public static double ErfishDerivative(double x, out double dX, double seed) { double t = Math.Tanh(1.2 * x); dX = seed * 1.2 * (1 - t * t); return t; }

                [Differentiable]
                public static double Power(double x, int n) => n == 0 ? 1.0 : x * Power(x, n - 1);

                [Differentiable]
                public static double Net(double[] w1, double[] b1, [NoGrad] double[] x, double scale)
                {
                    Span<double> h = stackalloc double[b1.Length];
                    Helpers.Dense(w1, b1, x, h);
                    static double Sq(double v) => v * v;
                    double total = 0;
                    for (int j = 0; j < h.Length; j++) total += Helpers.Softplus(h[j]) * scale + Sq(Erfish(h[j]));
                    return total + Power(scale, 3) + Diff.StopGradient(scale * 2);
                }
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class Loops
            {
                [Differentiable]
                public static double Loss(double[] w, ReadOnlySpan<double> b, [NoGrad] double[] x, int[] labels, int n, int d)
                {
                    double total = 0;
                    for (int i = 0; i < n; i++)
                    {
                        double z = b[0];
                        for (int j = 0; j < d; j++) z += w[j] * x[i * d + j];
                        if (labels[i] == 1) total -= Math.Log(1.0 / (1.0 + Math.Exp(-z)));
                        else total -= Math.Log(1.0 - 1.0 / (1.0 + Math.Exp(-z)));
                    }
                    return total / n;
                }

                [Differentiable]
                public static double Running(Span<double> v, double s)
                {
                    double m = double.NegativeInfinity;
                    foreach (var e in v) { if (e > m) m = e; }
                    int k = v.Length - 1;
                    while (k >= 0) { s = s * 0.5 + v[k]; k--; if (s > 100) break; }
                    do { s = Math.Sqrt(s * s + 1); } while (s < 3);
                    return s + m;
                }
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class LocalArrays
            {
                [Differentiable]
                public static float Net(float[] w1, float[] w2, [NoGrad] float[] x, int h)
                {
                    Span<float> hidden = stackalloc float[h];
                    double[] scratch = new double[h];
                    for (int j = 0; j < h; j++)
                    {
                        float z = 0f;
                        for (int i = 0; i < x.Length; i++) z += w1[j * x.Length + i] * x[i];
                        hidden[j] = MathF.Max(z, 0f);
                        scratch[j] = hidden[j] * 2.0;
                    }
                    float o = 0f;
                    for (int j = 0; j < h; j++)
                    {
                        if (hidden[j] <= 0f) continue;
                        hidden[j] += (float)scratch[j];
                        o += w2[j] * hidden[j];
                    }
                    return o;
                }
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class Straight
            {
                [Differentiable]
                public static double F(double x, double y, [NoGrad] double c)
                {
                    double a = x * y + c;
                    a += 2.5 * x;
                    a -= y / (1.0 + x * x);
                    a *= -a;
                    a /= 3.0;
                    a++;
                    --a;
                    return a % 7.0 + Math.PI * Math.E;
                }
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class Functions
            {
                [Differentiable]
                public static double G(double x, double y) =>
                    Math.Exp(x) + Math.Log(y) + Math.Log(y, 2.0) + Math.Log10(y) + Math.Log2(y) + Math.Sqrt(y) + Math.Cbrt(x)
                    + Math.Pow(y, x) + Math.Sin(x) * Math.Cos(y) + Math.Tan(x) + Math.Asin(x / 4) + Math.Acos(x / 4)
                    + Math.Atan(x) + Math.Atan2(y, x) + Math.Sinh(x) + Math.Cosh(x) + Math.Tanh(x)
                    + Math.Abs(x) + Math.Max(x, y) + Math.Min(x, y) + Math.Clamp(x, -1.0, 1.0) + Math.Floor(x);
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            internal partial class Branches
            {
                [Differentiable]
                internal static double H(double x, double y, int n, bool flag)
                {
                    double r = x;
                    if (x > y && flag)
                    {
                        r = r * y;
                    }
                    else if (x < 0 || n > 2)
                    {
                        r = r - y * n;
                    }
                    else
                    {
                        if (y > 1) { r = r / y; }
                    }
                    return r;
                }
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class Returns
            {
                [Differentiable]
                public static double K(double x, double y)
                {
                    double t = x * y;
                    if (x > 0)
                    {
                        if (y > 0)
                        {
                            return t * t;
                        }
                        t = t + x;
                    }
                    t = t * 2.0;
                    return x > y ? t : (y > 0 ? t * y : -t);
                }
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class Floats
            {
                [Differentiable]
                public static float M(float x, float y)
                {
                    double d = x;
                    float f = (float)(d * d) + 2.5f;
                    return MathF.Sqrt(f) * MathF.Exp(y) + MathF.Max(x, y) - (float)Math.Sin(d);
                }
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz;
        public partial class Outer
        {
            private partial struct Inner
            {
                [Differentiable]
                private static double N(double @in, double @double, long count) => @in * @double * count - 1e-3;
            }
        }
        public partial record Rec(int Id)
        {
            [Differentiable]
            public static double P(double t0, double t1, double result) => t0 * t1 + result;
        }
        """,
        """
        using System;
        using AutoGrad;
        public partial class Box<T>
        {
            private static double Scale(int n) => n * 0.5;

            [Differentiable]
            public static double Q(double x, int n)
            {
                int k = n * 2;
                k += 1;
                double s = Scale(k) * x;
                return s * s - 0.5;
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz.Lecture
        {
            public static partial class Neuron
            {
                [Differentiable]
                public static double Sigmoid(double w0, double w1, double w2, double x0, double x1)
                {
                    double dot = w0 * x0 + w1 * x1 + w2;
                    return 1.0 / (1.0 + Math.Exp(-dot));
                }

                [Differentiable]
                public static double Circuit(double x, double y, double z) => (x + y) * z;
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class Loss
            {
                [Differentiable]
                public static double L(double w, double x, double y)
                {
                    double e = w * x - y;
                    double v = e;
                    v = v * e;
                    v = v + 0.0;
                    v = Math.Max(v, 1e-12);
                    return x > 0 ? v : v * 2;
                }

                [Differentiable]
                public static double Expr(double a, double b) => a > b ? Math.Sqrt(a * a + b * b) : Math.Atan2(b, a);
            }
        }
        """,
        """
        using System;
        using AutoGrad;
        namespace Fuzz
        {
            public static partial class Many
            {
                [Differentiable]
                public static double Twelve(double a, double b, double c, double d, double e, double f, double g, double h, double i, double j, double k, double l)
                {
                    double s = a * b + c * d - e / (1.0 + f * f);
                    s += Math.Sin(g) * h + i * j * k;
                    if (s > l) return s - l;
                    return s * l;
                }
            }
        }
        """,
    };

    [Fact]
    public void Seeds_are_valid_csharp()
    {
        // Every seed is valid C#: the input compiles without error.
        foreach (var seed in Seeds)
        {
            var compilation = TestCompiler.CreateCompilation(seed);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, "Seed does not compile:\n" + string.Join("\n", errors) + "\n" + seed);
        }
    }

    [Fact]
    public void Generator_and_analyzer_survive_mutated_sources()
    {
        var stopwatch = Stopwatch.StartNew();
        var random = new Random(8675309);
        var baseCompilation = TestCompiler.CreateCompilation(Array.Empty<string>());
        var failures = new List<string>();
        int count = 0;
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        Assert.False(AnalyzerRunner.Analyzers.IsEmpty, "The AutoGrad analyzers were not found: the fuzz test must run them too.");

        foreach (var seed in Seeds)
        {
            var tokens = CSharpSyntaxTree.ParseText(seed).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToArray();
            for (int m = 0; m < MutantsPerSeed; m++)
            {
                var (kind, mutant) = Mutate(seed, tokens, random);
                kinds[kind] = kinds.TryGetValue(kind, out int n) ? n + 1 : 1;
                count++;
                var problem = Check(baseCompilation, mutant);
                if (problem is not null && failures.Count < 5)
                {
                    failures.Add("Mutant " + count + " (" + kind + "): " + problem + "\n" + TestCompiler.WithLineNumbers(mutant));
                }
                else if (problem is not null)
                {
                    failures.Add("Mutant " + count + " (" + kind + "): " + problem);
                }
            }
        }

        _output.WriteLine(count + " mutants (" + string.Join(", ", kinds.Select(k => k.Key + " " + k.Value)) + ") in " + stopwatch.ElapsedMilliseconds + " ms");
        Assert.True(count >= 400, "Only " + count + " mutants");
        Assert.True(failures.Count == 0, failures.Count + " mutants broke the generator or analyzer:\n\n" + string.Join("\n\n", failures));
    }

    /// <summary>A description of what went wrong on <paramref name="source"/>, or null.</summary>
    private static string? Check(Microsoft.CodeAnalysis.CSharp.CSharpCompilation baseCompilation, string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, TestCompiler.ParseOptions, path: "Mutant.cs");
        var compilation = baseCompilation.AddSyntaxTrees(tree);
        var problems = new StringBuilder();

        var run = TestCompiler.Run(compilation);
        foreach (var exception in run.Exceptions)
        {
            problems.Append("generator threw ").AppendLine(exception.ToString());
        }

        foreach (var diagnostic in run.DriverDiagnostics.Where(d => d.Id is "CS8784" or "CS8785" or "AG9999"))
        {
            problems.Append("generator reported ").AppendLine(diagnostic.ToString());
        }

        // Code the generator emits for a mutant that is still valid C# must compile.
        if (run.GeneratedSources.Length > 0 && !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            var generatedTrees = run.Output.SyntaxTrees.Except(compilation.SyntaxTrees).ToHashSet();
            foreach (var diagnostic in run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && generatedTrees.Contains(d.Location.SourceTree!)))
            {
                problems.Append("generated code does not compile: ").AppendLine(diagnostic.ToString());
            }

            if (problems.Length > 0) problems.Append(run.DescribeGenerated());
        }

        var (analyzerDiagnostics, analyzerExceptions) = AnalyzerRunner.Run(compilation);
        foreach (var exception in analyzerExceptions)
        {
            problems.Append("analyzer threw ").AppendLine(exception.ToString());
        }

        foreach (var diagnostic in analyzerDiagnostics.Where(d => d.Id is "AD0001" or "AG9999"))
        {
            problems.Append("analyzer reported ").AppendLine(diagnostic.ToString());
        }

        return problems.Length == 0 ? null : problems.ToString();
    }

    private static (string Kind, string Text) Mutate(string seed, SyntaxToken[] tokens, Random random)
    {
        SyntaxToken Token() => tokens[random.Next(tokens.Length)];
        switch (random.Next(7))
        {
            case 0:
            {
                var token = Token();
                return ("delete token", seed.Remove(token.SpanStart, token.Span.Length));
            }

            case 1:
            {
                int start = random.Next(seed.Length);
                int length = Math.Min(1 + random.Next(24), seed.Length - start);
                return ("delete range", seed.Remove(start, length));
            }

            case 2:
                return ("truncate", seed.Substring(0, random.Next(seed.Length)));

            case 3:
            {
                var token = Token();
                return ("duplicate token", seed.Insert(token.Span.End, " " + token.Text));
            }

            case 4:
            {
                string[] unbalanced = { "{", "}", "(", ")", "[", "]" };
                var token = Token();
                int position = random.Next(2) == 0 ? token.SpanStart : token.Span.End;
                return ("unbalanced " + unbalanced[random.Next(unbalanced.Length)], seed.Insert(position, unbalanced[random.Next(unbalanced.Length)]));
            }

            case 5:
            {
                var a = Token();
                var b = Token();
                if (a.SpanStart > b.SpanStart) (a, b) = (b, a);
                if (a.Span.End > b.SpanStart) return ("swap tokens", seed);
                string text = seed.Substring(0, a.SpanStart) + b.Text + seed.Substring(a.Span.End, b.SpanStart - a.Span.End) + a.Text + seed.Substring(b.Span.End);
                return ("swap tokens", text);
            }

            default:
            {
                // Replace a token by another of the seed's: mostly valid syntax with new meaning.
                var target = Token();
                var replacement = Token();
                return ("replace token", seed.Remove(target.SpanStart, target.Span.Length).Insert(target.SpanStart, replacement.Text));
            }
        }
    }
}
