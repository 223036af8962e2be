using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static AutoGrad.Tests.Infrastructure.MatrixSample;

namespace AutoGrad.Tests.Docs;

/// <summary>
/// Examples with matrix (<c>double[,]</c>) or jagged (<c>double[][]</c>) parameters, checked through
/// <see cref="MatrixGradientChecker"/>. Options: <c>W shape 3x4</c>, <c>J rows [2, 3, 1]</c>, <c>x length 4</c>,
/// <c>b in 0.5..2</c>, <c>n = 3</c>; matrices default to 3×4, jagged arrays to rows of 3, 2 and 4, arrays to 4 elements.
/// </summary>
public partial class DocExampleTests
{
    /// <summary>Checks <paramref name="method"/> when it takes a matrix or jagged array; false for any other method.</summary>
    private static bool CheckMatrixGradients(string page, Block block, LoadedProgram program, string type, MethodDeclarationSyntax method)
    {
        if (MatrixCaseOf(method, block) is not { } @case) return false;
        if (block.Options.Contains(SignatureOnly)) return true;
        var loaded = program.GetType(Namespace + "." + type);
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
        MatrixGradientChecker.Check(
            @case,
            loaded.GetMethod(@case.Name, Flags)!,
            loaded.GetMethod(@case.Name + "__Backward", Flags)!,
            () => page + " line " + block.Line + "\n" + program.Run.Describe(program.Sources, @case.Name));
        return true;
    }

    /// <summary>The method as a <see cref="MatrixCase"/> sampled as the block's options say, or null when it takes no matrix or jagged array.</summary>
    private static MatrixCase? MatrixCaseOf(MethodDeclarationSyntax method, Block block)
    {
        var types = method.ParameterList.Parameters.Select(p => p.Type!.ToString()).ToList();
        if (!types.Any(t => t.EndsWith("[,]", StringComparison.Ordinal) || t.EndsWith("[][]", StringComparison.Ordinal))) return null;
        var probe = new MatrixCase(method.Identifier.ValueText, method.ReturnType.ToString(), method.ParameterList.Parameters.ToFullString(), string.Empty, _ => Array.Empty<object>());
        var parameters = probe.Parameters;
        return probe with
        {
            Sample = random => parameters.Select((p, i) => SampleOne(p.Name, types[i], block, random)).ToArray(),
        };
    }

    private static object SampleOne(string name, string type, Block block, Random random)
    {
        string Option(string pattern) => block.Options.Select(o => Regex.Match(o, "^" + Regex.Escape(name) + " " + pattern + "$")).FirstOrDefault(m => m.Success)?.Value ?? string.Empty;
        int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
        double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        bool isFloat = type.StartsWith("float", StringComparison.Ordinal);
        var range = Regex.Match(Option(@"in (-?[\d.]+)\.\.(-?[\d.]+)"), @"in (-?[\d.]+)\.\.(-?[\d.]+)");
        double low = range.Success ? Number(range.Groups[1].Value) : -2, high = range.Success ? Number(range.Groups[2].Value) : 2;
        if (type.EndsWith("[,]", StringComparison.Ordinal))
        {
            var shape = Regex.Match(Option(@"shape (\d+)x(\d+)"), @"(\d+)x(\d+)");
            int rows = shape.Success ? Int(shape.Groups[1].Value) : 3, columns = shape.Success ? Int(shape.Groups[2].Value) : 4;
            return isFloat ? MatrixF(random, rows, columns, low, high) : Matrix(random, rows, columns, low, high);
        }

        if (type.EndsWith("[][]", StringComparison.Ordinal))
        {
            var spec = Regex.Match(Option(@"rows \[(.*)\]"), @"\[(.*)\]");
            var lengths = spec.Success ? spec.Groups[1].Value.Split(',').Select(v => Int(v.Trim())).ToArray() : new[] { 3, 2, 4 };
            return isFloat ? JaggedF(random, lengths) : Jagged(random, lengths);
        }

        var fixedValue = Regex.Match(Option(@"= (-?[\d.]+)"), @"= (-?[\d.]+)");
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            var length = Regex.Match(Option(@"length (\d+)"), @"(\d+)");
            int n = length.Success ? Int(length.Groups[1].Value) : 4;
            return isFloat ? VectorF(random, n, low, high) : Vector(random, n, low, high);
        }

        return type switch
        {
            "int" => fixedValue.Success ? Int(fixedValue.Groups[1].Value) : 2,
            "float" => fixedValue.Success ? (float)Number(fixedValue.Groups[1].Value) : (float)Scalar(random, low, high),
            _ => fixedValue.Success ? Number(fixedValue.Groups[1].Value) : Scalar(random, low, high),
        };
    }
}
