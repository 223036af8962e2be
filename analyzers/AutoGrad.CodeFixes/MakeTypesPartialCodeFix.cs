using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace AutoGrad.CodeFixes
{
    /// <summary>AG0001: adds <c>partial</c> to every type around the [Differentiable] method that lacks it.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypesPartialCodeFix)), Shared]
    public sealed class MakeTypesPartialCodeFix : MethodCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.TypeNotPartialId);

        protected override string Title => "Make the containing types partial";

        protected override bool CanFix(MethodDeclarationSyntax method) => NonPartialTypes(method).Any();

        protected override void Fix(DocumentEditor editor, MethodDeclarationSyntax method)
        {
            foreach (var type in NonPartialTypes(method))
            {
                editor.ReplaceNode(type, (node, generator) =>
                    generator.WithModifiers(node, generator.GetModifiers(node).WithPartial(true)));
            }
        }

        private static IEnumerable<TypeDeclarationSyntax> NonPartialTypes(MethodDeclarationSyntax method) =>
            method.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword));
    }
}
