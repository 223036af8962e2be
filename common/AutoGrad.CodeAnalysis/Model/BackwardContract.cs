using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Parsing;

namespace AutoGrad.CodeAnalysis.Model
{
    /// <summary>What one parameter of a generated Backward method is for.</summary>
    internal enum SlotKind
    {
        /// <summary>A parameter of the original method, passed through to the forward computation.</summary>
        Input,

        /// <summary><c>out T dX</c>: receives the gradient of a scalar parameter.</summary>
        OutGradient,

        /// <summary><c>Span&lt;T&gt; dW</c>: the gradient of an array or span parameter is added into it (<c>T[,] dW</c> for a matrix, <c>T[][] dJ</c> for a jagged array).</summary>
        GradientBuffer,

        /// <summary><c>T seed = 1</c>: the gradient flowing into the result from further on.</summary>
        Seed,
    }

    /// <summary>One parameter of a generated Backward method.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="Kind">What it is for.</param>
    /// <param name="Type">Its scalar type, or an array's or span's element type.</param>
    /// <param name="Shape">Scalar, array, read-only span or span.</param>
    /// <param name="Of">The index of the original parameter it belongs to, or -1 for the seed.</param>
    /// <param name="TypeName">For a struct parameter and its gradient, the struct's C# name (<c>global::Ns.Params</c>); otherwise null.</param>
    internal sealed record ContractSlot(string Name, SlotKind Kind, ScalarKind Type, ArrayShape Shape, int Of, string? TypeName = null);

    /// <summary>
    /// The generated contract of a differentiable method, in one place: the Backward's name and its parameter
    /// list (the original parameters; then, in the same order, an <c>out</c> gradient per differentiable scalar
    /// or struct (of the struct's type) and a <c>Span</c> buffer per differentiable array or span; then <c>seed</c>). The generator writes it,
    /// the parser checks names against it, calls through a pullback and custom derivatives ([DerivativeOf])
    /// are matched against it, and the analyzers and code fixes spell it out from it.
    /// </summary>
    internal static class BackwardContract
    {
        public const string Suffix = "Backward";
        public const string SeedName = "seed";

        /// <summary>The Backward method's name for method <paramref name="method"/>.</summary>
        public static string NameOf(string method) => method + Suffix;

        /// <summary>The Backward's parameters, in order.</summary>
        public static EquatableArray<ContractSlot> Slots(IReadOnlyList<ParameterModel> parameters, ScalarKind returnType)
        {
            var slots = new List<ContractSlot>();
            for (int i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                slots.Add(new ContractSlot(p.Name, SlotKind.Input, p.Type, p.Shape, i, p.Struct?.TypeName));
            }

            for (int i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                if (p.GradientName is null) continue;
                slots.Add(p.Shape == ArrayShape.None
                    ? new ContractSlot(p.GradientName, SlotKind.OutGradient, p.Type, ArrayShape.None, i, p.Struct?.TypeName)
                    : new ContractSlot(p.GradientName, SlotKind.GradientBuffer, p.Type, GradientShape(p.Shape), i));
            }

            slots.Add(new ContractSlot(SeedName, SlotKind.Seed, returnType, ArrayShape.None, -1));
            return slots.ToEquatableArray();
        }

        /// <summary>The shape of the gradient buffer for a parameter of shape <paramref name="shape"/>: a matrix's is a matrix, a jagged array's a jagged array, any other's a span.</summary>
        public static ArrayShape GradientShape(ArrayShape shape) => shape is ArrayShape.Matrix or ArrayShape.Jagged ? shape : ArrayShape.Span;

        /// <summary>How many parameters the Backward has.</summary>
        public static int Count(IReadOnlyList<ParameterModel> parameters) =>
            parameters.Count + parameters.Count(p => p.GradientName is not null) + 1;

        /// <summary>C# text of one slot's declaration, e.g. <c>out double dX</c> or <c>System.Span&lt;double&gt; dW</c>.</summary>
        public static string Declaration(ContractSlot slot)
        {
            string type = slot.TypeName ?? slot.Shape switch
            {
                ArrayShape.Array => slot.Type.Keyword() + "[]",
                ArrayShape.ReadOnlySpan => "System.ReadOnlySpan<" + slot.Type.Keyword() + ">",
                ArrayShape.Span => "System.Span<" + slot.Type.Keyword() + ">",
                ArrayShape.Matrix => slot.Type.Keyword() + "[,]",
                ArrayShape.Jagged => slot.Type.Keyword() + "[][]",
                _ => slot.Type.Keyword(),
            };
            string text = (slot.Kind == SlotKind.OutGradient ? "out " : string.Empty) + type + " " + slot.Name;
            if (slot.Kind != SlotKind.Seed || SeedDefault(slot.Type) is not { } seedDefault) return text;
            return text + " = " + seedDefault;
        }

        /// <summary>
        /// The C# text of the seed's default value for a method returning <paramref name="returnType"/>: one, or null for
        /// the type parameter (C# has no default value <c>T.One</c>; an overload without the seed passes it).
        /// </summary>
        public static string? SeedDefault(ScalarKind returnType) =>
            returnType == ScalarKind.Generic ? null : ScalarTypes.Literal(1, returnType).Text;

        /// <summary>The whole signature as C# text, e.g. <c>static double FBackward(double x, out double dX, double seed = 1.0)</c>.</summary>
        public static string Signature(string methodName, IReadOnlyList<ParameterModel> parameters, ScalarKind returnType) =>
            "static " + returnType.Keyword() + " " + NameOf(methodName) + "(" + string.Join(", ", Slots(parameters, returnType).Select(Declaration)) + ")";
    }
}
