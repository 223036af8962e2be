using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Generic math (see <see cref="GenericMath"/>): calls of the static members of the generic-math interfaces on
    /// the method's floating-point type parameter, <c>T.Exp(x)</c>, <c>T.CreateChecked(2)</c>, <c>T.IsNaN(x)</c>.
    /// Operators and constants (<c>T.One</c>, <c>T.Pi</c>) go the way of their double counterparts.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        private static readonly string[] Conversions = { "CreateChecked", "CreateTruncating", "CreateSaturating" };

        /// <summary>
        /// A call of a generic-math member on the type parameter: a function with a derivative rule becomes a
        /// <see cref="MathCallExpr"/> through <see cref="MathClass.TypeParameter"/>; a conversion (<c>T.CreateChecked</c>)
        /// of a constant is a constant, of an integer a plain call; any other member a plain call, reported when it
        /// takes a differentiable value, as for Math.
        /// </summary>
        private Expr LowerGenericMathCall(IInvocationOperation invocation, List<Stmt> output)
        {
            var method = invocation.TargetMethod;
            var kind = ScalarTypes.From(method.ReturnType);
            if (kind is null || method.ReturnsByRef || invocation.Arguments.Any(a => a.Parameter is null || a.Parameter.RefKind != RefKind.None || a.ArgumentKind == ArgumentKind.ParamArray))
            {
                ReportUnsupportedExpression(invocation, "Calling '" + method.Name + "'", "call the members of the type parameter that take and return it, int or bool");
                return Placeholder(kind ?? ScalarKind.Generic);
            }

            var lowered = new List<(int Ordinal, Expr Value)>();
            foreach (var argument in invocation.Arguments)
            {
                if (ScalarTypes.From(argument.Value.Type) is null)
                {
                    ReportUnsupportedExpression(argument.Value, "Passing '" + Shorten(argument.Value.Syntax.ToString()) + "' to '" + method.Name + "'", "pass a value of the type parameter, or an int, long, double or float");
                    return Placeholder(kind.Value);
                }

                lowered.Add((argument.Parameter!.Ordinal, LowerExpression(argument.Value, output)));
            }

            var args = lowered.OrderBy(a => a.Ordinal).Select(a => a.Value).ToList();
            bool anyActive = args.Any(IsActive);
            string member = GenericMath.Marker + "." + Identifiers.Escape(method.Name);

            if (Conversions.Contains(method.Name) && args.Count == 1)
            {
                var operand = args[0];
                if (operand.Type == kind) return operand; // T.CreateChecked(x) of a T is x
                if (IsActive(operand))
                {
                    ReportUnsupportedExpression(
                        invocation,
                        "Converting the differentiable value '" + Shorten(invocation.Arguments[0].Value.Syntax.ToString()) + "' with '" + method.Name + "'",
                        "compute in the type parameter throughout, or mark the parameter [NoGrad]");
                    return Placeholder(kind.Value);
                }

                // Of a literal: a constant (T.CreateChecked(3)), which the derivative rules can read the value of.
                return operand is LitExpr literal && ScalarTypes.TryGetNumber(literal, out _) && literal.Text.IndexOf('(') < 0
                    ? new LitExpr(member + "(" + literal.Text + ")", kind.Value)
                    : new CallExpr(member, args.ToEquatableArray(), kind.Value);
            }

            if (kind == ScalarKind.Generic
                && GenericMath.TryGetDifferentiable(method.Name, args.Count, out var function)
                && TakesItsOwnType(method, function, ScalarKind.Generic))
            {
                if (!anyActive) return new MathCallExpr(function, MathClass.TypeParameter, args.ToEquatableArray(), kind.Value);
                return Hoist(new MathCallExpr(function, MathClass.TypeParameter, args.Select(a => Atomize(a, output)).ToEquatableArray(), kind.Value), output);
            }

            if (anyActive && kind != ScalarKind.Boolean)
            {
                if (MathFunctions.HasZeroGradient(method.Name) || !kind.Value.IsFloating())
                {
                    Report(DiagnosticDescriptors.ZeroGradient, invocation.Syntax.GetLocation(), Shorten(invocation.Syntax.ToString()));
                }
                else
                {
                    // Not AG0012: a [DerivativeOf] cannot name an interface's static member.
                    ReportUnsupportedExpression(
                        invocation,
                        "Calling 'T." + method.Name + "' on a differentiable value",
                        "it has no derivative rule; write it with the members that have one (T.Exp, T.Log, T.Sqrt, T.Pow, T.Abs, T.Max, T.Atan2, …)");
                }
            }

            return new CallExpr(member, args.ToEquatableArray(), kind.Value);
        }

        /// <summary>
        /// Whether a generic method may be called from here: every type argument is the floating-point type
        /// parameter (as <c>G(x)</c> from <c>F&lt;T&gt;</c> infers <c>G&lt;T&gt;</c>), and every type parameter of
        /// the callee is one, so that the callee's values are the caller's generic kind.
        /// </summary>
        private static bool IsCallOverTypeParameter(IMethodSymbol method) =>
            method.IsGenericMethod
            && method.TypeArguments.All(GenericMath.IsFloatingTypeParameter)
            && method.OriginalDefinition.TypeParameters.All(GenericMath.IsFloatingTypeParameter);
    }
}
