using AutoGrad.CodeAnalysis.Helpers;

// The intermediate representation of a [Differentiable] method: plain, structurally equatable records,
// with no Roslyn symbol, syntax node or location in them, so the incremental pipeline can cache them.
//
// Expressions are trees. The parse stage hoists every *active* operation (one whose value depends on a
// differentiable input) into its own LetStmt with atomic operands (three-address form), so the
// differentiate stage sees one operation per active statement. Inactive values (constants, integer
// indices, comparisons, [NoGrad] data) stay as trees.
//
// Straight-line code is in SSA form: each assignment to a user variable defines a fresh name. Control
// flow is structured: an IfStmt either contains no return (a "join" if, whose results flow on through
// its Merges) or is the last statement of its block with every path ending in a ReturnStmt (a
// "terminal" if).
namespace AutoGrad.CodeAnalysis.Model
{
    /// <summary>The value types the IR knows.</summary>
    internal enum ScalarKind
    {
        Double,
        Float,
        Int32,
        Int64,
        Boolean,

        /// <summary>
        /// The floating-point type parameter of a generic method (<c>T</c> in <c>F&lt;T&gt;(T x) where T :
        /// IFloatingPointIeee754&lt;T&gt;</c>). Its C# text is <see cref="Parsing.GenericMath.Marker"/>, which the
        /// emitter replaces with the type parameter's name (<see cref="MethodModel.Generic"/>).
        /// </summary>
        Generic,
    }

    internal enum UnaryOp
    {
        Negate,
        LogicalNot,
        BitwiseNot,
    }

    internal enum BinaryOp
    {
        Add,
        Subtract,
        Multiply,
        Divide,
        Remainder,
        Equal,
        NotEqual,
        LessThan,
        LessThanOrEqual,
        GreaterThan,
        GreaterThanOrEqual,
        ConditionalAnd,
        ConditionalOr,
        And,
        Or,
        ExclusiveOr,
        LeftShift,
        RightShift,
    }

    /// <summary>
    /// The System.Math / System.MathF functions with a derivative rule, and the <c>double</c> / <c>float</c>
    /// static methods (<c>ExpM1</c>, <c>Hypot</c>, …). Each name is the method's name.
    /// </summary>
    internal enum MathFunction
    {
        Exp,
        Log,
        Log10,
        Log2,
        Sqrt,
        Cbrt,
        Pow,
        Sin,
        Cos,
        Tan,
        Asin,
        Acos,
        Atan,
        Atan2,
        Sinh,
        Cosh,
        Tanh,
        Abs,
        Max,
        Min,
        Clamp,
        Asinh,
        Acosh,
        Atanh,
        FusedMultiplyAdd,
        ScaleB,
        IEEERemainder,
        CopySign,
        ReciprocalSqrtEstimate,
        Hypot,
        ExpM1,
        LogP1,
        Exp2,
        Exp10,
    }

    /// <summary>
    /// Which type a math call goes through: <c>System.Math</c>, <c>System.MathF</c>, or for methods that only
    /// <c>double</c> and <c>float</c> have (<c>ExpM1</c>, <c>Hypot</c>, …) <c>double</c> or <c>float</c>.
    /// </summary>
    internal enum MathClass
    {
        Math,
        MathF,
        Double,
        Single,

        /// <summary>The static abstract members of the generic-math interfaces, called on the type parameter: <c>T.Exp(x)</c>.</summary>
        TypeParameter,
    }

    internal abstract record Expr(ScalarKind Type);

    /// <summary>A reference to a parameter or an SSA variable.</summary>
    internal sealed record VarExpr(string Name, ScalarKind Type) : Expr(Type);

    /// <summary>
    /// A value that is constant for the generated method: C# text such as <c>2.0</c>, <c>0.5f</c>,
    /// <c>3</c>, <c>true</c>, <c>double.PositiveInfinity</c>, <c>global::System.Math.PI</c>, or a read of a
    /// static field. Formatted with the invariant culture.
    /// </summary>
    internal sealed record LitExpr(string Text, ScalarKind Type) : Expr(Type);

    internal sealed record UnaryExpr(UnaryOp Op, Expr Operand, ScalarKind Type) : Expr(Type);

    internal sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right, ScalarKind Type) : Expr(Type);

    /// <summary>A call of a function that has a derivative rule.</summary>
    internal sealed record MathCallExpr(MathFunction Function, MathClass Class, EquatableArray<Expr> Args, ScalarKind Type)
        : Expr(Type);

    /// <summary>
    /// A call of any other static method, by its fully qualified name (<c>global::System.Math.Floor</c>);
    /// never differentiated through.
    /// </summary>
    internal sealed record CallExpr(string Target, EquatableArray<Expr> Args, ScalarKind Type) : Expr(Type);

    /// <summary>
    /// A call of a method whose derivative is a pullback: a method with the shape of a generated Backward
    /// (the method's parameters, then a gradient per differentiable parameter, then the seed). The forward
    /// pass calls <see cref="Target"/>; the reverse pass calls <see cref="Pullback"/> with the call's gradient
    /// as the seed. Used for recursion, for [Differentiable] methods in other assemblies and for custom
    /// derivatives ([DerivativeOf]); calls whose source is visible are inlined instead.
    /// </summary>
    internal sealed record PullbackCallExpr(string Target, string Pullback, EquatableArray<CallArgument> Arguments, ScalarKind Type) : Expr(Type);

    /// <summary>One argument of a <see cref="PullbackCallExpr"/>.</summary>
    /// <param name="Value">An atomic scalar, or an <see cref="ArrayRefExpr"/> for an array or span argument.</param>
    /// <param name="HasGradient">Whether the callee's parameter is differentiable, so that the pullback has a gradient for it.</param>
    /// <param name="ParameterType">The type of the callee's parameter (its element type for an array).</param>
    internal sealed record CallArgument(Expr Value, bool HasGradient, ScalarKind ParameterType);

    /// <summary>An array or span (a parameter or a local array) passed whole to a call; typed by its element.</summary>
    internal sealed record ArrayRefExpr(string Array, ScalarKind Type) : Expr(Type);

    /// <summary>What a <see cref="TapeExpr"/> does to its tape.</summary>
    internal enum TapeOp
    {
        /// <summary>Saves the operand (forward pass).</summary>
        Push,

        /// <summary>Takes back the value saved last (reverse pass); its value is that value.</summary>
        Pop,

        /// <summary>Saves every element of the array or span operand.</summary>
        PushAll,

        /// <summary>Restores the array or span operand's elements saved by the matching <see cref="PushAll"/>.</summary>
        PopAll,

        /// <summary>Gives the tape's pooled memory back (at the end of the method).</summary>
        Dispose,
    }

    /// <summary>
    /// An operation on tape <see cref="Tape"/>, the stack of <see cref="Expr.Type"/> values that a reverse pass
    /// reads back (<c>AutoGrad.Tape&lt;T&gt;</c>): typed, so that a later transform can recognise what is saved
    /// and restored rather than parse call text.
    /// </summary>
    internal sealed record TapeExpr(string Tape, TapeOp Op, Expr? Operand, ScalarKind Type) : Expr(Type);

    /// <summary><c>out T name</c> (or <c>out _</c> when <see cref="Name"/> is null): an argument that receives a gradient.</summary>
    internal sealed record OutArgExpr(string? Name, ScalarKind Type) : Expr(Type);

    /// <summary>An explicit conversion of <see cref="Operand"/> to <see cref="Expr.Type"/>.</summary>
    internal sealed record ConvertExpr(Expr Operand, ScalarKind Type) : Expr(Type);

    /// <summary>Reads element <see cref="Index"/> of the array or span parameter <see cref="Array"/>.</summary>
    internal sealed record ElementExpr(string Array, Expr Index, ScalarKind Type) : Expr(Type);

    /// <summary>The length of the array or span parameter <see cref="Array"/>.</summary>
    internal sealed record LengthExpr(string Array) : Expr(ScalarKind.Int32);

    /// <summary>The conditional operator over inactive values (active ones are lowered to an IfStmt).</summary>
    internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, Expr WhenFalse, ScalarKind Type) : Expr(Type);

    /// <summary>The source statement an IR statement came from: 1-based line and the statement's text on one line.</summary>
    internal sealed record SourceInfo(int Line, string Text)
    {
        /// <summary>For statements that no source statement produced (the checks and tapes a Backward starts with).</summary>
        public static readonly SourceInfo None = new(0, string.Empty);
    }

    internal abstract record Stmt(SourceInfo Source);

    /// <summary>
    /// Defines the SSA variable <see cref="Name"/> (type <c>Value.Type</c>). When <see cref="IsActive"/>,
    /// <see cref="Value"/> is a single operation whose operands are atomic (variables, literals, or a
    /// conversion of an integer variable or literal), or a plain copy of a variable.
    /// </summary>
    internal sealed record LetStmt(string Name, Expr Value, bool IsActive, SourceInfo Source) : Stmt(Source);

    /// <summary>
    /// A variable defined by a join if: declared before it, assigned <see cref="WhenTrue"/> at the end of the
    /// then branch and <see cref="WhenFalse"/> at the end of the else branch (SSA's phi).
    /// </summary>
    internal sealed record Merge(string Name, ScalarKind Type, bool IsActive, Expr WhenTrue, Expr WhenFalse);

    internal sealed record IfStmt(Expr Condition, Block Then, Block Else, EquatableArray<Merge> Merges, SourceInfo Source)
        : Stmt(Source);

    internal sealed record ReturnStmt(Expr Value, SourceInfo Source) : Stmt(Source);

    /// <summary>
    /// Declares a local array of <see cref="Length"/> elements of <see cref="Element"/> type, on the stack
    /// (<c>stackalloc</c>) or the heap (<c>new</c>). Only at the top level of a block outside loops and joins.
    /// </summary>
    internal sealed record LocalArrayStmt(string Name, ScalarKind Element, Expr Length, bool OnStack, SourceInfo Source) : Stmt(Source);

    /// <summary>
    /// Sets every element of local array <see cref="Array"/> to zero: what a declaration inside a loop or a
    /// branch does each time it runs, once the array itself is declared before them. Its reverse discards the
    /// elements' gradients (constants have none).
    /// </summary>
    internal sealed record ClearStmt(string Array, SourceInfo Source) : Stmt(Source);

    /// <summary>Writes <see cref="Value"/> (atomic) to element <see cref="Index"/> (atomic) of local array <see cref="Array"/>.</summary>
    internal sealed record StoreStmt(string Array, Expr Index, Expr Value, SourceInfo Source) : Stmt(Source);

    /// <summary>
    /// A statement of the forward pass only, without a derivative: a <c>throw</c>, an argument check such as
    /// <c>ArgumentOutOfRangeException.ThrowIfNegative(n, "n")</c>, or <c>Debug.Assert(…)</c>. Its C# text is
    /// <see cref="Text"/>[0], <see cref="Values"/>[0], <see cref="Text"/>[1], … ending with the last text (one
    /// more text than values); the values are inactive reads of SSA variables (their values, never a gradient),
    /// so renaming renames them.
    /// </summary>
    internal sealed record EffectStmt(EquatableArray<string> Text, EquatableArray<Expr> Values, SourceInfo Source) : Stmt(Source);

    /// <summary>
    /// A variable a loop changes (SSA's phi at the loop header): <see cref="Name"/> holds <see cref="Init"/>
    /// before the first iteration and takes <see cref="Next"/> at the end of each; after the loop it holds
    /// its last value.
    /// </summary>
    internal sealed record Carried(string Name, ScalarKind Type, bool IsActive, Expr Init, Expr Next);

    /// <summary>
    /// A loop: each iteration runs <see cref="Condition"/>'s statements, leaves if <see cref="Test"/> is
    /// false, runs <see cref="Body"/> (whose values are SSA within one iteration), then updates the carried
    /// variables. <see cref="CountName"/> names the iteration counter the reverse sweep replays.
    /// </summary>
    /// <param name="TestAtEnd">A do loop: the body runs once before the first test.</param>
    internal sealed record LoopStmt(
        EquatableArray<Carried> Carried,
        Block Condition,
        Expr Test,
        Block Body,
        bool TestAtEnd,
        string CountName,
        SourceInfo Source) : Stmt(Source);

    // ---- imperative statements ---------------------------------------------------------------------
    //
    // The statements above are the primal method in SSA form. A transform's output is ordinary imperative
    // code: variables declared once and then assigned or accumulated into, loops left by break, the reverse
    // replay of a loop, tape operations, checks. These statements are that code, in the same Block as the
    // primal statements, so that a Backward's body is one more Block a later transform (forward mode over
    // the reverse pass) can read. The emit stage prints every statement kind of this file.

    /// <summary>How an <see cref="AssignStmt"/> writes its target.</summary>
    internal enum AssignKind
    {
        /// <summary><c>target = value</c>.</summary>
        Assign,

        /// <summary><c>target += value</c>: a contribution to an adjoint (the chain rule's sum over uses).</summary>
        Add,

        /// <summary><c>target -= value</c>.</summary>
        Subtract,
    }

    /// <summary>
    /// Declares the mutable variable <see cref="Name"/>, with the initial <see cref="Value"/> or unassigned when it
    /// is null. <see cref="Comment"/> is a note printed after it (a rule's teaching note).
    /// </summary>
    internal sealed record DeclareStmt(string Name, ScalarKind Type, Expr? Value, string? Comment, SourceInfo Source) : Stmt(Source);

    /// <summary>Writes <see cref="Value"/> into variable <see cref="Target"/>, or into its element <see cref="Index"/> when that is set.</summary>
    internal sealed record AssignStmt(string Target, Expr? Index, AssignKind Kind, Expr Value, string? Comment, SourceInfo Source) : Stmt(Source);

    /// <summary>Evaluates <see cref="Value"/> for its effect: a tape operation, a pullback call.</summary>
    internal sealed record ExprStmt(Expr Value, SourceInfo Source) : Stmt(Source);

    /// <summary>Runs <see cref="Body"/> until a <see cref="BreakStmt"/> leaves it (<c>while (true)</c>).</summary>
    internal sealed record RepeatStmt(Block Body, SourceInfo Source) : Stmt(Source);

    /// <summary>Leaves the innermost <see cref="RepeatStmt"/>.</summary>
    internal sealed record BreakStmt(SourceInfo Source) : Stmt(Source);

    /// <summary>
    /// Runs <see cref="Body"/> while the integer variable <see cref="Count"/> is positive, decreasing it after each
    /// run: a loop's iterations replayed last first.
    /// </summary>
    internal sealed record ReverseLoopStmt(string Count, Block Body, SourceInfo Source) : Stmt(Source);

    /// <summary>
    /// Declares the gradient of a local array, zeroed: <see cref="Name"/> with <see cref="Length"/> elements, on the
    /// stack when <see cref="OnStack"/>, otherwise in an array <see cref="Rented"/> from the shared pool.
    /// </summary>
    internal sealed record GradientArrayStmt(string Name, ScalarKind Element, Expr Length, bool OnStack, string? Rented, SourceInfo Source) : Stmt(Source);

    /// <summary>Declares tape <see cref="Name"/> of <see cref="Type"/> values, starting in the stack memory <see cref="Buffer"/>.</summary>
    internal sealed record TapeStmt(string Name, string Buffer, ScalarKind Type, SourceInfo Source) : Stmt(Source);

    /// <summary>Throws <c>ArgumentException</c> unless the gradient buffer <see cref="Gradient"/> is as long as <see cref="Input"/>.</summary>
    internal sealed record CheckLengthStmt(string Gradient, string Input, SourceInfo Source) : Stmt(Source);

    /// <summary>A whole-line comment.</summary>
    internal sealed record CommentStmt(string Text, SourceInfo Source) : Stmt(Source);

    internal sealed record Block(EquatableArray<Stmt> Statements)
    {
        public static readonly Block Empty = new(EquatableArray<Stmt>.Empty);
    }

    /// <summary>A parameter of the differentiated method.</summary>
    /// <param name="Name">The name as declared, without a verbatim <c>@</c>.</param>
    /// <param name="GradientName">The name of its <c>out</c> gradient, or null when it is not differentiated.</param>
    /// <param name="Type">The type, or for an array or span its element type.</param>
    /// <param name="Shape">Whether it is a scalar, an array or a span.</param>
    /// <param name="Struct">For a struct parameter (a parameter bundle), its members and their variables; otherwise null.</param>
    /// <param name="Matrix">For a matrix or jagged array parameter, the names of its flat view (see <see cref="MatrixView"/>).</param>
    internal sealed record ParameterModel(string Name, ScalarKind Type, string? GradientName, ArrayShape Shape = ArrayShape.None, StructModel? Struct = null, MatrixView? Matrix = null);

    /// <summary>
    /// A shorter overload of the Backward for a method whose trailing parameters have default values: it takes
    /// the first <see cref="Kept"/> parameters, the gradients and the seed, and passes <see cref="Omitted"/> (C#
    /// text of the default values, in order) for the parameters after them.
    /// </summary>
    internal sealed record ShortForm(int Kept, EquatableArray<string> Omitted);

    /// <summary>How a parameter holds its values.</summary>
    internal enum ArrayShape
    {
        None,
        Array,
        ReadOnlySpan,
        Span,

        /// <summary>A rectangular array <c>T[,]</c>, read through a flat row-major view (<see cref="MatrixView"/>).</summary>
        Matrix,

        /// <summary>A jagged array <c>T[][]</c>, read through a flat copy of its rows (<see cref="MatrixView"/>).</summary>
        Jagged,
    }

    /// <summary>A type that contains the method, as needed to re-open it as a partial declaration.</summary>
    /// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
    /// <param name="Name">The name, without a verbatim <c>@</c>.</param>
    /// <param name="TypeParameters">The type parameter names, empty when the type is not generic.</param>
    internal sealed record ContainingType(string Keyword, string Name, EquatableArray<string> TypeParameters);

    /// <summary>Everything the later stages need about one [Differentiable] method.</summary>
    /// <param name="Namespace">The namespace, or null for the global namespace.</param>
    /// <param name="ContainingTypes">Outermost first.</param>
    /// <param name="Accessibility">C# accessibility keywords of the method, e.g. <c>public</c> or <c>private protected</c>.</param>
    /// <param name="DocumentationSignature">The method as a cref, e.g. <c>F(double, double)</c>.</param>
    /// <param name="ReservedNames">Every identifier the body uses or declares, sorted; generated names avoid them.</param>
    /// <param name="HintName">The unique file name for the generated source.</param>
    /// <param name="IsExtension">An extension method (<c>this</c> on its first parameter): so is its Backward.</param>
    /// <param name="ShortForms">The shorter Backward overloads that leave out defaulted trailing parameters, longest first.</param>
    /// <param name="Rejection">
    /// Null for a method that can be differentiated. Otherwise why it cannot (its body is then empty): the
    /// generator emits a stub Backward that throws with this reason, so that its call sites still compile and
    /// only the method itself carries the error the analyzer reports.
    /// </param>
    /// <param name="WrittenInputs">The array and span parameters the method writes (works in place on), in order.</param>
    internal sealed record MethodModel(
        string? Namespace,
        EquatableArray<ContainingType> ContainingTypes,
        string Accessibility,
        string Name,
        string BackwardName,
        string DocumentationSignature,
        ScalarKind ReturnType,
        EquatableArray<ParameterModel> Parameters,
        string SeedName,
        Block Body,
        EquatableArray<string> ReservedNames,
        string HintName,
        bool IsExtension = false,
        EquatableArray<ShortForm> ShortForms = default,
        string? Rejection = null,
        EquatableArray<string> WrittenInputs = default)
    {
        /// <summary>For a method over a floating-point type parameter: its name and constraints; null otherwise.</summary>
        public GenericSignature? Generic { get; init; }
    }

    /// <summary>
    /// What a Backward over a floating-point type parameter adds to its declaration.
    /// </summary>
    /// <param name="TypeParameter">The type parameter's name, which replaces <see cref="Parsing.GenericMath.Marker"/> in the generated text.</param>
    /// <param name="TypeParameterList">The method's own <c>&lt;T&gt;</c>, or empty when the type parameter is the containing type's.</param>
    /// <param name="Constraints">The method's <c>where</c> clauses, fully qualified, or empty.</param>
    internal sealed record GenericSignature(string TypeParameter, string TypeParameterList, string Constraints);
}
