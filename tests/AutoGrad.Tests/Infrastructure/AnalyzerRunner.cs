using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// Runs the AutoGrad analyzers over a compilation. They are found by reflection in the AutoGrad.Analyzers
/// assembly (every concrete <see cref="DiagnosticAnalyzer"/> in it), so that this harness builds and runs
/// while the analyzer is still being written.
/// </summary>
internal static class AnalyzerRunner
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> LazyAnalyzers = new(() =>
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName("AutoGrad.Analyzers"));
        }
        catch (System.IO.FileNotFoundException)
        {
            return ImmutableArray<DiagnosticAnalyzer>.Empty;
        }

        return assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
    });

    /// <summary>
    /// The AutoGrad analyzers, found by reflection in the AutoGrad.Analyzers assembly.
    /// </summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => LazyAnalyzers.Value;

    /// <summary>The analyzers' diagnostics, and every exception an analyzer threw.</summary>
    public static (ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<Exception> Exceptions) Run(Compilation compilation)
    {
        if (Analyzers.IsEmpty) return (ImmutableArray<Diagnostic>.Empty, Array.Empty<Exception>());
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => exceptions.Enqueue(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, options);
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return (diagnostics, exceptions.ToArray());
    }
}
