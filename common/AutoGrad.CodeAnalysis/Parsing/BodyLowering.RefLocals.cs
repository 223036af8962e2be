using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// <c>ref</c> and <c>ref readonly</c> locals of a scalar type, resolved while lowering: a ref local is another
    /// name for what it was declared to refer to, so its reads and writes become reads and writes of that local or
    /// parameter (<c>ref double acc = ref total;</c>), or of that array element, at the index the declaration
    /// computed (<c>ref double e = ref h[i];</c>). The IR never sees the alias. Ref locals of other types, ref
    /// locals that refer to anything else (a field, a tuple element, a call's result), and re-pointing a ref local
    /// (<c>r = ref y;</c>) are reported.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>What a ref local refers to: a local or parameter (<see cref="Symbol"/>) or one element of an array.</summary>
        /// <param name="Writable">For an element: whether the array may be written (a local array, not an input).</param>
        private sealed record RefAlias(ISymbol? Symbol, ArrayView? Array, Expr? Index, bool Writable);

        private readonly Dictionary<ILocalSymbol, RefAlias> _refAliases = new(SymbolEqualityComparer.Default);

        /// <summary>Lowers the declaration of a ref local by recording what it refers to.</summary>
        private void LowerRefLocal(IVariableDeclaratorOperation declarator, ILocalSymbol local, List<Stmt> output)
        {
            var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
            if (initializer?.Value is null) throw new AbortException(); // a ref local must be initialized: a compiler error
            var kind = ScalarTypes.From(local.Type);
            var alias = kind is null ? null : AliasOf(initializer.Value, output);
            if (alias is null && kind is not null)
            {
                // A ref of a supported type to something it cannot follow: name what it refers to.
                _reportedLocals.Add(local);
                var referred = Unwrap(initializer.Value);
                ReportUnsupportedExpression(
                    initializer.Value,
                    referred is IConditionalOperation
                        ? "A ref to a conditional ('c ? ref a : ref b')"
                        : "A ref to '" + Shorten(referred.Syntax.ToString()) + "'",
                    "a ref local may refer to a local, a parameter or an array element; choose between two with if/else, or copy the value into a local");
                return;
            }

            if (alias is null)
            {
                _reportedLocals.Add(local);
                Report(
                    DiagnosticDescriptors.UnsupportedLocalType,
                    declarator.Syntax is VariableDeclaratorSyntax v ? v.Identifier.GetLocation() : declarator.Syntax.GetLocation(),
                    local.Name,
                    "ref " + local.Type.ToDisplayString());
                return;
            }

            _refAliases[local] = alias;
        }

        /// <summary>What <c>ref <paramref name="target"/></c> refers to, or null when it is not a scalar local, parameter or array element.</summary>
        private RefAlias? AliasOf(IOperation target, List<Stmt> output)
        {
            switch (Unwrap(target))
            {
                case IParenthesizedOperation parenthesized:
                    return AliasOf(parenthesized.Operand, output);
                case ILocalReferenceOperation local when _refAliases.TryGetValue(local.Local, out var inner):
                    return inner;
                case ILocalReferenceOperation local when ScalarTypes.From(local.Local.Type) is not null && _env.ContainsKey(local.Local):
                    return new RefAlias(local.Local, null, null, true);
                case IParameterReferenceOperation parameter when ScalarTypes.From(parameter.Parameter.Type) is not null && _env.ContainsKey(parameter.Parameter):
                    return new RefAlias(parameter.Parameter, null, null, true);
            }

            if (LocalElement(target, output) is { } element)
            {
                return new RefAlias(null, element.Array, Atomize(element.Index, output), true);
            }

            if (ElementParts(Unwrap(target)) is { } found && ViewOf(found.Array, output) is { } view)
            {
                return new RefAlias(null, view, Atomize(ElementIndex(view, found.Index, output), output), false);
            }

            return null;
        }

        /// <summary>The value of a ref local: the current value of what it refers to.</summary>
        private Expr ReadAlias(RefAlias alias, IOperation reference, List<Stmt> output)
        {
            if (alias.Symbol is not null) return Read(alias.Symbol, reference);
            var array = alias.Array!.Value;
            var read = new ElementExpr(array.Name, alias.Index!, array.Element);
            return array.Active ? Hoist(read, output) : read;
        }

        /// <summary>The ref local <paramref name="target"/> refers to, when it is one.</summary>
        private RefAlias? AliasTarget(IOperation target) =>
            Unwrap(target) is ILocalReferenceOperation local && _refAliases.TryGetValue(local.Local, out var alias) ? alias : null;

        /// <summary>
        /// The local or parameter a ref local assigned in a loop stands for, so that the loop carries it: from the
        /// aliases already declared, or from the ref local's declaration inside <paramref name="loop"/>.
        /// </summary>
        private ISymbol? AliasedSymbol(ILocalSymbol local, IOperation loop, int depth = 0)
        {
            if (_refAliases.TryGetValue(local, out var alias)) return alias.Symbol;
            if (depth > 8) return null;
            var declarator = loop.DescendantsAndSelf().OfType<IVariableDeclaratorOperation>()
                .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local));
            var value = (declarator?.GetVariableInitializer() ?? declarator?.Initializer)?.Value;
            return value is null ? null : Unwrap(value) switch
            {
                ILocalReferenceOperation { Local.IsRef: true } inner => AliasedSymbol(inner.Local, loop, depth + 1),
                ILocalReferenceOperation inner => inner.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
        }

        /// <summary>Reports <c>r = ref y;</c>: a ref local keeps what it was declared to refer to.</summary>
        private bool ReportRefReassignment(IOperation operation)
        {
            if (operation is not ISimpleAssignmentOperation { IsRef: true }) return false;
            ReportUnsupportedExpression(
                operation,
                "Making a ref local refer to something else",
                "declare a second ref local for the new target");
            return true;
        }
    }
}
