using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Struct parameters (parameter bundles). The IR holds no structs: each leaf member of a struct parameter is a
    /// variable of its own (<c>p_Slope</c>), known from the start of the method like a scalar parameter, so
    /// <c>p.Slope</c> is a read of that variable. A struct is read-only in the method: a local copy
    /// (<c>var q = p;</c>) and a helper's struct parameter name the same variables, and writing a struct or one
    /// of its members is reported.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>Struct parameters, their local copies and the struct parameters of inlined helpers: the members each names.</summary>
        private readonly Dictionary<ISymbol, StructView> _structs = new(SymbolEqualityComparer.Default);

        /// <summary>A struct value: each member's variable (a leaf) or nested struct.</summary>
        private sealed class StructView
        {
            public StructView(Dictionary<string, object> members) => Members = members;

            /// <summary>By member name: a <see cref="SyntheticVariable"/> for a leaf, a <see cref="StructView"/> for a nested struct.</summary>
            public Dictionary<string, object> Members { get; }
        }

        /// <summary>Binds a struct parameter's members to its leaves' variables (active when the parameter is differentiated).</summary>
        private void BindStructParameter(IParameterSymbol parameter, StructModel model, bool active)
        {
            _structs[parameter] = BindLeaves(model, active);
        }

        private StructView BindLeaves(StructModel model, bool active)
        {
            var members = new Dictionary<string, object>(System.StringComparer.Ordinal);
            foreach (var member in model.Members)
            {
                if (member.Nested is { } nested)
                {
                    members[member.Name] = BindLeaves(nested, active);
                    continue;
                }

                var leaf = new SyntheticVariable(member.Variable);
                _env[leaf] = new VarExpr(member.Variable, member.Type);
                _knownAtStart.Add(member.Variable);
                _symbolOrder.Add(leaf);
                if (active) _active.Add(member.Variable);
                members[member.Name] = leaf;
            }

            return new StructView(members);
        }

        /// <summary>The struct an expression names (a struct parameter, a copy of one, or a nested struct member of either), or null.</summary>
        private StructView? StructOf(IOperation operation)
        {
            switch (operation)
            {
                case IParenthesizedOperation parenthesized:
                    return StructOf(parenthesized.Operand);
                case IParameterReferenceOperation parameter:
                    return _structs.TryGetValue(parameter.Parameter, out var view) ? view : null;
                case ILocalReferenceOperation local:
                    return _structs.TryGetValue(local.Local, out var copy) ? copy : null;
                case IFieldReferenceOperation { Instance: { } instance } field when StructOf(instance) is { } outer:
                    return outer.Members.TryGetValue(field.Field.Name, out var fieldMember) ? fieldMember as StructView : null;
                case IPropertyReferenceOperation { Instance: { } instance, Arguments.IsEmpty: true } property when StructOf(instance) is { } outer:
                    return outer.Members.TryGetValue(property.Property.Name, out var propertyMember) ? propertyMember as StructView : null;
                default:
                    return null;
            }
        }

        /// <summary>
        /// <c>p.Slope</c> on a struct the lowering follows: the leaf's current value. Null when the operation reads no
        /// member of such a struct; a placeholder when it reads one the generator cannot follow (reported).
        /// </summary>
        private Expr? LowerStructMember(IOperation operation)
        {
            var (instance, name) = operation switch
            {
                IFieldReferenceOperation { Instance: { } i } field => (i, field.Field.Name),
                IPropertyReferenceOperation { Instance: { } i, Arguments.IsEmpty: true } property => (i, property.Property.Name),
                _ => (null, string.Empty),
            };
            if (instance is null) return null;
            if (StructOf(instance) is not { } view)
            {
                // A member of a parameter whose type was rejected (AG0004), or of an argument already reported: once is enough.
                return IsRejectedParameter(instance) ? Placeholder(ScalarTypes.From(operation.Type) ?? ScalarKind.Double) : null;
            }

            if (view.Members.TryGetValue(name, out var member) && member is SyntheticVariable leaf)
            {
                return _env[leaf] ?? throw new AbortException();
            }

            ReportUnsupportedExpression(
                operation,
                "Reading '" + Shorten(operation.Syntax.ToString()) + "'",
                "'" + name + "' is not a field or auto-property of the struct (a computed property runs code the generator cannot see); compute the value from the struct's members in the method");
            return Placeholder(ScalarTypes.From(operation.Type) ?? ScalarKind.Double);
        }

        /// <summary>A parameter of a type no contract has (neither a scalar, an array or span, nor a struct the lowering follows).</summary>
        private bool IsRejectedParameter(IOperation operation) =>
            operation is IParameterReferenceOperation { Parameter: var parameter }
            && !_structs.ContainsKey(parameter)
            && ScalarTypes.FromParameter(parameter.Type).Kind is null;

        /// <summary><c>var q = p;</c>: a local copy of a struct names the same leaves (structs are read-only here). False for any other declaration.</summary>
        private bool TryDeclareStructCopy(IVariableDeclaratorOperation declarator, ILocalSymbol local)
        {
            if (local.IsRef || local.Type.TypeKind != TypeKind.Struct) return false;
            var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
            if (initializer?.Value is not { } value) return false;
            if (StructOf(WithoutIdentity(value)) is not { } view) return false;
            _structs[local] = view;
            return true;
        }

        /// <summary>
        /// <c>var (slope, intercept) = p;</c> on a positional record struct: its own (compiler-generated) Deconstruct
        /// gives the members of its primary constructor, in order. Null when the struct has no such Deconstruct (reported).
        /// </summary>
        private List<Expr>? DeconstructStruct(IOperation operation, StructView view)
        {
            var deconstruct = operation.Type?.GetMembers("Deconstruct").OfType<IMethodSymbol>().FirstOrDefault(m => m.IsImplicitlyDeclared && !m.IsStatic);
            var values = new List<Expr>();
            foreach (var parameter in deconstruct?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty)
            {
                if (!view.Members.TryGetValue(parameter.Name, out var member) || member is not SyntheticVariable leaf) break;
                values.Add(_env[leaf] ?? throw new AbortException());
            }

            if (deconstruct is not null && values.Count == deconstruct.Parameters.Length) return values;
            ReportUnsupportedExpression(
                operation,
                "Deconstructing the struct '" + Shorten(operation.Syntax.ToString()) + "'",
                "only a positional record struct's own Deconstruct of double or float members is followed; read the members instead (var a = p.A;)");
            return null;
        }

        /// <summary>Reports an assignment to a struct parameter or a copy of one: structs are read-only in a [Differentiable] method.</summary>
        private bool ReportStructWrite(IOperation target)
        {
            if (StructOf(target) is null) return false;
            ReportUnsupportedExpression(
                target.Parent ?? target,
                "Assigning the struct '" + Shorten(target.Syntax.ToString()) + "'",
                "a struct parameter and its copies are read-only in a [Differentiable] method; copy the members you change into double or float locals");
            return true;
        }

        /// <summary>
        /// Notes a struct argument for <see cref="Inline"/>: true when noted, false when the parameter takes a struct
        /// but the argument is none the lowering follows (reported), null for an argument of any other type.
        /// </summary>
        private bool? TryStructArgument(IArgumentOperation argument, out StructView? view)
        {
            var value = WithoutIdentity(argument.Value);
            view = null;
            if (argument.Parameter is null) return null;
            view = StructOf(value);
            if (view is not null) return true;

            var type = argument.Parameter.Type;
            if (_callerType is null || StructTypes.Describe(type, _callerType, _semanticModel.Compilation, 0).Model is null) return null;
            if (IsRejectedParameter(value)) return false;
            ReportUnsupportedExpression(
                argument,
                "Passing '" + Shorten(value.Syntax.ToString()) + "' (of struct type '" + type.Name + "') to '" + ((IMethodSymbol)argument.Parameter.ContainingSymbol).Name + "'",
                "a struct argument must be a struct parameter of the method or a copy of one; pass its members as double or float arguments instead");
            return false;
        }

        /// <summary>The operand of an implicit identity conversion (a struct passed or copied as its own type), or the operation itself.</summary>
        private static IOperation WithoutIdentity(IOperation operation) =>
            operation is IConversionOperation { IsImplicit: true, Conversion.IsIdentity: true } identity ? identity.Operand : operation;

        /// <summary>Whether a lowered argument is a struct.</summary>
        private static bool IsStructArgument(Argument argument) => argument.Struct is not null;

        /// <summary>
        /// A call with a struct argument: inlined when the callee's source is here (so its struct parameter reads the
        /// caller's leaves); any other call cannot take a struct the IR has taken apart (reported).
        /// </summary>
        private Expr LowerStructCall(IInvocationOperation invocation, IMethodSymbol method, ScalarKind kind, List<Argument> args, List<Stmt> output)
        {
            bool recursive = _callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition));
            if (recursive || !HasInlinableBody(invocation))
            {
                var structArgument = invocation.Arguments.First(a => a.Parameter is { } p && args.Any(x => IsStructArgument(x) && SymbolEqualityComparer.Default.Equals(x.Parameter, p)));
                Report(
                    DiagnosticDescriptors.CalleeNotDifferentiable,
                    invocation.Syntax.GetLocation(),
                    method.Name,
                    "the struct '" + Shorten(structArgument.Value.Syntax.ToString()) + "' can only be passed to a static helper whose source is in this compilation and that does not call itself, "
                    + "which the generator follows into; pass the struct's members as double or float arguments instead");
                return Placeholder(kind);
            }

            return Inline(invocation, method, kind, args, output)!;
        }
    }
}
