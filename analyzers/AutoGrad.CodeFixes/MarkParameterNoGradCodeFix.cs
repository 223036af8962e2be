using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace AutoGrad.CodeFixes
{
    /// <summary>
    /// AG0014: marks the parameter that goes into the zero-gradient operation [NoGrad], offered only when the
    /// parameter's gradient is zero anyway: every use of it in the method is inside an operation the parser
    /// reports as zero-gradient (AG0014) or inside <c>Diff.StopGradient(…)</c>, and none of them writes
    /// anything. Then the mark removes an always-zero gradient from the Backward and changes no other one.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkParameterNoGradCodeFix)), Shared]
    public sealed class MarkParameterNoGradCodeFix : CodeFixProvider
    {
        private const string EquivalenceKey = nameof(MarkParameterNoGradCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.ZeroGradientId);

        // Several diagnostics can name the same parameter; each fix is one attribute, fixed one at a time.
        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null) return;
            var cancellationToken = context.CancellationToken;

            foreach (var diagnostic in context.Diagnostics)
            {
                if (ZeroGradientSyntax.Find(root, diagnostic.Location.SourceSpan) is not { } expression) continue;
                if (expression.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault() is not { } method) continue;
                if (model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
                    || !MethodParser.HasAttribute(symbol, MethodParser.DifferentiableAttributeName))
                {
                    continue;
                }

                var parameters = ZeroGradientSyntax.FloatingOperands(expression, model, cancellationToken)
                    .Select(ZeroGradientSyntax.Unparenthesized)
                    .OfType<IdentifierNameSyntax>()
                    .Select(id => model.GetSymbolInfo(id, cancellationToken).Symbol)
                    .OfType<IParameterSymbol>()
                    .Where(p => SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, symbol)
                                && !MethodParser.HasAttribute(p, MethodParser.NoGradAttributeName))
                    .Distinct<IParameterSymbol>(SymbolEqualityComparer.Default)
                    .ToList();
                if (parameters.Count == 0) continue;

                var zeroGradient = ZeroGradientNodes(method, symbol, model, cancellationToken);
                foreach (var parameter in parameters)
                {
                    if (!UsedOnlyIn(zeroGradient, method, parameter, model, cancellationToken)) continue;
                    if (parameter.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<ParameterSyntax>()
                            .FirstOrDefault(p => method.ParameterList.Parameters.Contains(p)) is not { } declaration)
                    {
                        continue;
                    }

                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Mark '" + parameter.Name + "' [NoGrad]: its gradient is zero",
                            c => MarkAsync(context.Document, declaration, c),
                            EquivalenceKey),
                        diagnostic);
                }
            }
        }

        /// <summary>
        /// The operations of the method whose value is a constant to the gradient: those the parser (the one the
        /// generator uses) reports as AG0014, and the arguments of <c>Diff.StopGradient</c>.
        /// </summary>
        private static List<SyntaxNode> ZeroGradientNodes(MethodDeclarationSyntax method, IMethodSymbol symbol, SemanticModel model, CancellationToken cancellationToken)
        {
            var nodes = new List<SyntaxNode>();
            var root = method.SyntaxTree.GetRoot(cancellationToken);
            ImmutableArray<Diagnostic> diagnostics;
            try
            {
                diagnostics = MethodParser.Parse(method, symbol, model, cancellationToken).Diagnostics;
            }
            catch (System.Exception e) when (e is not System.OperationCanceledException)
            {
                diagnostics = ImmutableArray<Diagnostic>.Empty; // the analyzer reports it (AG9999); offer nothing
            }

            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Id != DiagnosticDescriptors.ZeroGradientId || diagnostic.Location.SourceTree != method.SyntaxTree) continue;
                if (ZeroGradientSyntax.Find(root, diagnostic.Location.SourceSpan) is { } node) nodes.Add(node);
            }

            foreach (var invocation in method.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol
                    {
                        Name: "StopGradient",
                        ContainingType: { Name: "Diff", ContainingType: null, ContainingNamespace: { Name: "AutoGrad", ContainingNamespace.IsGlobalNamespace: true } },
                    })
                {
                    nodes.Add(invocation);
                }
            }

            return nodes;
        }

        /// <summary>Whether every reference to <paramref name="parameter"/> is inside one of <paramref name="zeroGradient"/>, none of which writes anything.</summary>
        private static bool UsedOnlyIn(List<SyntaxNode> zeroGradient, MethodDeclarationSyntax method, IParameterSymbol parameter, SemanticModel model, CancellationToken cancellationToken)
        {
            SyntaxNode? body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
            if (body is null) return false;
            foreach (var identifier in body.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText != parameter.Name) continue;
                if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, parameter)) continue;
                var around = zeroGradient.FirstOrDefault(n => n.Span.Contains(identifier.Span));
                if (around is null || Writes(around)) return false;
            }

            return true;
        }

        /// <summary>Whether <paramref name="node"/> assigns, increments, declares or passes by reference anything, or holds a lambda.</summary>
        private static bool Writes(SyntaxNode node) => node.DescendantNodesAndSelf().Any(n =>
            n is AssignmentExpressionSyntax or DeclarationExpressionSyntax or AnonymousFunctionExpressionSyntax
            || n.IsKind(SyntaxKind.PreIncrementExpression) || n.IsKind(SyntaxKind.PreDecrementExpression)
            || n.IsKind(SyntaxKind.PostIncrementExpression) || n.IsKind(SyntaxKind.PostDecrementExpression)
            || n is ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None });

        private static async Task<Document> MarkAsync(Document document, ParameterSyntax parameter, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            var name = SyntaxFactory.ParseName("global::AutoGrad.NoGrad").WithAdditionalAnnotations(Simplifier.Annotation);
            var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
                .WithTrailingTrivia(SyntaxFactory.Space);
            var marked = parameter.WithoutLeadingTrivia()
                .WithAttributeLists(parameter.AttributeLists.Add(list))
                .WithLeadingTrivia(parameter.GetLeadingTrivia());
            editor.ReplaceNode(parameter, marked);
            return editor.GetChangedDocument();
        }
    }
}
