using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Robustness;

/// <summary>The generated text depends on the input only: not on the run, nor on the current culture.</summary>
public class DeterminismTests
{
    /// <summary>Negative and fractional literals, and functions whose derivatives need constants (ln 10, 1/3, ...).</summary>
    private const string Source = """
        using System;
        using AutoGrad;

        namespace Determinism
        {
            public static partial class Literals
            {
                [Differentiable]
                public static double D(double x, double y)
                {
                    double a = -0.5 * x + 1e-3 * y - 1.25e-7;
                    double b = Math.Log10(x * x + 1.0) + Math.Log2(y * y + 2.0) + Math.Cbrt(x + 3.5);
                    double c = Math.Sqrt(a * a + 0.001) * Math.Pow(y * y + 1.0, -0.75) + Math.Log(x * x + 2.0, 3.0);
                    return a * b - c / -2.0 + Math.Atan2(y, -1.5) + Math.Asin(0.25) * x + Math.Acos(-0.125) * y;
                }

                [Differentiable]
                public static float F(float x, float y) =>
                    2.5f * x - 0.5f * y + MathF.Log10(x * x + 1f) + MathF.Cbrt(y + 3f) - 1e-3f * MathF.Sqrt(x * x + 0.25f);

                [Differentiable]
                public static double Branchy(double x, double y)
                {
                    if (x > -0.5) return x * -1.5e-2;
                    return y > 0.75 ? -y : y * -2.0;
                }
            }
        }
        """;

    private static IReadOnlyDictionary<string, string> Generate()
    {
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(new[] { Source }, assemblyName: "Determinism"));
        Assert.Empty(run.Exceptions);
        return run.GeneratedText;
    }

    private static void AssertSame(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual, string what)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (hint, text) in expected)
        {
            var a = Encoding.UTF8.GetBytes(text);
            var b = Encoding.UTF8.GetBytes(actual[hint]);
            if (!a.AsSpan().SequenceEqual(b))
            {
                Assert.Fail(hint + " differs " + what + ":\n---- expected ----\n" + text + "\n---- actual ----\n" + actual[hint]);
            }
        }
    }

    [Fact]
    public void Same_input_gives_byte_identical_output()
    {
        var first = Generate();
        Assert.NotEmpty(first);
        var second = Generate();
        AssertSame(first, second, "between two runs");
    }

    /// <summary>A culture whose minus sign is U+2212 and whose decimal separator is a comma.</summary>
    internal static CultureInfo MinusSignCulture()
    {
        foreach (var name in new[] { "sv-SE", "fa-IR" })
        {
            try
            {
                var culture = CultureInfo.GetCultureInfo(name);
                if (culture.NumberFormat.NegativeSign == "\u2212") return culture;
            }
            catch (CultureNotFoundException)
            {
                // Invariant globalization mode: build one below.
            }
        }

        var clone = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        clone.NumberFormat.NegativeSign = "\u2212";
        clone.NumberFormat.NumberDecimalSeparator = ",";
        clone.NumberFormat.NumberGroupSeparator = "\u00a0";
        return clone;
    }

    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        var culture = MinusSignCulture();
        Assert.Equal("\u2212", culture.NumberFormat.NegativeSign);
        Assert.Contains("\u2212", (-1.5).ToString(culture), StringComparison.Ordinal);

        var savedCulture = CultureInfo.CurrentCulture;
        var savedUiCulture = CultureInfo.CurrentUICulture;
        IReadOnlyDictionary<string, string> invariant;
        IReadOnlyDictionary<string, string> localized;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            invariant = Generate();
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            localized = Generate();
        }
        finally
        {
            CultureInfo.CurrentCulture = savedCulture;
            CultureInfo.CurrentUICulture = savedUiCulture;
        }

        Assert.NotEmpty(invariant);
        AssertSame(invariant, localized, "under " + (culture.Name.Length > 0 ? culture.Name : "a U+2212 culture") + " from the invariant culture");
        foreach (var (hint, text) in localized)
        {
            Assert.False(text.Contains('\u2212', StringComparison.Ordinal), hint + " contains U+2212:\n" + text);
        }
    }
}
