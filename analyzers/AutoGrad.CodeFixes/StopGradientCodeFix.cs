using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
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
    /// AG0014: says that the zero gradient is intended by wrapping the reported operation in
    /// <c>Diff.StopGradient(…)</c>, which computes the same value and is not reported. An operation whose
    /// result is an integer (a cast to int, Math.Sign, ILogB) keeps its type: its floating-point operands are
    /// wrapped instead, <c>(int)Diff.StopGradient(x)</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StopGradientCodeFix)), Shared]
    public sealed class StopGradientCodeFix : CodeFixProvider
    {
        private const string Title = "Wrap in Diff.StopGradient(...) to say the zero gradient is intended";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.ZeroGradientId);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                if (ZeroGradientSyntax.Find(root, diagnostic.Location.SourceSpan) is not { } expression) continue;
                bool floating = ZeroGradientSyntax.IsFloating(model.GetTypeInfo(expression, context.CancellationToken).Type);
                if (!floating && !ZeroGradientSyntax.FloatingOperands(expression, model, context.CancellationToken).Any()) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, c => WrapAsync(context.Document, expression, c), nameof(StopGradientCodeFix)),
                    diagnostic);
            }
        }

        private static async Task<Document> WrapAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            var model = editor.SemanticModel;
            if (ZeroGradientSyntax.IsFloating(model.GetTypeInfo(expression, cancellationToken).Type))
            {
                editor.ReplaceNode(expression, Wrap(expression));
            }
            else
            {
                foreach (var operand in ZeroGradientSyntax.FloatingOperands(expression, model, cancellationToken))
                {
                    editor.ReplaceNode(operand, Wrap(ZeroGradientSyntax.Unparenthesized(operand)));
                }
            }

            return editor.GetChangedDocument();
        }

        /// <summary><c>Diff.StopGradient(value)</c>, as <c>AutoGrad.Diff</c> where AutoGrad is not imported.</summary>
        private static ExpressionSyntax Wrap(ExpressionSyntax value)
        {
            var diff = SyntaxFactory.ParseExpression("global::AutoGrad.Diff").WithAdditionalAnnotations(Simplifier.Annotation);
            var call = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, diff, SyntaxFactory.IdentifierName("StopGradient")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(value.WithoutTrivia()))));
            return call.WithTriviaFrom(value);
        }
    }
}
