using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Struct parameters (parameter bundles): which struct types a [Differentiable] method can take, member by
    /// member, and why another type cannot be one. The generated code reads every member of the argument and
    /// builds the gradient with an object initializer (<c>new Params { Slope = …, Intercept = … }</c>), so each
    /// member must be a <c>double</c> or <c>float</c> (or a nested such struct) that the containing type can both
    /// read and set: a public or internal field that is not readonly, or an auto-property with a <c>set</c> or
    /// <c>init</c> accessor (a positional <c>record struct</c>'s properties are such).
    /// </summary>
    internal static class StructTypes
    {
        /// <summary>How deep nested structs may go: deeper is refused rather than followed.</summary>
        private const int MaxDepth = 8;

        /// <summary>
        /// Handles a parameter whose type is neither a scalar nor an array or span of them: accepts a struct the
        /// generator can take apart and rebuild, or reports why a struct or class cannot be one. False for any
        /// other type (the caller reports the general AG0004).
        /// </summary>
        public static bool TryAddParameter(
            IParameterSymbol parameter,
            Location location,
            Compilation compilation,
            List<ParameterModel> parameters,
            List<ScalarKind> parameterKinds,
            List<string> parameterTypes,
            List<Diagnostic> diagnostics)
        {
            var (model, reason) = Describe(parameter.Type, parameter.ContainingType, compilation, 0);
            if (model is null && reason is null) return false;
            if (model is null)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.UnsupportedParameterType,
                    location,
                    parameter.Name,
                    parameter.Type.ToDisplayString(),
                    reason));
                parameters.Add(MethodParser.ParameterModelOf(parameter, ScalarKind.Double, ArrayShape.None));
                parameterKinds.Add(ScalarKind.Double);
                parameterTypes.Add(parameter.Type.ToDisplayString());
                return true;
            }

            var kind = StructModels.Leaves(model).First().Type;
            parameters.Add(MethodParser.ParameterModelOf(parameter, kind, ArrayShape.None) with { Struct = model });
            parameterKinds.Add(kind);
            parameterTypes.Add(model.DisplayName);
            return true;
        }

        /// <summary>
        /// Names the leaves of every struct parameter (<c>p_Slope</c>, and <c>dP_Slope</c> for its gradient) so that
        /// they collide with no name in <paramref name="reserved"/>, and reserves them.
        /// </summary>
        public static void NameLeaves(List<ParameterModel> parameters, HashSet<string> reserved)
        {
            var names = new NameGenerator(reserved);
            for (int i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Struct is not { } model) continue;
                var named = StructModels.Named(model, parameters[i].Name, parameters[i].GradientName, names);
                parameters[i] = parameters[i] with { Struct = named };
                foreach (var leaf in StructModels.Leaves(named))
                {
                    reserved.Add(leaf.Variable);
                    if (leaf.Gradient is { } gradient) reserved.Add(gradient);
                }
            }
        }

        /// <summary>
        /// The struct model of <paramref name="type"/> (its leaves not yet named), or why it cannot be a struct
        /// parameter; both null when it is no struct or class this check speaks for.
        /// </summary>
        public static (StructModel? Model, string? Reason) Describe(ITypeSymbol type, ISymbol within, Compilation compilation, int depth)
        {
            if (type is not INamedTypeSymbol named || named.SpecialType != SpecialType.None || named.IsTupleType) return (null, null);
            if (named.TypeKind == TypeKind.Class && !named.IsStatic && named.DeclaringSyntaxReferences.Length > 0)
            {
                return (null, "it is a class (a reference type), whose gradient could not come back as a value of its own type; "
                    + "declare it as a 'struct' or 'record struct' of double or float members");
            }

            if (named.TypeKind != TypeKind.Struct || named.IsRefLikeType
                || named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return (null, null);
            }

            if (depth >= MaxDepth) return (null, "its structs nest too deeply; flatten them");

            foreach (var constructor in named.InstanceConstructors)
            {
                if (constructor.Parameters.IsEmpty && !constructor.IsImplicitlyDeclared && !compilation.IsSymbolAccessibleWithin(constructor, within))
                {
                    return (null, "its parameterless constructor is not accessible, so the generated code cannot create its gradient; make the constructor public or remove it");
                }
            }

            var members = new List<StructMember>();
            foreach (var field in named.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst) continue;
                var property = field.AssociatedSymbol as IPropertySymbol;
                string name = property?.Name ?? field.Name;
                string what = property is null ? "field '" + name + "'" : "property '" + name + "'";
                if (property is null && !compilation.IsSymbolAccessibleWithin(field, within))
                {
                    return (null, "its " + what + " is not accessible to the generated code, which reads and sets every member; make it public or internal");
                }

                if (property is not null
                    && (property.GetMethod is not { } getter || !compilation.IsSymbolAccessibleWithin(getter, within)
                        || property.SetMethod is not { } setter || !compilation.IsSymbolAccessibleWithin(setter, within)))
                {
                    return (null, "its " + what + " has no get and set (or init) accessor the generated code can use; give it public or internal 'get; set;' or 'get; init;' accessors");
                }

                if (property is null && field.IsReadOnly)
                {
                    return (null, "its " + what + " is readonly (set only by a constructor), so the generated code cannot build its gradient; make it a plain field or a '{ get; init; }' property");
                }

                if (ScalarTypes.From(field.Type) is { } kind)
                {
                    if (!kind.IsFloating())
                    {
                        return (null, "its " + what + " is of type '" + field.Type.ToDisplayString() + "'; a struct parameter holds double or float members only, so pass that value as a parameter of its own");
                    }

                    members.Add(new StructMember(name, kind, null));
                    continue;
                }

                var (nested, reason) = Describe(field.Type, within, compilation, depth + 1);
                if (nested is null)
                {
                    return (null, reason is null
                        ? "its " + what + " is of type '" + field.Type.ToDisplayString() + "'; a struct parameter holds double or float members, or structs of them, only"
                        : "its " + what + " has type '" + field.Type.ToDisplayString() + "': " + reason);
                }

                members.Add(new StructMember(name, ScalarKind.Double, nested));
            }

            if (members.Count == 0)
            {
                return (null, "it has no double or float members");
            }

            return (new StructModel(
                named.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                named.ToDisplayString(),
                members.ToEquatableArray()), null);
        }
    }
}
