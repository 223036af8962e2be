using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;

namespace AutoGrad.CodeAnalysis.Model
{
    /// <summary>
    /// A struct parameter (a parameter bundle): a struct whose members are <c>double</c> or <c>float</c> fields or
    /// auto-properties, or nested such structs, such as a <c>record struct Params(double Slope, double Intercept)</c>
    /// or <c>System.Numerics.Vector3</c>. The IR holds no structs: each leaf member is a scalar variable that the
    /// Backward reads from the parameter once, at its start, and the gradient comes back as a value of the same
    /// type, built from the leaves' gradients with an object initializer.
    /// </summary>
    /// <param name="TypeName">The type as C# text, fully qualified (<c>global::Ns.Params</c>).</param>
    /// <param name="DisplayName">The type as the user reads it in a cref or a message (<c>Ns.Params</c>).</param>
    /// <param name="Members">The members in declaration order.</param>
    internal sealed record StructModel(string TypeName, string DisplayName, EquatableArray<StructMember> Members);

    /// <summary>One settable member of a <see cref="StructModel"/>.</summary>
    /// <param name="Name">The field's or property's name.</param>
    /// <param name="Type">A leaf's scalar type (unused for a nested struct).</param>
    /// <param name="Nested">The member's own members when it is a struct, otherwise null.</param>
    /// <param name="Variable">A leaf's variable in the IR (<c>p_Slope</c>); empty until the parser names it.</param>
    /// <param name="Gradient">A leaf's gradient variable in the Backward (<c>dP_Slope</c>), or null when the parameter is [NoGrad].</param>
    internal sealed record StructMember(string Name, ScalarKind Type, StructModel? Nested, string Variable = "", string? Gradient = null);

    /// <summary>Helpers over <see cref="StructModel"/>.</summary>
    internal static class StructModels
    {
        /// <summary>The leaves (scalar members, nested structs flattened), in declaration order.</summary>
        public static IEnumerable<StructMember> Leaves(StructModel model)
        {
            foreach (var member in model.Members)
            {
                if (member.Nested is { } nested)
                {
                    foreach (var leaf in Leaves(nested)) yield return leaf;
                }
                else
                {
                    yield return member;
                }
            }
        }

        /// <summary>
        /// The model with its leaves named after <paramref name="parameter"/> (<c>p_Slope</c>, <c>p_Inner_X</c>) and,
        /// when <paramref name="gradient"/> is set, their gradients after it (<c>dP_Slope</c>), all fresh in <paramref name="names"/>.
        /// </summary>
        public static StructModel Named(StructModel model, string parameter, string? gradient, NameGenerator names) =>
            model with
            {
                Members = model.Members.Select(m => m.Nested is { } nested
                    ? m with { Nested = Named(nested, parameter + "_" + m.Name, gradient is null ? null : gradient + "_" + m.Name, names) }
                    : m with
                    {
                        Variable = names.Fresh(parameter + "_" + m.Name),
                        Gradient = gradient is null ? null : names.Fresh(gradient + "_" + m.Name),
                    }).ToEquatableArray(),
            };

        /// <summary>C# text of a value of the struct whose leaves are given by <paramref name="leaf"/>: <c>new global::Params { Slope = dP_Slope, … }</c>.</summary>
        public static string Initializer(StructModel model, System.Func<StructMember, string> leaf) =>
            "new " + model.TypeName + " { "
            + string.Join(", ", model.Members.Select(m => Identifiers.Escape(m.Name) + " = " + (m.Nested is { } nested ? Initializer(nested, leaf) : leaf(m))))
            + " }";

        /// <summary>C# text that reads each leaf of <paramref name="parameter"/>: <c>p.Slope</c>, <c>p.Inner.X</c>.</summary>
        public static IEnumerable<(StructMember Leaf, string Read)> Reads(StructModel model, string parameter)
        {
            foreach (var member in model.Members)
            {
                string read = parameter + "." + Identifiers.Escape(member.Name);
                if (member.Nested is { } nested)
                {
                    foreach (var inner in Reads(nested, read)) yield return inner;
                }
                else
                {
                    yield return (member, read);
                }
            }
        }
    }
}
