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
        /// <summary>
        /// Lowers <paramref name="invocation"/> if it is a built-in; false (and nothing lowered or reported) for
        /// any other call.
        /// </summary>
        private bool TryLowerBuiltin(IInvocationOperation invocation, List<Stmt> output, out Expr result)
        {
            result = null!;
            var method = invocation.TargetMethod;
            if (!method.IsStatic || method.IsGenericMethod || invocation.Instance is not null || ScalarTypes.From(method.ReturnType) is not { } kind) return false;
            if (method.Parameters.Any(p => p.RefKind != RefKind.None || p.IsParams)) return false;

            if (IsStopGradient(method))
            {
                // The argument needs no gradient: a call without a derivative, or one whose gradient is zero, is fine in it.
                int reported = _diagnostics.Count;
                var value = LowerExpression(invocation.Arguments[0].Value, output);
                for (int i = _diagnostics.Count - 1; i >= reported; i--)
                {
                    if (_diagnostics[i].Id is DiagnosticDescriptors.NoDerivativeId or DiagnosticDescriptors.ZeroGradientId) _diagnostics.RemoveAt(i);
                }

                result = StopGradient(value, output);
                return true;
            }

            if (BuiltinClass(method.ContainingType) is not { } declared || !kind.IsFloating()) return false;
            bool onFloatingType = declared is MathClass.Double or MathClass.Single;
            if (MathFunctions.TryGetDifferentiable(method.Name, method.Parameters.Length, out var function) && TakesItsOwnType(method, function, kind))
            {
                var args = LowerArguments(invocation, output);
                var mathClass = EmittedClass(declared, function, kind);
                if (!args.Any(IsActive))
                {
                    result = new MathCallExpr(function, mathClass, args.ToEquatableArray(), kind);
                    return true;
                }

                var atoms = args.Select(a => Atomize(a, output)).ToEquatableArray();
                result = Hoist(new MathCallExpr(function, mathClass, atoms, kind), output);
                return true;
            }

            if (onFloatingType && MathFunctions.HasZeroGradient(method.Name))
            {
                // double.Floor(x) and the like: computed, but a constant to the gradient (as Math.Floor).
                var args = LowerArguments(invocation, output);
                if (args.Any(IsActive)) Report(DiagnosticDescriptors.ZeroGradient, invocation.Syntax.GetLocation(), Shorten(invocation.Syntax.ToString()));
                result = new CallExpr(QualifiedName(method), args.ToEquatableArray(), kind);
                return true;
            }

            return false;
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

        private List<Expr> LowerArguments(IInvocationOperation invocation, List<Stmt> output)
        {
            var args = new List<Expr>();
            foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? int.MaxValue))
            {
                args.Add(LowerExpression(argument.Value, output));
            }

            return args;
        }

        private static bool IsStopGradient(IMethodSymbol method) =>
            method.Name == "StopGradient"
            && method.Parameters.Length == 1
            && method.ContainingType is { Name: "Diff", ContainingType: null, ContainingNamespace: { Name: "AutoGrad", ContainingNamespace.IsGlobalNamespace: true } };

        /// <summary>Math, MathF, double or float; null for any other type.</summary>
        private static MathClass? BuiltinClass(INamedTypeSymbol? type) => type switch
        {
            { SpecialType: SpecialType.System_Double } => MathClass.Double,
            { SpecialType: SpecialType.System_Single } => MathClass.Single,
            { Name: "Math", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => MathClass.Math,
            { Name: "MathF", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => MathClass.MathF,
            _ => null,
        };

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

        /// <summary>
        /// <c>var (s, c) = Math.SinCos(x);</c>: reported once, at the call; the locals get placeholders so that
        /// their uses are not reported again.
        /// </summary>
        private void LowerSinCosDeconstruction(IDeconstructionAssignmentOperation deconstruction, List<Stmt> output)
        {
            var (what, hint) = DescribeExpression(deconstruction.Value);
            ReportUnsupportedExpression(deconstruction.Value, what, hint);
            var target = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
            if (target is not ITupleOperation tuple) return;
            foreach (var element in tuple.Elements)
            {
                if (element is ILocalReferenceOperation { Local: var local } && ScalarTypes.From(local.Type) is { } kind)
                {
                    if (!_env.ContainsKey(local))
                    {
                        _symbolOrder.Add(local);
                        _env[local] = null;
                    }

                    Define(local, kind, Placeholder(kind), output);
                }
            }
        }

        /// <summary>A call of <c>Math.SinCos</c> or <c>MathF.SinCos</c>, whose tuple result the IR cannot hold.</summary>
        private static bool IsSinCos(IOperation operation) =>
            operation is IInvocationOperation { TargetMethod: { Name: "SinCos" } target }
            && BuiltinClass(target.ContainingType) is not null;
    }
}
