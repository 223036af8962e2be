using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using AutoGrad.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// Builds in-memory compilations the way a user's project would be built (latest C#, nullable enabled,
/// warnings as errors) and runs the real <see cref="DifferentiableGenerator"/> over them.
/// </summary>
internal static class TestCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
        Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
            .ToImmutableArray());

    /// <summary>The .NET 10 reference assemblies plus the AutoGrad runtime library; built once per process.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        generalDiagnosticOption: ReportDiagnostic.Error,
        deterministic: true)
        // As the .NET SDK does: the AutoGrad runtime targets net8.0 and is unified with the net10.0 references.
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    /// <summary>A compilation of <paramref name="sources"/>, the i-th in a file named <c>Source{i}.cs</c>.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, CSharpParseOptions? parseOptions = null, string? assemblyName = null)
    {
        var options = parseOptions ?? ParseOptions;
        var trees = sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, options, path: "Source" + i + ".cs")).ToArray();
        return CSharpCompilation.Create(
            assemblyName ?? "AutoGradTestInput_" + Guid.NewGuid().ToString("N"),
            trees,
            References,
            CompilationOptions);
    }

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation((IEnumerable<string>)sources);

    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackSteps));

    /// <summary>Runs the generator once over <paramref name="compilation"/>; asserts nothing.</summary>
    public static GeneratorRun Run(Compilation compilation, bool trackSteps = false)
    {
        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? ParseOptions;
        var driver = CreateDriver(parseOptions, trackSteps);
        return Run(driver, compilation);
    }

    /// <summary>Runs <paramref name="driver"/> (which may hold state from an earlier run) over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        return new GeneratorRun(compilation, driver, driver.GetRunResult(), output, driverDiagnostics);
    }

    /// <summary>
    /// Compiles the sources, runs the generator, and asserts that the generator did not throw and that the
    /// generator and the resulting compilation report no warning or error.
    /// </summary>
    public static GeneratorRun RunClean(IEnumerable<string> sources, CSharpParseOptions? parseOptions = null)
    {
        var list = sources.ToList();
        var run = Run(CreateCompilation(list, parseOptions));
        run.AssertClean(list);
        return run;
    }

    /// <summary>Compiles, generates, asserts clean, emits and loads the result into a collectible context.</summary>
    public static LoadedProgram CompileAndLoad(params string[] sources) => CompileAndLoad((IEnumerable<string>)sources);

    public static LoadedProgram CompileAndLoad(IEnumerable<string> sources, CSharpParseOptions? parseOptions = null)
    {
        var list = sources.ToList();
        var run = RunClean(list, parseOptions);
        return LoadedProgram.Load(run, list);
    }

    /// <summary>Numbers the lines of <paramref name="text"/>, for failure messages.</summary>
    public static string WithLineNumbers(string text)
    {
        var builder = new StringBuilder();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            builder.Append((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(4)).Append("| ").AppendLine(lines[i]);
        }

        return builder.ToString();
    }
}

/// <summary>One generator run: its input and output compilations, generated files and diagnostics.</summary>
internal sealed class GeneratorRun
{
    public GeneratorRun(Compilation input, GeneratorDriver driver, GeneratorDriverRunResult result, Compilation output, ImmutableArray<Diagnostic> driverDiagnostics)
    {
        Input = input;
        Driver = driver;
        Result = result;
        Output = output;
        DriverDiagnostics = driverDiagnostics;
    }

    public Compilation Input { get; }

    public GeneratorDriver Driver { get; }

    public GeneratorDriverRunResult Result { get; }

    public Compilation Output { get; }

    /// <summary>Diagnostics from the driver (CS8784/CS8785 when a generator fails, and any the generator reports).</summary>
    public ImmutableArray<Diagnostic> DriverDiagnostics { get; }

    public ImmutableArray<GeneratedSourceResult> GeneratedSources =>
        Result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray();

    /// <summary>Every warning and error of the output compilation (user code plus generated code).</summary>
    public ImmutableArray<Diagnostic> OutputDiagnostics =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    public IEnumerable<Exception> Exceptions => Result.Results.Select(r => r.Exception).OfType<Exception>();

    /// <summary>The generated text, keyed by hint name.</summary>
    public IReadOnlyDictionary<string, string> GeneratedText =>
        GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>The generated text of method <paramref name="methodName"/>'s Backward (its hint name is <c>Type.Method_parameters</c>).</summary>
    public string GeneratedFor(string methodName) =>
        GeneratedSources.Single(s => s.HintName.Contains("." + methodName + "_", StringComparison.Ordinal)).SourceText.ToString();

    /// <summary>The generated files whose hint name mentions <paramref name="methodName"/> (all files when null or none match).</summary>
    public string DescribeGenerated(string? methodName = null)
    {
        var sources = GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
        if (methodName is not null)
        {
            var matching = sources.Where(s => s.HintName.Contains("." + methodName + "_", StringComparison.Ordinal)
                || s.HintName.EndsWith("." + methodName + ".g.cs", StringComparison.Ordinal)).ToList();
            if (matching.Count > 0) sources = matching;
        }

        if (sources.Count == 0) return "(the generator produced no source)\n";
        var builder = new StringBuilder();
        foreach (var source in sources)
        {
            builder.Append("---- generated: ").Append(source.HintName).AppendLine(" ----");
            builder.Append(TestCompiler.WithLineNumbers(source.SourceText.ToString()));
        }

        return builder.ToString();
    }

    /// <summary>Fails (with the sources, the generated code and every diagnostic) unless the run is clean.</summary>
    public void AssertClean(IReadOnlyList<string> sources)
    {
        var problems = new StringBuilder();
        foreach (var exception in Exceptions)
        {
            problems.Append("Generator exception: ").AppendLine(exception.ToString());
        }

        foreach (var diagnostic in DriverDiagnostics)
        {
            problems.Append("Generator diagnostic: ").AppendLine(diagnostic.ToString());
        }

        foreach (var diagnostic in OutputDiagnostics)
        {
            problems.Append("Compilation diagnostic: ").AppendLine(diagnostic.ToString());
        }

        if (problems.Length == 0) return;
        Assert.Fail(problems + Describe(sources));
    }

    public string Describe(IReadOnlyList<string> sources, string? methodName = null)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < sources.Count; i++)
        {
            builder.Append("---- input: Source").Append(i).AppendLine(".cs ----");
            builder.Append(TestCompiler.WithLineNumbers(sources[i]));
        }

        builder.Append(DescribeGenerated(methodName));
        return builder.ToString();
    }
}
