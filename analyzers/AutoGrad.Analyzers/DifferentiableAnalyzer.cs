using System;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoGrad.Analyzers
{
    /// <summary>
    /// Reports every diagnostic of AutoGrad.Gen for <c>[Differentiable]</c> methods. The checks themselves
    /// live in <see cref="MethodParser"/>, shared with the generator, so that what the analyzer accepts is
    /// exactly what the generator differentiates.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var attribute = context.Compilation.GetTypeByMetadataName(MethodParser.DifferentiableAttributeName);
            if (attribute is null) return;

            // Custom derivatives: a mismatch is reported on its attribute, one never used at the end.
            var registry = DerivativeRegistry.For(context.Compilation);
            var used = new System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
            context.RegisterSymbolAction(c => ReportDerivativeProblems(c, registry), SymbolKind.Method);
            context.RegisterCompilationEndAction(c => ReportUnusedDerivatives(c, registry, used));

            context.RegisterSyntaxNodeAction(
                c => AnalyzeMethod(c, attribute, used),
                SyntaxKind.MethodDeclaration);
            context.RegisterSyntaxNodeAction(
                c => AnalyzeLocalFunction(c, attribute),
                SyntaxKind.LocalFunctionStatement);
        }

        private static void ReportDerivativeProblems(SymbolAnalysisContext context, DerivativeRegistry registry)
        {
            foreach (var problem in registry.Problems)
            {
                if (!SymbolEqualityComparer.Default.Equals(problem.Derivative, context.Symbol)) continue;
                var location = problem.Attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation()
                    ?? problem.Derivative.Locations.FirstOrDefault() ?? Location.None;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidDerivative, location, problem.Message));
            }
        }

        private static void ReportUnusedDerivatives(
            CompilationAnalysisContext context,
            DerivativeRegistry registry,
            System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool> used)
        {
            foreach (var (derivative, target) in registry.Declared)
            {
                if (used.ContainsKey(derivative)) continue;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnusedDerivative,
                    derivative.Locations.FirstOrDefault() ?? Location.None,
                    derivative.Name,
                    target.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
            }
        }

        private static void AnalyzeMethod(
            SyntaxNodeAnalysisContext context,
            INamedTypeSymbol attribute,
            System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool> used)
        {
            var syntax = (MethodDeclarationSyntax)context.Node;

            // Cheap syntactic filter; a partial method may carry the attribute on its other half only.
            if (syntax.AttributeLists.Count == 0 && !syntax.Modifiers.Any(SyntaxKind.PartialKeyword)) return;
            try
            {
                if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not { } method
                    || !HasAttribute(method, attribute))
                {
                    return;
                }

                // The declaring half of a partial method: its implementing half carries the same attributes
                // and is analyzed on its own.
                if (method.PartialImplementationPart is not null) return;

                var result = MethodParser.Parse(syntax, method, context.SemanticModel, context.CancellationToken);
                foreach (var derivative in result.CustomDerivatives) used[derivative] = true;
                foreach (var diagnostic in result.Diagnostics)
                {
                    context.ReportDiagnostic(diagnostic);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReportInternalError(context, syntax.Identifier, e);
            }
        }

        private static void AnalyzeLocalFunction(SyntaxNodeAnalysisContext context, INamedTypeSymbol attribute)
        {
            var syntax = (LocalFunctionStatementSyntax)context.Node;
            if (syntax.AttributeLists.Count == 0) return;
            try
            {
                if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is IMethodSymbol function
                    && HasAttribute(function, attribute))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.LocalFunction,
                        syntax.Identifier.GetLocation(),
                        function.Name));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReportInternalError(context, syntax.Identifier, e);
            }
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
        {
            foreach (var data in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)) return true;
            }

            return false;
        }

        private static void ReportInternalError(SyntaxNodeAnalysisContext context, SyntaxToken identifier, Exception e)
        {
            try
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InternalError,
                    identifier.GetLocation(),
                    identifier.ValueText,
                    e.GetType().Name + ": " + e.Message));
            }
            catch (Exception inner) when (inner is not OperationCanceledException)
            {
                // Reporting failed too (for example a location outside the tree); stay silent rather than crash.
            }
        }
    }
}
