using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Robustness;

/// <summary>
/// A netstandard2.0 library compiles as C# 7.3 unless it says otherwise: generated code must build there too,
/// with no warnings (so no <c>#nullable</c>, no <c>stackalloc</c> inside an argument).
/// </summary>
public sealed class LanguageVersionTests
{
    private const string Source = """
        using System;
        using AutoGrad;

        namespace Old
        {
            public static partial class Functions
            {
                [Differentiable]
                public static double Loss(double[] w, double b, [NoGrad] double[] x)
                {
                    double s = b;
                    double m = double.NegativeInfinity;
                    for (int i = 0; i < w.Length; i++)
                    {
                        double z = w[i] * x[i];
                        s += z > 0 ? z : 0.1 * z;
                        if (z > m) m = z;
                    }

                    return s * m;
                }

                static double Softplus(double z) { if (z > 20) return z; return Math.Log(1 + Math.Exp(z)); }

                public static double Erfish(double x) => Math.Tanh(x);

                [DerivativeOf(nameof(Erfish))]
                static double ErfishDerivative(double x, out double dX, double seed) { double t = Math.Tanh(x); dX = seed * (1 - t * t); return t; }

                [Differentiable]
                public static double Power(double[] c, double x, int n) => n == 0 ? c[0] : x * Power(c, x, n - 1) + c[n];

                [Differentiable]
                public static double Calls(double[] w, double x)
                {
                    double total = 0;
                    for (int i = 0; i < w.Length; i++)
                    {
                        var scratch = new double[2];
                        scratch[0] = Softplus(w[i] * x);
                        scratch[1] = Erfish(scratch[0]);
                        total += scratch[1] + Power(w, x, 2);
                    }

                    return total;
                }

                [Differentiable]
                public static float Neuron(float w0, float x0, float b)
                {
                    float dot = w0 * x0 + b;
                    return 1f / (1f + (float)Math.Exp(-dot));
                }
            }
        }
        """;

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3, false)]
    [InlineData(LanguageVersion.CSharp8, true)]
    [InlineData(LanguageVersion.Latest, true)]
    public void Generated_code_builds_cleanly_for_the_project_language_version(LanguageVersion version, bool nullable)
    {
        var compilation = TestCompiler.CreateCompilation(new[] { Source }, new CSharpParseOptions(version));
        if (!nullable)
        {
            compilation = compilation.WithOptions(compilation.Options.WithNullableContextOptions(Microsoft.CodeAnalysis.NullableContextOptions.Disable));
        }

        var run = TestCompiler.Run(compilation);
        run.AssertClean(new[] { Source });
        var text = string.Join("\n", run.GeneratedText.Values);
        Assert.Equal(nullable, text.Contains("#nullable enable", System.StringComparison.Ordinal));
        Assert.Contains("stackalloc", text, System.StringComparison.Ordinal); // a tape, declared the C# 7.3 way
        using var program = LoadedProgram.Load(run, new[] { Source });
        var neuron = program.Method("Old.Functions", "Neuron");
        var result = neuron.InvokeBackward(neuron.Arguments(2f, -1f, 0.5f));
        Assert.Equal(neuron.Invoke(neuron.Arguments(2f, -1f, 0.5f)), result.Value);
    }
}
