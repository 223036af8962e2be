using System.Collections.Immutable;
using System.Composition;
using AutoGrad.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;
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
    public sealed class MakeMethodStaticCodeFix : MethodCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.MethodNotStaticId);

        protected override string Title => "Make the method static";

        protected override void Fix(DocumentEditor editor, MethodDeclarationSyntax method) =>
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
    }
}
