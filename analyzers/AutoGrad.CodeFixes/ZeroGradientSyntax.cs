using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.CodeFixes
{
    /// <summary>The expression an AG0014 diagnostic is reported on, and its floating-point operands.</summary>
    internal static class ZeroGradientSyntax
    {
        /// <summary>The call or cast at <paramref name="span"/>, or null.</summary>
        public static ExpressionSyntax? Find(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            var node = root.FindNode(span, getInnermostNodeForTie: true);
            return node.AncestorsAndSelf().OfType<ExpressionSyntax>()
                .FirstOrDefault(e => e is InvocationExpressionSyntax or CastExpressionSyntax && e.Span == span);
        }

        /// <summary>Whether <paramref name="type"/> is double or float.</summary>
        public static bool IsFloating(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

        /// <summary>
        /// The floating-point operands whose gradient the operation cuts off: a cast's operand, or a call's
        /// double or float arguments.
        /// </summary>
        public static IEnumerable<ExpressionSyntax> FloatingOperands(ExpressionSyntax expression, SemanticModel model, System.Threading.CancellationToken cancellationToken)
        {
            IEnumerable<ExpressionSyntax> operands = expression switch
            {
                CastExpressionSyntax cast => new[] { cast.Expression },
                InvocationExpressionSyntax invocation => invocation.ArgumentList.Arguments
                    .Where(a => a.RefKindKeyword.IsKind(SyntaxKind.None))
                    .Select(a => a.Expression),
                _ => Enumerable.Empty<ExpressionSyntax>(),
            };
            return operands.Where(o => IsFloating(model.GetTypeInfo(o, cancellationToken).Type));
        }

        /// <summary><paramref name="expression"/> without the parentheses around it.</summary>
        public static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
        {
            while (expression is ParenthesizedExpressionSyntax p) expression = p.Expression;
            return expression;
        }
    }
}
