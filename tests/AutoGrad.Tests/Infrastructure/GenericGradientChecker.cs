using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>What a parameter of a generic-math method is: a value of the type parameter, an array or span of them, or an int.</summary>
internal enum GenericParameterKind
{
    Scalar,
    Array,
    Integer,
}

/// <summary>One parameter of a <see cref="GenericCase"/>'s method, read from its declaration.</summary>
internal sealed record GenericParameter(string Name, GenericParameterKind Kind, bool NoGrad, int Slot)
{
    public bool Differentiable => !NoGrad && Kind != GenericParameterKind.Integer;
}

/// <summary>
/// One generic <c>[Differentiable]</c> method (<c>static T F&lt;T&gt;(…) where T : IFloatingPointIeee754&lt;T&gt;</c>),
/// written in full as a user writes it, and where to sample it. Its parameters are values of the type
/// parameter, arrays or spans of them, and ints (fixed in the domain).
/// </summary>
/// <param name="Half">Whether to check the <c>Half</c> instantiation too (against the double gradient, loosely).</param>
/// <param name="RelativeStep">Whether finite differences step in proportion to |x| (for points near a pole or a vertical tangent) rather than to max(1, |x|).</param>
internal sealed record GenericCase(string Name, string Member, GenericDomain Domain, bool Half = false, bool RelativeStep = false)
{
    /// <summary>The method's parameters, parsed from <see cref="Member"/>.</summary>
    public IReadOnlyList<GenericParameter> Parameters { get; } = Parse(Name, Member);

    public static IEnumerable<object[]> Names(IEnumerable<GenericCase> cases) => cases.Select(c => new object[] { c.Name });

    private static IReadOnlyList<GenericParameter> Parse(string name, string member)
    {
        var method = CSharpSyntaxTree.ParseText("class C {\n" + member + "\n}").GetRoot()
            .DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == name);
        string typeParameter = method.TypeParameterList?.Parameters.Single().Identifier.ValueText
            ?? throw new ArgumentException(name + " is not generic");
        var result = new List<GenericParameter>();
        int scalars = 0, arrays = 0, integers = 0;
        foreach (var parameter in method.ParameterList.Parameters)
        {
            bool noGrad = parameter.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString().EndsWith("NoGrad", StringComparison.Ordinal));
            string type = parameter.Type!.ToString().Replace(" ", string.Empty, StringComparison.Ordinal);
            var (kind, slot) = type == typeParameter ? (GenericParameterKind.Scalar, scalars++)
                : type == typeParameter + "[]" || type.EndsWith("Span<" + typeParameter + ">", StringComparison.Ordinal) ? (GenericParameterKind.Array, arrays++)
                : type == "int" ? (GenericParameterKind.Integer, integers++)
                : throw new ArgumentException("Unsupported parameter type " + type + " in " + name);
            result.Add(new GenericParameter(parameter.Identifier.ValueText, kind, noGrad, slot));
        }

        return result;
    }
}

/// <summary>Where to sample a <see cref="GenericCase"/>: a range per value (or array) by name, array lengths, ints, and a filter on the scalars.</summary>
internal sealed class GenericDomain
{
    private readonly Dictionary<string, (double Low, double High)> _ranges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lengths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _integers = new(StringComparer.Ordinal);
    private readonly List<Func<Dictionary<string, double>, bool>> _filters = new();
    private readonly (double Low, double High) _default;

    public GenericDomain(double low = -2, double high = 2) => _default = (low, high);

    public GenericDomain Range(string name, double low, double high)
    {
        _ranges[name] = (low, high);
        return this;
    }

    /// <summary>The length of array parameter <paramref name="name"/> (default 4).</summary>
    public GenericDomain Length(string name, int length)
    {
        _lengths[name] = length;
        return this;
    }

    /// <summary>The value of int parameter <paramref name="name"/>.</summary>
    public GenericDomain Fix(string name, int value)
    {
        _integers[name] = value;
        return this;
    }

    public GenericDomain Where(Func<Dictionary<string, double>, bool> accept)
    {
        _filters.Add(accept);
        return this;
    }

    /// <summary>A random point: the scalars, the arrays and the ints, each in slot order.</summary>
    public GenericPoint Sample(GenericCase gradientCase, Random random)
    {
        for (int attempt = 0; attempt < 10000; attempt++)
        {
            var scalars = new List<double>();
            var arrays = new List<double[]>();
            var integers = new List<int>();
            var named = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var parameter in gradientCase.Parameters)
            {
                var (low, high) = _ranges.TryGetValue(parameter.Name, out var range) ? range : _default;
                switch (parameter.Kind)
                {
                    case GenericParameterKind.Scalar:
                        double value = low + (random.NextDouble() * (high - low));
                        scalars.Add(value);
                        named[parameter.Name] = value;
                        break;
                    case GenericParameterKind.Array:
                        int length = _lengths.TryGetValue(parameter.Name, out var n) ? n : 4;
                        arrays.Add(Enumerable.Range(0, length).Select(_ => low + (random.NextDouble() * (high - low))).ToArray());
                        break;
                    default:
                        integers.Add(_integers.TryGetValue(parameter.Name, out var fixedValue)
                            ? fixedValue
                            : throw new InvalidOperationException("Give int parameter '" + parameter.Name + "' of " + gradientCase.Name + " a value with Fix"));
                        break;
                }
            }

            if (_filters.All(accept => accept(named))) return new GenericPoint(scalars.ToArray(), arrays.ToArray(), integers.ToArray());
        }

        throw new InvalidOperationException("Domain filter rejected 10000 points for " + gradientCase.Name);
    }
}

/// <summary>The arguments of a generic case, in double: its scalars, arrays and ints, each in slot order.</summary>
internal sealed record GenericPoint(double[] Scalars, double[][] Arrays, int[] Integers)
{
    /// <summary>The same point rounded to <paramref name="round"/> (to float or Half and back).</summary>
    public GenericPoint Rounded(Func<double, double> round) =>
        new(Scalars.Select(round).ToArray(), Arrays.Select(a => a.Select(round).ToArray()).ToArray(), Integers);

    public GenericPoint WithScalar(int slot, double value)
    {
        var scalars = (double[])Scalars.Clone();
        scalars[slot] = value;
        return this with { Scalars = scalars };
    }

    public GenericPoint WithElement(int slot, int index, double value)
    {
        var arrays = Arrays.Select(a => (double[])a.Clone()).ToArray();
        arrays[slot][index] = value;
        return this with { Arrays = arrays };
    }

    public override string ToString() =>
        "(" + string.Join(", ", Scalars.Select(Format.G).Concat(Arrays.Select(a => "[" + string.Join(", ", a.Select(Format.G)) + "]")).Concat(Integers.Select(i => i.ToString(CultureInfo.InvariantCulture)))) + ")";
}

/// <summary>
/// Generic cases compiled together, each with non-generic wrappers per instantiation (<c>double</c>, <c>float</c>,
/// <c>Half</c>) that take and return doubles: <c>Name__Primal__double(s, a, n)</c> calls <c>Name&lt;double&gt;</c>,
/// <c>Name__Backward__double(s, a, n, ds, da, seed)</c> calls the generated <c>NameBackward&lt;double&gt;</c>
/// (the overload without the seed when the seed is 1), so that reflection needs no spans or generic methods.
/// </summary>
internal sealed class GenericCaseSet
{
    public static readonly string[] Types = { "double", "float", "Half" };

    private readonly string _typeName;
    private readonly Lazy<LoadedProgram> _program;

    public GenericCaseSet(string typeName, IEnumerable<GenericCase> cases)
    {
        _typeName = typeName;
        Cases = cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _program = new Lazy<LoadedProgram>(() => TestCompiler.CompileAndLoad(Source()));
    }

    public IReadOnlyDictionary<string, GenericCase> Cases { get; }

    public LoadedProgram Program => _program.Value;

    /// <summary>The compiled program's source: the cases as written, then the wrappers.</summary>
    public string Source()
    {
        var builder = new StringBuilder();
        builder.AppendLine("using System;").AppendLine("using System.Numerics;").AppendLine("using AutoGrad;").AppendLine();
        builder.AppendLine("namespace " + CaseSet.Namespace).AppendLine("{");
        builder.AppendLine("public static partial class " + _typeName).AppendLine("{");
        foreach (var gradientCase in Cases.Values) builder.AppendLine(gradientCase.Member).AppendLine();
        builder.AppendLine("}").AppendLine();
        builder.AppendLine("public static class " + _typeName + "Wrappers").AppendLine("{");
        builder.AppendLine("    private static X[] In<X>(double[] values) where X : INumberBase<X> => Array.ConvertAll(values, v => X.CreateTruncating(v));");
        builder.AppendLine("    private static double[] Out<X>(X[] values) where X : INumberBase<X> => Array.ConvertAll(values, v => double.CreateTruncating(v));");
        foreach (var gradientCase in Cases.Values)
        {
            foreach (var type in Types) Wrappers(builder, gradientCase, type);
        }

        builder.AppendLine("}").AppendLine("}");
        return builder.ToString();
    }

    private void Wrappers(StringBuilder builder, GenericCase gradientCase, string type)
    {
        var parameters = gradientCase.Parameters;
        var inputs = parameters.Select(p => p.Kind switch
        {
            GenericParameterKind.Scalar => type + ".CreateTruncating(s[" + p.Slot + "])",
            GenericParameterKind.Array => "a" + p.Slot,
            _ => "n[" + p.Slot + "]",
        }).ToList();
        string arrays = string.Concat(parameters.Where(p => p.Kind == GenericParameterKind.Array)
            .Select(p => "        var a" + p.Slot + " = In<" + type + ">(a[" + p.Slot + "]);\n"));
        string call = _typeName + "." + gradientCase.Name;

        builder.AppendLine("    public static double " + gradientCase.Name + "__Primal__" + type + "(double[] s, double[][] a, int[] n)").AppendLine("    {");
        builder.Append(arrays);
        builder.AppendLine("        return double.CreateTruncating(" + call + "<" + type + ">(" + string.Join(", ", inputs) + "));").AppendLine("    }");

        var gradients = parameters.Where(p => p.Differentiable).Select(p => p.Kind == GenericParameterKind.Scalar
            ? "out dS" + p.Slot
            : "dA" + p.Slot).ToList();
        builder.AppendLine("    public static double " + gradientCase.Name + "__Backward__" + type + "(double[] s, double[][] a, int[] n, double[] ds, double[][] da, double seed)").AppendLine("    {");
        builder.Append(arrays);
        foreach (var p in parameters.Where(p => p.Differentiable))
        {
            builder.AppendLine(p.Kind == GenericParameterKind.Array
                ? "        var dA" + p.Slot + " = new " + type + "[a" + p.Slot + ".Length];"
                : "        " + type + " dS" + p.Slot + ";");
        }

        string arguments = string.Join(", ", inputs.Concat(gradients));
        builder.AppendLine("        " + type + " result = seed == 1.0");
        builder.AppendLine("            ? " + call + "Backward<" + type + ">(" + arguments + ")");
        builder.AppendLine("            : " + call + "Backward<" + type + ">(" + arguments + ", " + type + ".CreateTruncating(seed));");
        foreach (var p in parameters.Where(p => p.Differentiable))
        {
            builder.AppendLine(p.Kind == GenericParameterKind.Scalar
                ? "        ds[" + p.Slot + "] = double.CreateTruncating(dS" + p.Slot + ");"
                : "        da[" + p.Slot + "] = Out(dA" + p.Slot + ");");
        }

        builder.AppendLine("        return double.CreateTruncating(result);").AppendLine("    }");
    }

    /// <summary>The case's primal and Backward wrappers for instantiation <paramref name="type"/>.</summary>
    public (Func<GenericPoint, double> Primal, Func<GenericPoint, double, (double Value, double[] Scalars, double[][] Arrays)> Backward) Get(string name, string type)
    {
        var wrappers = Program.GetType(CaseSet.Namespace + "." + _typeName + "Wrappers");
        var primal = wrappers.GetMethod(name + "__Primal__" + type)!;
        var backward = wrappers.GetMethod(name + "__Backward__" + type)!;
        var gradientCase = Cases[name];
        return (
            point => (double)primal.Invoke(null, new object[] { point.Scalars, point.Arrays, point.Integers })!,
            (point, seed) =>
            {
                var ds = new double[point.Scalars.Length];
                var da = new double[point.Arrays.Length][];
                var value = (double)backward.Invoke(null, new object[] { point.Scalars, point.Arrays, point.Integers, ds, da, seed })!;
                return (value, ds, da);
            });
    }

    /// <summary>The generated source of the program, for failure messages.</summary>
    public string Describe(string name) => Program.Run.Describe(Program.Sources, name);
}

/// <summary>
/// Checks a generic case: the <c>double</c> instantiation against central finite differences (relative 1e-6),
/// the <c>float</c> one against finite differences in float (relative 2e-2), and the <c>Half</c> one (when the case
/// asks) against the double gradient at the same Half-rounded point (relative 5e-2). Each also checks the
/// returned value and that the seed scales every gradient.
/// </summary>
internal static class GenericGradientChecker
{
    public const double HalfTolerance = 5e-2;

    public static void Check(GenericCaseSet set, string name, int points = 4, int randomSeed = 20261202)
    {
        var gradientCase = set.Cases[name];
        var random = new Random(randomSeed);
        var failures = new StringBuilder();
        for (int i = 0; i < points; i++)
        {
            var point = gradientCase.Domain.Sample(gradientCase, random);
            CheckAgainstDifferences(set, gradientCase, "double", point, GradientChecker.DoubleTolerance, 1e-8, failures);
            CheckAgainstDifferences(set, gradientCase, "float", point.Rounded(v => (float)v), GradientChecker.FloatTolerance, 1e-3, failures);
            if (gradientCase.Half) CheckHalf(set, gradientCase, point, failures);
        }

        if (failures.Length > 0) Assert.Fail(failures + set.Describe(name));
    }

    private static void CheckAgainstDifferences(GenericCaseSet set, GenericCase gradientCase, string type, GenericPoint point, double tolerance, double absolute, StringBuilder failures)
    {
        var (primal, backward) = set.Get(gradientCase.Name, type);
        bool single = type == "float";
        double value = primal(point);
        var (returned, scalars, arrays) = backward(point, 1.0);
        var scaled = backward(point, 2.5);
        var lines = new StringBuilder();
        if (!(GradientCheck.RelativeError(returned, value) <= (single ? 1e-6 : 1e-12)))
        {
            lines.AppendLine("  primal: Backward returned " + Format.G(returned) + ", the method returns " + Format.G(value));
        }

        double Round(double v) => single ? (float)v : v;
        double Difference(GenericPoint plus, GenericPoint minus, double step) => (primal(plus) - primal(minus)) / step;
        double absoluteTolerance = absolute * Math.Max(1.0, Math.Abs(value));

        void Compare(string what, double analytic, double scaledAnalytic, double x, Func<double, GenericPoint> at)
        {
            double h = (single ? 1e-2 : 1e-5) * (gradientCase.RelativeStep ? Math.Abs(x) : Math.Max(1.0, Math.Abs(x)));
            double up = Round(x + h), down = Round(x - h);
            double numeric = Difference(at(up), at(down), up - down);
            bool ok = double.IsFinite(analytic) && (GradientCheck.RelativeError(analytic, numeric) < tolerance || Math.Abs(analytic - numeric) < absoluteTolerance);
            bool seedOk = GradientCheck.RelativeError(scaledAnalytic, 2.5 * analytic) <= (single ? 1e-5 : 1e-12);
            if (!ok || !seedOk)
            {
                lines.AppendLine("  " + what + ": analytic " + Format.G(analytic) + ", numeric " + Format.G(numeric)
                    + (seedOk ? string.Empty : ", with seed 2.5 " + Format.G(scaledAnalytic)));
            }
        }

        foreach (var p in gradientCase.Parameters.Where(p => p.Differentiable))
        {
            if (p.Kind == GenericParameterKind.Scalar)
            {
                Compare("d" + p.Name, scalars[p.Slot], scaled.Scalars[p.Slot], point.Scalars[p.Slot], v => point.WithScalar(p.Slot, v));
                continue;
            }

            for (int j = 0; j < point.Arrays[p.Slot].Length; j++)
            {
                int index = j;
                Compare("d" + p.Name + "[" + j + "]", arrays[p.Slot][j], scaled.Arrays[p.Slot][j], point.Arrays[p.Slot][j], v => point.WithElement(p.Slot, index, v));
            }
        }

        if (lines.Length > 0) failures.AppendLine(gradientCase.Name + "<" + type + "> at " + point + ":").Append(lines);
    }

    /// <summary>The Half instantiation against the double gradient at the same (Half-representable) point.</summary>
    private static void CheckHalf(GenericCaseSet set, GenericCase gradientCase, GenericPoint point, StringBuilder failures)
    {
        var rounded = point.Rounded(v => (double)(Half)v);
        var (_, exact) = set.Get(gradientCase.Name, "double");
        var (_, half) = set.Get(gradientCase.Name, "Half");
        var reference = exact(rounded, 1.0);
        var actual = half(rounded, 1.0);
        var lines = new StringBuilder();
        void Compare(string what, double expected, double got)
        {
            if (!(GradientCheck.RelativeError(got, expected) < HalfTolerance || Math.Abs(got - expected) < 1e-2 * Math.Max(1.0, Math.Abs(reference.Value))))
            {
                lines.AppendLine("  " + what + ": Half " + Format.G(got) + ", double " + Format.G(expected));
            }
        }

        Compare("value", reference.Value, actual.Value);
        foreach (var p in gradientCase.Parameters.Where(p => p.Differentiable))
        {
            if (p.Kind == GenericParameterKind.Scalar)
            {
                Compare("d" + p.Name, reference.Scalars[p.Slot], actual.Scalars[p.Slot]);
                continue;
            }

            for (int j = 0; j < reference.Arrays[p.Slot].Length; j++) Compare("d" + p.Name + "[" + j + "]", reference.Arrays[p.Slot][j], actual.Arrays[p.Slot][j]);
        }

        if (lines.Length > 0) failures.AppendLine(gradientCase.Name + "<Half> at " + rounded + ":").Append(lines);
    }
}
