using System;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;
using AutoGrad.Generator.Differentiation;
using AutoGrad.Generator.Emit;
using AutoGrad.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generator
{
    /// <summary>
    /// Adds a reverse-mode <c>…Backward</c> method for every <c>[Differentiable]</c> method. The pipeline is
    /// parse (symbols → <see cref="MethodModel"/>), differentiate (→ <see cref="BackwardModel"/>), emit (→ C#
    /// text); only equatable models travel between the steps. Diagnostics are the analyzer's job: a method whose
    /// body cannot be differentiated gets a stub Backward that throws (so that its call sites still compile), and
    /// one whose signature is in error gets no output.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class DifferentiableGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    MethodParser.DifferentiableAttributeName,
                    predicate: static (node, _) => node is MethodDeclarationSyntax,
                    transform: static (ctx, ct) => ParseMethod(ctx, ct))
                .WithTrackingName(TrackingNames.Parse)
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(TrackingNames.Valid);

            var backward = models
                .Select(static (model, ct) => Differentiator.Differentiate(model, ct))
                .WithTrackingName(TrackingNames.Differentiate);

            // `#nullable` needs C# 8; a netstandard2.0 project defaults to C# 7.3.
            var nullableDirective = context.ParseOptionsProvider
                .Select(static (options, _) => options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 })
                .WithTrackingName(TrackingNames.LanguageVersion);

            context.RegisterSourceOutput(backward.Combine(nullableDirective), static (spc, pair) => EmitSource(spc, pair.Left, pair.Right));
        }

        private static void EmitSource(SourceProductionContext context, BackwardModel model, bool nullableDirective)
        {
            var (text, error) = EmitOrStub(model, nullableDirective);
            if (text is not null) context.AddSource(model.HintName, text);

            // Only for our own bugs: user errors are the analyzer's to report.
            if (error is not null) context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, model.OriginalName, error));
        }

        /// <summary>
        /// The generated source, or when differentiating or emitting failed (a bug of ours), a stub Backward that throws,
        /// so that the method's callers still compile, and the error (without a final period: the message adds one).
        /// </summary>
        internal static (string? Text, string? Error) EmitOrStub(BackwardModel model, bool nullableDirective)
        {
            string? error = model.InternalError;
            if (error is null)
            {
                try
                {
                    return (Emitter.Emit(model, nullableDirective), null);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    error = e.GetType().Name + ": " + e.Message;
                }
            }

            error = error.TrimEnd('.', ' ');
            try
            {
                var stub = model with { Body = Block.Empty, InternalError = null, Rejection = "an internal error in AutoGrad, AG9999" };
                return (Emitter.Emit(stub, nullableDirective), error);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (null, error);
            }
        }

        private static MethodModel? ParseMethod(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
        {
            if (context.TargetNode is not MethodDeclarationSyntax syntax || context.TargetSymbol is not IMethodSymbol method)
            {
                return null;
            }

            var semanticModel = context.SemanticModel;

            // [Differentiable] on the declaring half of a partial method: differentiate the implementation.
            if (syntax.Body is null && syntax.ExpressionBody is null
                && method.PartialImplementationPart is { } implementation
                && implementation.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax implementationSyntax)
            {
                syntax = implementationSyntax;
                method = implementation;
                if (syntax.SyntaxTree != semanticModel.SyntaxTree)
                {
                    semanticModel = semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
                }
            }

            return MethodParser.Parse(syntax, method, semanticModel, cancellationToken).Model;
        }
    }
}
