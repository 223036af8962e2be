using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Generic math: a method over one floating-point type parameter, <c>static T F&lt;T&gt;(T x) where T :
    /// IFloatingPointIeee754&lt;T&gt;</c>. Its values have <see cref="ScalarKind.Generic"/>, its math calls go
    /// through <see cref="MathClass.TypeParameter"/> (<c>T.Exp(x)</c>), and its Backward is generic with the
    /// same constraints.
    /// </summary>
    /// <remarks>
    /// The IR does not carry the type parameter's name: a value of the generic kind is written with
    /// <see cref="Marker"/>, and the emitter replaces the marker with the name
    /// (<see cref="GenericSignature.TypeParameter"/>) in the finished text. The marker cannot occur in C# the
    /// generator writes otherwise (guillemets are not C# tokens).
    /// </remarks>
    internal static class GenericMath
    {
        /// <summary>Stands for the type parameter's name in generated text: <c>«T».One</c>, <c>«T».Exp(x)</c>.</summary>
        public const string Marker = "\u00abT\u00bb";

        private const string NumericsNamespace = "System.Numerics";

        /// <summary>
        /// Whether <paramref name="type"/> is a type parameter whose constraints make it an IEEE 754 floating-point
        /// type: one of them is, or extends, <c>System.Numerics.IFloatingPointIeee754&lt;T&gt;</c> of itself.
        /// </summary>
        public static bool IsFloatingTypeParameter(ITypeSymbol? type)
        {
            if (type is not ITypeParameterSymbol parameter) return false;
            foreach (var constraint in parameter.ConstraintTypes)
            {
                if (IsIeee754Of(constraint, parameter)) return true;
                foreach (var inherited in constraint.AllInterfaces)
                {
                    if (IsIeee754Of(inherited, parameter)) return true;
                }
            }

            return false;
        }

        private static bool IsIeee754Of(ITypeSymbol type, ITypeParameterSymbol parameter) =>
            type is INamedTypeSymbol { Name: "IFloatingPointIeee754", TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == NumericsNamespace
            && SymbolEqualityComparer.Default.Equals(named.TypeArguments[0], parameter);

        /// <summary>
        /// Whether <paramref name="member"/> is a static member of a generic-math interface (<c>INumberBase&lt;T&gt;.One</c>,
        /// <c>IExponentialFunctions&lt;T&gt;.Exp</c>, an operator), reached through a floating-point type parameter.
        /// </summary>
        public static bool IsInterfaceMember(ISymbol? member) =>
            member is { IsStatic: true, ContainingType: { TypeKind: TypeKind.Interface } type }
            && type.ContainingNamespace?.ToDisplayString() == NumericsNamespace
            && type.TypeArguments.Length > 0
            && IsFloatingTypeParameter(type.TypeArguments[0]);

        /// <summary>Whether an operator is built in: no operator method, or one of the generic-math operator interfaces on the type parameter.</summary>
        public static bool IsBuiltInOperator(IMethodSymbol? operatorMethod) => operatorMethod is null || IsInterfaceMember(operatorMethod);

        /// <summary>
        /// The generic part of a method's Backward, or why the method's type parameters are not supported. A method
        /// with no floating-point type parameter in scope gets (null, null).
        /// </summary>
        public static (GenericSignature? Signature, string? Problem) Signature(IMethodSymbol method)
        {
            var outer = new List<ITypeParameterSymbol>();
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                outer.AddRange(type.TypeParameters.Where(IsFloatingTypeParameter));
            }

            if (method.TypeParameters.IsEmpty)
            {
                if (outer.Count == 0) return (null, null);
                if (outer.Count > 1) return (null, null); // its values have no one kind: reported where they are used
                return (new GenericSignature(outer[0].Name, string.Empty, string.Empty), null);
            }

            if (method.TypeParameters.FirstOrDefault(p => !IsFloatingTypeParameter(p)) is { } other)
            {
                return (null, "its type parameter '" + other.Name + "' is not a floating-point type; constrain it with 'where " + other.Name
                    + " : System.Numerics.IFloatingPointIeee754<" + other.Name + ">' to differentiate over it, or write the method for double or float");
            }

            if (method.TypeParameters.Length > 1)
            {
                return (null, "it has " + method.TypeParameters.Length + " type parameters; a generic [Differentiable] method has one, its floating-point type");
            }

            if (outer.Count > 0)
            {
                return (null, "both it and its containing type '" + method.ContainingType.Name + "' have a floating-point type parameter; use one of them");
            }

            var parameter = method.TypeParameters[0];
            return (new GenericSignature(parameter.Name, "<" + parameter.Name + ">", Constraints(parameter)), null);
        }

        /// <summary>The <c>where</c> clause of <paramref name="parameter"/>, fully qualified: the Backward accepts every type the method accepts.</summary>
        private static string Constraints(ITypeParameterSymbol parameter)
        {
            var parts = new List<string>();
            if (parameter.HasReferenceTypeConstraint) parts.Add("class");
            if (parameter.HasUnmanagedTypeConstraint) parts.Add("unmanaged");
            else if (parameter.HasValueTypeConstraint) parts.Add("struct");
            if (parameter.HasNotNullConstraint) parts.Add("notnull");
            parts.AddRange(parameter.ConstraintTypes.Select(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));
            if (parameter.HasConstructorConstraint) parts.Add("new()");
            return parts.Count == 0 ? string.Empty : "where " + parameter.Name + " : " + string.Join(", ", parts);
        }

        /// <summary><c>T.IsNormal(v)</c>: not zero, subnormal, infinite or NaN.</summary>
        public static Expr IsNormal(Expr value) =>
            new CallExpr(Marker + ".IsNormal", new Helpers.EquatableArray<Expr>(new[] { value }), ScalarKind.Boolean);

        /// <summary>The generated text with the marker replaced by the type parameter's name.</summary>
        public static string Substitute(string text, string typeParameter) => text.Replace(Marker, typeParameter);

        /// <summary>
        /// The function with a derivative rule that the generic-math member <paramref name="name"/> is: the
        /// names of <c>Math</c>, except <c>Ieee754Remainder</c> for <c>Math.IEEERemainder</c>.
        /// </summary>
        public static bool TryGetDifferentiable(string name, int arity, out MathFunction function)
        {
            if (name == "Ieee754Remainder" && arity == 2)
            {
                function = MathFunction.IEEERemainder;
                return true;
            }

            function = default;
            return name != "IEEERemainder" && MathFunctions.TryGetDifferentiable(name, arity, out function);
        }

        /// <summary>The name of <paramref name="function"/> on the type parameter.</summary>
        public static string MemberName(MathFunction function) => function == MathFunction.IEEERemainder ? "Ieee754Remainder" : function.ToString();

        /// <summary><c>«T».One</c>, <c>«T».Zero</c>, else <c>«T».CreateTruncating(2.5)</c>: a constant of the type parameter.</summary>
        public static string Constant(double value)
        {
            if (value == 0 && !(1 / value < 0)) return Marker + ".Zero";
            if (value == 1) return Marker + ".One";
            return Marker + ".CreateTruncating(" + ScalarTypes.FormatDouble(value) + ")";
        }

        /// <summary>The number a constant of the type parameter stands for (see <see cref="Constant"/>), if it is a plain one.</summary>
        public static bool TryGetNumber(string text, out double value)
        {
            value = 0;
            if (!text.StartsWith(Marker + ".", System.StringComparison.Ordinal)) return false;
            string member = text.Substring(Marker.Length + 1);
            switch (member)
            {
                case "Zero": value = 0; return true;
                case "One": value = 1; return true;
                case "NegativeOne": value = -1; return true;
            }

            foreach (var create in new[] { "CreateTruncating(", "CreateChecked(", "CreateSaturating(" })
            {
                if (member.StartsWith(create, System.StringComparison.Ordinal) && member.EndsWith(")", System.StringComparison.Ordinal))
                {
                    var inner = new LitExpr(member.Substring(create.Length, member.Length - create.Length - 1), ScalarKind.Double);
                    return inner.Text.IndexOf('(') < 0 && ScalarTypes.TryGetNumber(inner, out value);
                }
            }

            return false;
        }
    }
}
