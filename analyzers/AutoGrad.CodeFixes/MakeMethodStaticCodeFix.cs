using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace AutoGrad.CodeFixes
{
    /// <summary>
    /// AG0002: makes the [Differentiable] method static, dropping the modifiers a static method cannot have
    /// (<c>virtual</c>, <c>override</c>, <c>abstract</c>, <c>sealed</c>, <c>readonly</c>). Instance members the
    /// body reads are left for the user to turn into parameters; the compiler then points at them.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodStaticCodeFix)), Shared]
    public sealed class MakeMethodStaticCodeFix : CodeFixProvider
    {
        internal const string Title = "Make the method static";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.MethodNotStaticId);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var method = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null) return;

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
            editor.ReplaceNode(method, (node, generator) =>
            {
                var modifiers = generator.GetModifiers(node)
                    .WithIsStatic(true)
                    .WithIsVirtual(false)
                    .WithIsOverride(false)
                    .WithIsAbstract(false)
                    .WithIsSealed(false)
                    .WithIsReadOnly(false);
                return generator.WithModifiers(node, modifiers);
            });
            return editor.GetChangedDocument();
        }
    }
}
