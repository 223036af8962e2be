using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace AutoGrad.CodeFixes
{
    /// <summary>A code fix that edits the document around the [Differentiable] method a diagnostic is reported on.</summary>
    public abstract class MethodCodeFix : CodeFixProvider
    {
        /// <summary>The title of the code action, also its equivalence key.</summary>
        protected abstract string Title { get; }

        public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var method = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null || !CanFix(method)) return;

            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, c => FixAsync(context.Document, method, c), equivalenceKey: Title),
                    diagnostic);
            }
        }

        /// <summary>Whether there is anything to change around <paramref name="method"/>.</summary>
        protected virtual bool CanFix(MethodDeclarationSyntax method) => true;

        /// <summary>Makes the change with <paramref name="editor"/>.</summary>
        protected abstract void Fix(DocumentEditor editor, MethodDeclarationSyntax method);

        private async Task<Document> FixAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            Fix(editor, method);
            return editor.GetChangedDocument();
        }
    }
}
