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

namespace AutoGrad.CodeFixes
{
    /// <summary>AG0001: adds <c>partial</c> to every type around the [Differentiable] method that lacks it.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypesPartialCodeFix)), Shared]
    public sealed class MakeTypesPartialCodeFix : CodeFixProvider
    {
        internal const string Title = "Make the containing types partial";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.TypeNotPartialId);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var method = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null || !NonPartialTypes(method).Any()) return;

            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, c => FixAsync(context.Document, method, c), equivalenceKey: Title),
                    diagnostic);
            }
        }

        private static async Task<Document> FixAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            foreach (var type in NonPartialTypes(method))
            {
                editor.ReplaceNode(type, (node, generator) =>
                    generator.WithModifiers(node, generator.GetModifiers(node).WithPartial(true)));
            }

            return editor.GetChangedDocument();
        }

        private static System.Collections.Generic.IEnumerable<TypeDeclarationSyntax> NonPartialTypes(MethodDeclarationSyntax method) =>
            method.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword));
    }
}
