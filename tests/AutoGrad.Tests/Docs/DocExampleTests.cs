using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AutoGrad.Tests.Docs;

/// <summary>
/// Keeps the user documentation honest: every C# example in the pages below is compiled through the real
/// generator and analyzers. A fenced <c>csharp</c> block is checked according to the HTML comment on the line
/// before it:
/// <list type="bullet">
/// <item><c>&lt;!-- check --&gt;</c>: members (or partial types holding them) that must compile without any
/// warning; every <c>[Differentiable]</c> method in them is checked against central finite differences, with
/// its seed scaling, gradient buffers that are added into and their length check. Bare members go into
/// <c>public static partial class Examples</c>. Optional items after a colon set where to sample:
/// <c>x in 0.1..2</c>, <c>n = 3</c>, <c>w length 6</c>, <c>labels = [0, 2, 1]</c> (per parameter name), or
/// <c>not finite differences</c> (see <see cref="SignatureOnly"/>); for matrix and jagged parameters <c>W shape 3x4</c>
/// and <c>J rows [2, 3, 1]</c> (see <c>DocExampleTests.Matrices.cs</c>).</item>
/// <item><c>&lt;!-- check: run --&gt;</c>: statements, compiled with the page's other examples and run; they
/// must not throw.</item>
/// <item><c>&lt;!-- check: AG0010 --&gt;</c> (one or more IDs): the block compiles as C#, and the analyzers
/// report exactly these AutoGrad diagnostics.</item>
/// </list>
/// A block with <c>[Differentiable]</c> in it and no marker fails the test: an example the reader may copy is
/// never unchecked.
/// </summary>
public partial class DocExampleTests
{
    public static readonly string[] Pages =
    {
        "docs/getting-started.md",
        "docs/language.md",
        "docs/calls-and-custom-derivatives.md",
    };

    private const string Usings = "using System;\nusing System.Numerics;\nusing AutoGrad;\n\n";
    private const string Namespace = "DocExamples";
    private const string DefaultType = "Examples";

    /// <summary>
    /// The option for an example whose gradient is meant to differ from finite differences (it uses
    /// <c>Diff.StopGradient</c>): its Backward's signature is checked, and a run block checks its values.
    /// </summary>
    private const string SignatureOnly = "not finite differences";

    private static readonly ConcurrentDictionary<string, Lazy<LoadedProgram>> Programs = new(StringComparer.Ordinal);

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in Pages)
        {
            foreach (var block in Blocks(page))
            {
                data.Add(page, block.Id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example(string page, string id)
    {
        var block = Blocks(page).Single(b => b.Id == id);
        switch (block.Kind)
        {
            case BlockKind.Unmarked:
                Assert.Fail(page + " line " + block.Line + ": a csharp block with [Differentiable] needs a '<!-- check -->' (or '<!-- check: AGnnnn -->') comment on the line before it, so that the test checks it");
                break;
            case BlockKind.Gradient:
                CheckGradients(page, block);
                break;
            case BlockKind.Run:
                Run(page, block);
                break;
            case BlockKind.Diagnostics:
                CheckDiagnostics(page, block);
                break;
        }
    }

    [Fact]
    public void EveryPageHasCheckedExamples()
    {
        foreach (var page in Pages)
        {
            Assert.True(File.Exists(Path.Combine(RepositoryRoot(), page)), page + " is missing");
            Assert.Contains(Blocks(page), b => b.Kind == BlockKind.Gradient);
        }
    }

    /// <summary>The marker parser itself: a wrong marker must not silently check nothing.</summary>
    [Fact]
    public void MarkersAreRead()
    {
        var blocks = Parse("x.md", "<!-- check: x in 0.5..2, n = 3, labels = [0, 2] -->\n```csharp\n[Differentiable]\n```\n\n<!-- check: AG0010, AG0016 -->\n```csharp\nint a;\n```\n```csharp\n[Differentiable]\n```\n```csharp\nint b;\n```\n");
        Assert.Equal(new[] { BlockKind.Gradient, BlockKind.Diagnostics, BlockKind.Unmarked }, blocks.Select(b => b.Kind));
        Assert.Equal(new[] { "x in 0.5..2", "n = 3", "labels = [0, 2]" }, blocks[0].Options);
        Assert.Equal(new[] { "AG0010", "AG0016" }, blocks[1].Options);
    }

    private static void CheckGradients(string page, Block block)
    {
        var program = Program(page);
        var methods = DifferentiableMethods(block);
        Assert.True(methods.Count > 0, page + " line " + block.Line + ": a '<!-- check -->' block without a [Differentiable] method; use '<!-- check: run -->' for statements");
        foreach (var (type, method) in methods)
        {
            if (method.TypeParameterList is not null)
            {
                GenericDocExamples.Check(page, block.Line, block.Options, method.Identifier.ValueText, WithoutUsings(block.Code));
                continue;
            }

            if (TakesStructs(method))
            {
                var structType = program.GetType(Namespace + "." + type);
                StructCaseSet.Check(structType, new StructCase(method.Identifier.ValueText, string.Empty), () => page + " line " + block.Line + "\n" + program.Run.Describe(program.Sources, method.Identifier.ValueText), points: 3);
                continue;
            }

            if (CheckMatrixGradients(page, block, program, type, method)) continue;

            var domain = Domain(block);
            var @case = new ArrayCase(method.Identifier.ValueText, method.ReturnType.ToString(), method.ParameterList.Parameters.ToFullString(), string.Empty, domain);
            var loaded = program.GetType(Namespace + "." + type);
            var arrayMethod = new ArrayMethod(@case, loaded, () => page + " line " + block.Line + "\n" + program.Run.Describe(program.Sources, @case.Name));
            if (!block.Options.Contains(SignatureOnly)) ArrayGradientChecker.Check(arrayMethod, points: 3);
        }
    }

    private static void Run(string page, Block block)
    {
        var program = Program(page);
        var run = program.GetType(Namespace + ".Runs").GetMethod(RunName(block), BindingFlags.Public | BindingFlags.Static)!;
        try
        {
            run.Invoke(null, null);
        }
        catch (TargetInvocationException e)
        {
            Assert.Fail(page + " line " + block.Line + ": the example threw " + e.InnerException);
        }
    }

    private static void CheckDiagnostics(string page, Block block)
    {
        string source = Usings + "namespace " + Namespace + "\n{\n" + Declarations(block) + "\n}\n";
        var compilation = TestCompiler.CreateCompilation(source);
        var compilerErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(compilerErrors.Count == 0, page + " line " + block.Line + ": the example is not valid C#:\n" + string.Join("\n", compilerErrors) + "\n" + TestCompiler.WithLineNumbers(source));
        var (diagnostics, exceptions) = AnalyzerRunner.Run(compilation);
        Assert.Empty(exceptions);
        var reported = diagnostics.Where(d => d.Id.StartsWith("AG", StringComparison.Ordinal)).Select(d => d.Id).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToList();
        var expected = block.Options.OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.True(
            expected.SequenceEqual(reported),
            page + " line " + block.Line + ": the page says " + string.Join(", ", expected) + "; the analyzers report "
            + (reported.Count == 0 ? "nothing" : string.Join(", ", reported)) + ":\n" + string.Join("\n", diagnostics) + "\n" + TestCompiler.WithLineNumbers(source));
    }

    /// <summary>One compilation per page: its gradient examples, their wrappers, and its run blocks as methods.</summary>
    private static LoadedProgram Program(string page) => Programs.GetOrAdd(page, p => new Lazy<LoadedProgram>(() =>
    {
        var blocks = Blocks(p);
        var source = new StringBuilder(Usings).Append("namespace ").Append(Namespace).AppendLine().AppendLine("{");
        var wrappers = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        foreach (var block in blocks.Where(b => b.Kind == BlockKind.Gradient))
        {
            source.AppendLine(Declarations(block));
            foreach (var (type, method) in DifferentiableMethods(block).Where(m => !TakesStructs(m.Method) && m.Method.TypeParameterList is null))
            {
                if (!wrappers.TryGetValue(type, out var members)) wrappers[type] = members = new StringBuilder();
                if (MatrixCaseOf(method, block) is { } matrixCase)
                {
                    members.AppendLine(matrixCase.Wrapper());
                    continue;
                }

                var @case = new ArrayCase(method.Identifier.ValueText, method.ReturnType.ToString(), method.ParameterList.Parameters.ToFullString(), string.Empty, new ArrayDomain());
                members.AppendLine(@case.Wrappers());
            }
        }

        foreach (var (type, members) in wrappers)
        {
            source.Append("public static partial class ").AppendLine(type).AppendLine("{").Append(members).AppendLine("}");
        }

        source.AppendLine("public static class Runs").AppendLine("{");
        foreach (var block in blocks.Where(b => b.Kind == BlockKind.Run))
        {
            source.Append("public static void ").Append(RunName(block)).AppendLine("()").AppendLine("{").AppendLine(block.Code).AppendLine("}");
        }

        source.AppendLine("}").AppendLine("}");
        return TestCompiler.CompileAndLoad(source.ToString());
    })).Value;

    /// <summary>Whether a parameter has a named type (a struct parameter): checked by <see cref="StructCaseSet"/>, which needs no wrapper.</summary>
    private static bool TakesStructs(MethodDeclarationSyntax method) =>
        method.ParameterList.Parameters.Any(p => p.Type is IdentifierNameSyntax or QualifiedNameSyntax);

    private static string RunName(Block block) => "Line" + block.Line.ToString(CultureInfo.InvariantCulture);

    /// <summary>The block's types as written, or its members inside <c>public static partial class Examples</c>.</summary>
    private static string Declarations(Block block)
    {
        string code = WithoutUsings(block.Code);
        return DeclaresTypes(code) ? code : "public static partial class " + DefaultType + "\n{\n" + code + "\n}";
    }

    private static string WithoutUsings(string code) =>
        string.Join("\n", code.Split('\n').Where(l => !Regex.IsMatch(l, @"^using [\w.]+;\s*$")));

    private static bool DeclaresTypes(string code)
    {
        var unit = SyntaxFactory.ParseCompilationUnit(code);
        return unit.Members.Count > 0 && unit.Members.All(m => m is BaseTypeDeclarationSyntax);
    }

    /// <summary>The [Differentiable] methods a block declares, with the simple name of the type they end up in.</summary>
    private static List<(string Type, MethodDeclarationSyntax Method)> DifferentiableMethods(Block block)
    {
        var unit = SyntaxFactory.ParseCompilationUnit(Declarations(block));
        var result = new List<(string, MethodDeclarationSyntax)>();
        foreach (var method in unit.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (!method.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() is "Differentiable" or "DifferentiableAttribute")) continue;
            Assert.True(method.Parent is TypeDeclarationSyntax { Parent: CompilationUnitSyntax }, "Block at line " + block.Line + ": [Differentiable] " + method.Identifier + " must be in a top-level type for the test to find it");
            Assert.True(method.Modifiers.Any(SyntaxKind.PublicKeyword), "Block at line " + block.Line + ": make " + method.Identifier + " public so that the test can call it");
            result.Add((((TypeDeclarationSyntax)method.Parent!).Identifier.ValueText, method));
        }

        return result;
    }

    private static ArrayDomain Domain(Block block)
    {
        var domain = new ArrayDomain();
        foreach (var option in block.Options)
        {
            if (option == SignatureOnly) continue;
            Match m;
            if ((m = Regex.Match(option, @"^(\w+) in (-?[\d.]+)\.\.(-?[\d.]+)$")).Success)
            {
                domain.Range(m.Groups[1].Value, Number(m.Groups[2].Value), Number(m.Groups[3].Value));
            }
            else if ((m = Regex.Match(option, @"^(\w+) length (\d+)$")).Success)
            {
                domain.Length(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }
            else if ((m = Regex.Match(option, @"^(\w+) = \[(.*)\]$")).Success)
            {
                domain.Fix(m.Groups[1].Value, m.Groups[2].Value.Split(',').Select(v => Number(v.Trim())).ToArray());
            }
            else if ((m = Regex.Match(option, @"^(\w+) = (-?[\d.]+)$")).Success)
            {
                domain.Fix(m.Groups[1].Value, Number(m.Groups[2].Value));
            }
            else
            {
                Assert.Fail("Block at line " + block.Line + ": cannot read the option '" + option + "'");
            }
        }

        return domain;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private enum BlockKind
    {
        Unmarked,
        Gradient,
        Run,
        Diagnostics,
    }

    private sealed record Block(int Line, BlockKind Kind, IReadOnlyList<string> Options, string Code)
    {
        public string Id => "line " + Line.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The page's csharp blocks that are marked, or that hold [Differentiable] (to fail when unmarked).</summary>
    private static List<Block> Blocks(string page) =>
        Parse(page, File.ReadAllText(Path.Combine(RepositoryRoot(), page)));

    private static List<Block> Parse(string page, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<Block>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            string code = string.Join("\n", lines[start..end]);
            var marker = i > 0 ? Regex.Match(lines[i - 1].Trim(), @"^<!-- check(?::\s*(.*?))?\s*-->$") : Match.Empty;
            BlockKind kind;
            IReadOnlyList<string> options = Array.Empty<string>();
            if (marker.Success)
            {
                var items = Regex.Split(marker.Groups[1].Value, @",(?![^\[]*\])").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
                if (items.Count == 1 && items[0] == "run") kind = BlockKind.Run;
                else if (items.Count > 0 && items.All(s => Regex.IsMatch(s, @"^AG\d{4}$"))) { kind = BlockKind.Diagnostics; options = items; }
                else { kind = BlockKind.Gradient; options = items; }
            }
            else if (code.Contains("[Differentiable]", StringComparison.Ordinal))
            {
                kind = BlockKind.Unmarked;
            }
            else
            {
                i = end;
                continue;
            }

            blocks.Add(new Block(start, kind, options, code));
            i = end;
        }

        return blocks;
    }

    internal static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
