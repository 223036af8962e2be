using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;

// The generated method: its signature and documentation, and its body as a Block of the common IR
// (AutoGrad.CodeAnalysis.Model), primal and imperative statements alike. The differentiate stage builds it;
// the emit stage only prints it.
namespace AutoGrad.Generator.Model
{
    /// <summary>A parameter of the generated method.</summary>
    /// <param name="DefaultValue">C# text of the default value, or null.</param>
    /// <param name="Documentation">The text of its <c>param</c> documentation element (already XML-escaped).</param>
    /// <param name="TypeName">For a struct parameter and its gradient, the struct's C# name; otherwise null (the type is <see cref="Type"/> and <see cref="Shape"/>).</param>
    internal sealed record BackwardParameter(string Name, ScalarKind Type, bool IsOut, string? DefaultValue, string Documentation, ArrayShape Shape = ArrayShape.None, string? TypeName = null);

    /// <summary>Everything the emitter needs to write one generated method and the types around it.</summary>
    /// <param name="IsExtension">Whether the Backward is an extension method (<c>this</c> on its first parameter).</param>
    /// <param name="ShortForms">Overloads that leave out defaulted trailing parameters of the original method.</param>
    /// <param name="InternalError">Set when differentiation failed unexpectedly: the generator reports it and emits nothing.</param>
    /// <param name="WrittenInputs">The parameters the method writes, for <c>[WritesArguments]</c> (see <see cref="MethodModel.WrittenInputs"/>).</param>
    /// <param name="Rejection">Set for a method that cannot be differentiated: why, for the stub that throws (see <see cref="MethodModel.Rejection"/>).</param>
    internal sealed record BackwardModel(
        string? Namespace,
        EquatableArray<ContainingType> ContainingTypes,
        string Accessibility,
        string Name,
        string OriginalName,
        string DocumentationSignature,
        ScalarKind ReturnType,
        EquatableArray<BackwardParameter> Parameters,
        Block Body,
        string HintName,
        string? InternalError,
        bool IsExtension = false,
        EquatableArray<ShortForm> ShortForms = default,
        string? Rejection = null,
        EquatableArray<string> WrittenInputs = default)
    {
        /// <summary>For a Backward over a floating-point type parameter: its name and constraints (see <see cref="MethodModel.Generic"/>).</summary>
        public GenericSignature? Generic { get; init; }
    }
}
