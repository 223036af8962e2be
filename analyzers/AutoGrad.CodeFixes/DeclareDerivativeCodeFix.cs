using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AutoGrad.CodeFixes
{
    /// <summary>
    /// AG0012: declares the derivative of the called method with a [DerivativeOf] stub in the caller's type. The
    /// stub has exactly the Backward signature of the callee, spelled from <see cref="BackwardContract"/> (the
    /// model the generator and the registry use), so the registry matches it; its body sets every out gradient
    /// to NaN and throws, so that nothing silently differentiates through it until the user writes it.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeclareDerivativeCodeFix)), Shared]
    public sealed class DeclareDerivativeCodeFix : CodeFixProvider
    {
        private const string EquivalenceKey = nameof(DeclareDerivativeCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.NoDerivativeId);

        // Two calls of the same method would each declare a stub: fix them one at a time.
        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null) return;
            var invocation = root.FindNode(context.Span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            if (invocation is null) return;
            var member = invocation.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m.Parent is TypeDeclarationSyntax);
            if (member?.Parent is not TypeDeclarationSyntax type) return;
            if (model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol { } called) return;
            var callee = called.OriginalDefinition;
            if (!callee.IsStatic || callee.IsGenericMethod || callee.MethodKind != MethodKind.Ordinary) return;
            if (callee.ContainingType is not { IsGenericType: false } || callee.ContainingType.ContainingType is { IsGenericType: true }) return;
            if (ScalarTypes.From(callee.ReturnType) is not (ScalarKind.Double or ScalarKind.Float)) return;
            if (DerivativeRegistry.ParametersOf(callee) is null) return;

            // The contract spells parameter names as they are; a keyword (@in) would need escaping.
            if (callee.Parameters.Any(p => SyntaxFacts.GetKeywordKind(p.Name) != SyntaxKind.None)) return;
            if (model.GetDeclaredSymbol(type, context.CancellationToken) is not { } containing) return;

            string calleeName = callee.ContainingType.Name + "." + callee.Name;
            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Declare a [DerivativeOf] for '" + calleeName + "'",
                        c => DeclareAsync(context.Document, member, containing, callee, c),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> DeclareAsync(
            Document document, MemberDeclarationSyntax after, INamedTypeSymbol containing, IMethodSymbol callee, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            var stub = SyntaxFactory.ParseMemberDeclaration(Stub(callee, containing, model!, after.SpanStart));
            if (stub is null) return document;

            // global::AutoGrad.DerivativeOf, shortened to DerivativeOf where AutoGrad is imported.
            stub = stub.ReplaceNodes(stub.DescendantNodes().OfType<AttributeSyntax>(), (_, a) => a.WithName(a.Name.WithAdditionalAnnotations(Simplifier.Annotation)));
            // A blank line between the caller and the stub, with the document's line ending.
            var eol = after.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var blank = eol.IsKind(SyntaxKind.EndOfLineTrivia) ? eol : SyntaxFactory.CarriageReturnLineFeed;
            editor.InsertAfter(after, stub.WithLeadingTrivia(blank).WithAdditionalAnnotations(Formatter.Annotation));
            return editor.GetChangedDocument();
        }

        /// <summary>The C# text of the stub: its attribute, the contract's signature, a body that throws.</summary>
        internal static string Stub(IMethodSymbol callee, INamedTypeSymbol containing, SemanticModel model, int position)
        {
            var parameters = DerivativeRegistry.ParametersOf(callee)!;
            var returnType = ScalarTypes.From(callee.ReturnType)!.Value;
            var slots = BackwardContract.Slots(parameters, returnType);

            string target = Identifiers.Escape(callee.Name);
            string attribute;
            if (SymbolEqualityComparer.Default.Equals(callee.ContainingType, containing))
            {
                attribute = "nameof(" + target + ")";
            }
            else
            {
                string type = callee.ContainingType.ToMinimalDisplayString(model, position);
                attribute = "typeof(" + type + "), nameof(" + type + "." + target + ")";
            }

            var taken = new NameGenerator(containing.MemberNames);
            string name = taken.Fresh(callee.Name + "Derivative");

            var gradients = slots.Where(s => s.Kind is SlotKind.OutGradient or SlotKind.GradientBuffer).ToList();
            string nan = returnType.Keyword() + ".NaN";
            var text = new StringBuilder();
            text.Append("[global::AutoGrad.DerivativeOf(").Append(attribute).Append(")]\n");
            text.Append("internal static ").Append(returnType.Keyword()).Append(' ').Append(name)
                .Append('(').Append(string.Join(", ", slots.Select(BackwardContract.Declaration))).Append(")\n{\n");
            foreach (var slot in gradients.Where(s => s.Kind == SlotKind.OutGradient))
            {
                text.Append(slot.Name).Append(" = ").Append(nan).Append(";\n");
            }

            text.Append("throw new System.NotImplementedException(\"Write the derivative of ").Append(callee.ContainingType.Name).Append('.').Append(callee.Name)
                .Append(": return its value").Append(Gradients(callee.Name, gradients, parameters)).Append(".\");\n}\n");
            return text.ToString();
        }

        /// <summary>What the stub's user has to set, e.g. <c>, set dX = seed * dF/dx, add seed * dF/dw[i] into dW[i]</c>.</summary>
        private static string Gradients(string function, List<ContractSlot> gradients, IReadOnlyList<ParameterModel> parameters)
        {
            var text = new StringBuilder();
            foreach (var slot in gradients)
            {
                string of = parameters[slot.Of].Name;
                text.Append(slot.Kind == SlotKind.OutGradient
                    ? ", set " + slot.Name + " = seed * d" + function + "/d" + of
                    : ", add seed * d" + function + "/d" + of + "[i] into " + slot.Name + "[i]");
            }

            return text.ToString();
        }
    }
}
