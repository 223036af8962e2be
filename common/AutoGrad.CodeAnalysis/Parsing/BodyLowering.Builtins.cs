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
    /// Calls the lowering knows by name: the differentiable functions of <c>Math</c>, <c>MathF</c>,
    /// <c>double</c> and <c>float</c>, the zero-gradient ones of <c>double</c> and <c>float</c>, and
    /// <c>AutoGrad.Diff.StopGradient</c>.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>How many <c>Diff.StopGradient</c> arguments are being lowered: no gradient is needed there.</summary>
        private int _stopGradientDepth;

        /// <summary>
        /// <c>Diff.StopGradient(x)</c>: the argument needs no gradient, so a call without a derivative, or one
        /// whose gradient is zero, is fine inside it.
        /// </summary>
        private Expr LowerStopGradient(IInvocationOperation invocation, List<Stmt> output)
        {
            // Report drops AG0012 and AG0014 while this is above zero, inside inlined helpers too.
            _stopGradientDepth++;
            try
            {
                return StopGradient(LowerExpression(invocation.Arguments[0].Value, output), output);
            }
            finally
            {
                _stopGradientDepth--;
            }
        }

        /// <summary>
        /// A call of a method of Math, MathF, double or float (arguments already lowered): a function with a rule
        /// becomes a <see cref="MathCallExpr"/>; any other is a plain call, reported when it takes a
        /// differentiable value (AG0014 when its gradient is zero, AG0012 when it has none).
        /// </summary>
        private Expr LowerBuiltin(IInvocationOperation invocation, IMethodSymbol method, ScalarKind kind, List<Expr> args, bool anyActive, List<Stmt> output)
        {
            var declared = MathFunctions.BuiltinClass(method.ContainingType)!.Value;
            if (kind.IsFloating()
                && MathFunctions.TryGetDifferentiable(method.Name, method.Parameters.Length, out var function)
                && TakesItsOwnType(method, function, kind))
            {
                var mathClass = EmittedClass(declared, function, kind);
                if (!anyActive) return new MathCallExpr(function, mathClass, args.ToEquatableArray(), kind);
                var atoms = args.Select(a => Atomize(a, output)).ToEquatableArray();
                return Hoist(new MathCallExpr(function, mathClass, atoms, kind), output);
            }

            if (anyActive)
            {
                if (MathFunctions.HasZeroGradient(method.Name) || !kind.IsFloating())
                {
                    if (kind != ScalarKind.Boolean) Report(DiagnosticDescriptors.ZeroGradient, invocation.Syntax.GetLocation(), Shorten(invocation.Syntax.ToString()));
                }
                else
                {
                    Report(DiagnosticDescriptors.NoDerivative, invocation.Syntax.GetLocation(), (method.ContainingType?.Name ?? string.Empty) + "." + method.Name);
                }
            }

            return new CallExpr(QualifiedName(method), args.ToEquatableArray(), kind);
        }

        /// <summary>
        /// The value of <c>Diff.StopGradient(x)</c>: <paramref name="value"/> itself when it is already a constant
        /// to the gradient, else an inactive copy, so that nothing after it differentiates through it.
        /// </summary>
        private Expr StopGradient(Expr value, List<Stmt> output)
        {
            if (!IsActive(value)) return value;
            string name = NewTemp();
            Add(output, new LetStmt(name, value, false, _source));
            return new VarExpr(name, value.Type);
        }

        private static bool IsStopGradient(IMethodSymbol method) =>
            method.Name == "StopGradient"
            && method.Parameters.Length == 1
            && method.ContainingType is { Name: "Diff", ContainingType: null, ContainingNamespace: { Name: "AutoGrad", ContainingNamespace.IsGlobalNamespace: true } };

        /// <summary>Every parameter has the return type, except the integer exponent of ScaleB.</summary>
        private static bool TakesItsOwnType(IMethodSymbol method, MathFunction function, ScalarKind kind) =>
            method.Parameters.All(p => ScalarTypes.From(p.Type) == (function == MathFunction.ScaleB && p.Ordinal == 1 ? ScalarKind.Int32 : kind));

        /// <summary>
        /// <c>double.Exp</c> is emitted as <c>Math.Exp</c> (and <c>float.Exp</c> as <c>MathF.Exp</c>): the same
        /// function, and it compiles where <c>double</c> has no generic-math methods. Only what Math lacks stays
        /// on <c>double</c> / <c>float</c>.
        /// </summary>
        private static MathClass EmittedClass(MathClass declared, MathFunction function, ScalarKind kind)
        {
            if (declared is MathClass.Math or MathClass.MathF) return declared;
            if (MathFunctions.IsOnlyOnFloatingTypes(function)) return kind == ScalarKind.Float ? MathClass.Single : MathClass.Double;
            if (kind == ScalarKind.Double) return MathClass.Math;
            return MathFunctions.IsOnMathF(function) ? MathClass.MathF : MathClass.Math;
        }

        /// <summary>A call of <c>Math.SinCos</c> or <c>MathF.SinCos</c> (see <see cref="LowerTuple"/>).</summary>
        private static bool IsSinCos(IOperation operation) =>
            operation is IInvocationOperation { TargetMethod: { Name: "SinCos" } target }
            && MathFunctions.BuiltinClass(target.ContainingType) is not null;
    }
}
