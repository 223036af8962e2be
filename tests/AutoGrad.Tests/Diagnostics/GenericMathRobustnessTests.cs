using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoGrad.Tests.Diagnostics;

/// <summary>
/// Generic-math bodies, valid and not: the analyzer never throws nor reports an internal error, the generator
/// never throws, and when the analyzer accepts the method its generated Backward compiles without a warning.
/// </summary>
public class GenericMathRobustnessTests
{
    public static IEnumerable<object[]> Bodies() => new[]
    {
        "return T.CreateChecked(x);",
        "return T.CreateSaturating(2.5) * x + T.CreateTruncating(7L);",
        "return T.IsNaN(x) || T.IsInfinity(x) ? T.Zero : x;",
        "return T.Round(x, 2) * x;",
        "return T.Round(x, MidpointRounding.ToEven) + T.Floor(x) + T.Ceiling(x) + T.Truncate(x);",
        "return T.CreateChecked(T.Sign(x)) * x;",
        "return T.MaxMagnitude(x, T.One);",
        "return T.Lerp(x, T.One, x);",
        "return T.Exp10M1(x);",
        "return T.BitDecrement(x) + T.Atan2Pi(x, T.One);",
        "return x % T.One + T.Ieee754Remainder(x, T.CreateChecked(0.7)) + T.ScaleB(x, 2);",
        "x++; --x; return +x - -x;",
        "T[] a = { x, x * x }; return a[0] * a[1];",
        "var v = new T[2]; v[1] = x; v[0] = v[1] * x; return v[0];",
        "return T.Parse(\"1\", null) * x;",
        "return T.One / x switch { _ => x };",
        "object o = x; return (T)o;",
        "return x.Equals(T.One) ? x : x * x;",
        "return T.Sqrt(x).ToString().Length > 3 ? x : T.Zero;",
        "return default(T)! + x;",
        "double d = double.CreateChecked(x); return x * T.CreateChecked(d);",
        "return T.Epsilon + T.NegativeZero + T.MultiplicativeIdentity * x;",
        "return T.Exp(x) +;",
        "return T.Missing(x);",
    }.Select(b => new object[] { b });

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Never_throws_and_what_is_accepted_compiles(string body)
    {
        string source = "using System;\nusing System.Numerics;\nusing AutoGrad;\n\npublic static partial class C\n{\n"
            + "    [Differentiable]\n    public static T F<T>(T x) where T : IFloatingPointIeee754<T>\n    {\n        " + body + "\n    }\n}\n";
        var compilation = TestCompiler.CreateCompilation(source);
        var (diagnostics, exceptions) = AnalyzerRunner.Run(compilation);
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id is "AD0001" or "AG9999");

        var run = TestCompiler.Run(compilation);
        Assert.Empty(run.Exceptions);
        bool compiles = !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        bool accepted = !diagnostics.Any(d => d.Id.StartsWith("AG", System.StringComparison.Ordinal) && d.DefaultSeverity == DiagnosticSeverity.Error);
        if (compiles)
        {
            // A rejected method gets a stub; either way the generated code compiles cleanly.
            Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Assert.True(accepted == !run.GeneratedText.Values.Single().Contains("is a stub that only throws", System.StringComparison.Ordinal), string.Join("\n", diagnostics) + "\n" + run.GeneratedText.Values.Single());
        }
    }
}
