using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Docs;

/// <summary>
/// The documentation's generic-math examples (<c>static T F&lt;T&gt;(…) where T : IFloatingPointIeee754&lt;T&gt;</c>):
/// the block's members are compiled on their own and checked with <see cref="GenericGradientChecker"/>, in
/// double, float and Half. The block's options are those of the other examples: <c>x in a..b</c>,
/// <c>w length n</c>, <c>n = 3</c>.
/// </summary>
internal static class GenericDocExamples
{
    public static void Check(string page, int line, IReadOnlyList<string> options, string name, string members)
    {
        var domain = new GenericDomain();
        foreach (var option in options)
        {
            Match m;
            if ((m = Regex.Match(option, @"^(\w+) in (-?[\d.]+)\.\.(-?[\d.]+)$")).Success)
            {
                domain.Range(m.Groups[1].Value, Number(m.Groups[2].Value), Number(m.Groups[3].Value));
            }
            else if ((m = Regex.Match(option, @"^(\w+) length (\d+)$")).Success)
            {
                domain.Length(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }
            else if ((m = Regex.Match(option, @"^(\w+) = (-?\d+)$")).Success)
            {
                domain.Fix(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }
            else
            {
                Assert.Fail(page + " line " + line + ": option '" + option + "' is not one a generic example takes");
            }
        }

        var set = new GenericCaseSet("Line" + line.ToString(CultureInfo.InvariantCulture), new[] { new GenericCase(name, members, domain, Half: true) });
        GenericGradientChecker.Check(set, name, points: 3);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
