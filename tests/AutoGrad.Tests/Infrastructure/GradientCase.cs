using System.Collections.Generic;
using System.Linq;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// One <c>[Differentiable]</c> method to check: its declaration and where to sample it. Tests keep a list of
/// these, compile them together through a <see cref="CaseSet"/>, and check each in a Theory.
/// </summary>
internal sealed record GradientCase(string Name, string Member, Domain Domain, double? Tolerance = null, double? Step = null)
{
    /// <summary>A <c>public static double Name(parameters)</c> with a block body.</summary>
    public static GradientCase Double(string name, string parameters, string body, Domain? domain = null) =>
        new(name, Declare("double", name, parameters, body), domain ?? new Domain());

    /// <summary>A <c>public static float Name(parameters)</c> with a block body.</summary>
    public static GradientCase Float(string name, string parameters, string body, Domain? domain = null) =>
        new(name, Declare("float", name, parameters, body), domain ?? new Domain());

    public static string Declare(string returnType, string name, string parameters, string body) =>
        "[Differentiable]\npublic static " + returnType + " " + name + "(" + parameters + ")\n{\n"
        + string.Join("\n", body.Trim('\n').Split('\n').Select(l => "    " + l.TrimEnd())) + "\n}";

    public static CaseSet ToCaseSet(string typeName, IEnumerable<GradientCase> cases) =>
        new(typeName, cases.ToDictionary(c => c.Name, c => c.Member));

    public static IEnumerable<object[]> Names(IEnumerable<GradientCase> cases) => cases.Select(c => new object[] { c.Name });
}
