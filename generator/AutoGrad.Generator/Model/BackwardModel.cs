using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;

// The adjoint IR: the body of a generated Backward method as structured statements over IR expressions.
// The differentiate stage builds it; the emit stage only prints it.
namespace AutoGrad.Generator.Model
{
    internal enum AssignKind
    {
        Assign,
        AddAssign,
        SubtractAssign,
    }

    internal abstract record CodeStmt;

    /// <summary><c>type name = value; // comment</c>, or <c>type name;</c> when <see cref="Value"/> is null.</summary>
    internal sealed record DeclareCode(string Name, ScalarKind Type, Expr? Value, string? Comment) : CodeStmt;

    /// <summary><c>name = value;</c>, <c>name += value;</c> or <c>name -= value;</c>; <c>name[index] …</c> when <see cref="Index"/> is set.</summary>
    internal sealed record AssignCode(string Name, Expr Value, AssignKind Kind, string? Comment, Expr? Index = null) : CodeStmt;

    /// <summary><c>while (true) { … }</c>, left by <see cref="BreakCode"/>.</summary>
    internal sealed record LoopCode(EquatableArray<CodeStmt> Body) : CodeStmt;

    internal sealed record BreakCode : CodeStmt;

    /// <summary><c>for (; count &gt; 0; count--) { … }</c>: a loop's iterations replayed last first.</summary>
    internal sealed record ReverseLoopCode(string Count, EquatableArray<CodeStmt> Body) : CodeStmt;

    /// <summary>An expression evaluated for its effect, such as a tape's <c>Push</c>.</summary>
    internal sealed record ExpressionCode(Expr Value) : CodeStmt;

    /// <summary>Throws <c>ArgumentException</c> unless gradient buffer <see cref="Gradient"/> is as long as <see cref="Input"/>.</summary>
    internal sealed record CheckLengthCode(string Gradient, string Input) : CodeStmt;

    /// <summary>
    /// Declares a local array and its adjoint (zeroed): both on the stack, or the array on the heap as the user
    /// wrote it and its adjoint in an array rented from the pool as <see cref="Rented"/>.
    /// </summary>
    internal sealed record ArrayCode(string Name, string Adjoint, ScalarKind Element, Expr Length, bool OnStack, string? Rented) : CodeStmt;

    /// <summary>Declares tape <see cref="Name"/> of <see cref="Type"/> values, starting in the stack memory <see cref="Buffer"/>.</summary>
    internal sealed record TapeCode(string Name, string Buffer, ScalarKind Type) : CodeStmt;

    internal sealed record IfCode(Expr Condition, EquatableArray<CodeStmt> Then, EquatableArray<CodeStmt> Else) : CodeStmt;

    internal sealed record ReturnCode(Expr Value) : CodeStmt;

    /// <summary>A whole-line comment.</summary>
    internal sealed record CommentCode(string Text) : CodeStmt;

    /// <summary>A parameter of the generated method.</summary>
    /// <param name="DefaultValue">C# text of the default value, or null.</param>
    /// <param name="Documentation">The text of its <c>param</c> documentation element (already XML-escaped).</param>
    internal sealed record BackwardParameter(string Name, ScalarKind Type, bool IsOut, string? DefaultValue, string Documentation, ArrayShape Shape = ArrayShape.None);

    /// <summary>Everything the emitter needs to write one generated method and the types around it.</summary>
    /// <param name="InternalError">Set when differentiation failed unexpectedly: the generator reports it and emits nothing.</param>
    internal sealed record BackwardModel(
        string? Namespace,
        EquatableArray<ContainingType> ContainingTypes,
        string Accessibility,
        string Name,
        string OriginalName,
        string DocumentationSignature,
        ScalarKind ReturnType,
        EquatableArray<BackwardParameter> Parameters,
        EquatableArray<CodeStmt> Body,
        string HintName,
        string? InternalError);
}
