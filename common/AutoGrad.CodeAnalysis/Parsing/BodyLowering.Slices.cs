using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Spans and slices: <c>x.AsSpan(start, length)</c>, <c>s.Slice(start)</c>, ranges <c>x[a..b]</c>, span locals
    /// (<c>var row = w.AsSpan(i * n, n)</c>, <c>Span&lt;double&gt; t = buffer</c>) and hat indices <c>x[^1]</c>.
    /// A slice is a view known while lowering: the array it is cut from, an offset and a length (int values bound
    /// to fresh variables when the slice is made, so that later changes of the variables they were computed from
    /// do not move it). Its element j is element offset + j of that array, so reads, writes and gradients go to
    /// the matching part of the array and of its gradient; nothing is copied.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        private const string SliceBoundsClass = "global::AutoGrad.SliceBounds";

        /// <summary>Span locals (and array locals made by a range), with where they were declared (see <see cref="Region"/>).</summary>
        private readonly Dictionary<ISymbol, (int Loops, int Joins)> _viewLocals = new(SymbolEqualityComparer.Default);

        /// <summary>
        /// An array or span the body reads (a parameter, a local array, a static table) or a slice of one.
        /// <see cref="Name"/> is always the IR name of the whole array; for a slice <see cref="Offset"/> and
        /// <see cref="Count"/> are set (atomic int values).
        /// </summary>
        private readonly record struct ArrayView(string Name, ScalarKind Element, bool Active, Expr? Offset = null, Expr? Count = null)
        {
            public static implicit operator ArrayView((string Name, ScalarKind Element, bool Active) array) =>
                new(array.Name, array.Element, array.Active);

            /// <summary>A part of the array rather than all of it.</summary>
            public bool IsSlice => Offset is not null;

        }

        /// <summary>Loops (the method's and those around an inlined call) and joins around the statement being lowered.</summary>
        private (int Loops, int Joins) Region => (_loopDepth + _outerLoopDepth, _joinDepth);

        /// <summary>
        /// The array or slice <paramref name="operation"/> denotes: a name (<see cref="ArrayOf"/>), or a slice of
        /// one, whose offset and length are computed (and bounds-checked) into <paramref name="output"/>. Null
        /// when it is neither; reported when it is a slice the generator cannot follow.
        /// </summary>
        private ArrayView? ViewOf(IOperation operation, List<Stmt> output)
        {
            var unwrapped = Unwrap(operation);
            switch (unwrapped)
            {
                case IParenthesizedOperation parenthesized:
                    return ViewOf(parenthesized.Operand, output);

                // x.AsSpan(), x.AsSpan(start), x.AsSpan(start, length), x.AsSpan(range)
                case IInvocationOperation { Instance: null, TargetMethod: { Name: "AsSpan", IsExtensionMethod: true } method } asSpan
                    when method.ContainingType?.ToDisplayString() == "System.MemoryExtensions" && asSpan.Arguments.Length >= 1
                         && ViewOf(asSpan.Arguments[0].Value, output) is { } parent:
                    return SliceByArguments(parent, asSpan, 1, output);

                // s.Slice(start), s.Slice(start, length)
                case IInvocationOperation { Instance: { } instance, TargetMethod.Name: "Slice" } slice
                    when ScalarTypes.FromParameter(instance.Type!).Shape is ArrayShape.Span or ArrayShape.ReadOnlySpan
                         && ViewOf(instance, output) is { } parent:
                    return SliceByArguments(parent, slice, 0, output);

                // s[a..b] on a span
                case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range } indexer
                    when ViewOf(indexer.Instance, output) is { } parent:
                    return SliceByRange(parent, range, indexer, output);

                // x[a..b] on an array: a copy in C#, the same values as a view while the array does not change.
                case IArrayElementReferenceOperation { Indices: [IRangeOperation range] } element
                    when ViewOf(element.ArrayReference, output) is { } parent:
                    if (_localArrayNames.Contains(parent.Name))
                    {
                        ReportUnsupportedExpression(
                            element,
                            "'" + Shorten(element.Syntax.ToString()) + "', a copy of part of a local array,",
                            "use a view of it instead: " + Shorten(element.ArrayReference.Syntax.ToString()) + ".AsSpan(" + Shorten(range.Syntax.ToString()) + ")");
                        return null;
                    }

                    return SliceByRange(parent, range, element, output);

                // J[i]: a row of a jagged array parameter
                case IArrayElementReferenceOperation { Indices: [var row] } element when row is not IRangeOperation && JaggedOf(element.ArrayReference) is { } jagged:
                    return JaggedRow(jagged, row, output);

                default:
                    return ArrayOf(unwrapped);
            }
        }

        /// <summary>The slice an AsSpan or Slice call makes; its arguments start at <paramref name="first"/>.</summary>
        private ArrayView? SliceByArguments(ArrayView parent, IInvocationOperation call, int first, List<Stmt> output)
        {
            // In parameter order: AsSpan(length: n, start: k) is AsSpan(k, n).
            var arguments = call.Arguments.Skip(first).OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
            if (arguments.Count == 0) return parent;
            var firstArgument = arguments[0].Value;
            if (arguments.Count == 1 && firstArgument is IRangeOperation range) return SliceByRange(parent, range, call, output);
            bool fromIndex = arguments.Count == 1 && firstArgument.Type is { Name: "Index" };
            if (arguments.Count > 2 || (!fromIndex && arguments[0].Parameter?.Type.SpecialType != SpecialType.System_Int32))
            {
                ReportUnsupportedExpression(call, "'" + Shorten(call.Syntax.ToString()) + "'", "cut a slice with int arguments: AsSpan(start, length), Slice(start, length) or a range a..b");
                return null;
            }

            // AsSpan(^k) starts k elements before the end.
            var startValue = fromIndex ? IndexOf(parent, firstArgument, output) : Integer(LowerExpression(firstArgument, output));
            if (startValue is null)
            {
                ReportUnsupportedExpression(call, "The index in '" + Shorten(call.Syntax.ToString()) + "'", "write it as an int or as ^k");
                return null;
            }

            var start = Bind(startValue, output);
            var length = arguments.Count == 2
                ? Integer(LowerExpression(arguments[1].Value, output))
                : new BinaryExpr(BinaryOp.Subtract, LengthOf(parent), start, ScalarKind.Int32);
            return Slice(parent, start, length, output);
        }

        /// <summary>The slice a range a..b makes (either end may be from the end, ^k, or left out).</summary>
        private ArrayView? SliceByRange(ArrayView parent, IRangeOperation range, IOperation at, List<Stmt> output)
        {
            if (!TryRangeEnd(parent, range.LeftOperand, at, output, out var start)
                || !TryRangeEnd(parent, range.RightOperand, at, output, out var end))
            {
                return null;
            }

            var startBound = Bind(start ?? new LitExpr("0", ScalarKind.Int32), output);
            var length = new BinaryExpr(BinaryOp.Subtract, end ?? LengthOf(parent), startBound, ScalarKind.Int32);
            return Slice(parent, startBound, length, output);
        }

        /// <summary>
        /// One end of a range: an int (<c>k</c>), from the end (<c>^k</c>), or left out (<paramref name="value"/>
        /// null). False when it is an <c>Index</c> value the generator cannot see into (reported).
        /// </summary>
        private bool TryRangeEnd(ArrayView parent, IOperation? end, IOperation at, List<Stmt> output, out Expr? value)
        {
            value = null;
            if (end is null) return true;
            value = IndexOf(parent, end, output);
            if (value is not null) return true;
            ReportUnsupportedExpression(at, "The range in '" + Shorten(at.Syntax.ToString()) + "'", "write the ends of a range as int values or as ^k");
            return false;
        }

        /// <summary>
        /// The position an index names in <paramref name="view"/>: <c>k</c>, or <c>^k</c> (<c>Length - k</c>);
        /// null when it is some other <c>System.Index</c> value.
        /// </summary>
        private Expr? IndexOf(ArrayView view, IOperation index, List<Stmt> output)
        {
            switch (index)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } hat:
                    return new BinaryExpr(BinaryOp.Subtract, LengthOf(view), Integer(LowerExpression(hat.Operand, output)), ScalarKind.Int32);
                case IConversionOperation { IsImplicit: true, Type.Name: "Index" } conversion when conversion.Operand.Type?.SpecialType == SpecialType.System_Int32:
                    return Integer(LowerExpression(conversion.Operand, output));
                case IParenthesizedOperation parenthesized:
                    return IndexOf(view, parenthesized.Operand, output);
                default:
                    if (index.Type?.Name == "Index" && index.Type.ContainingNamespace?.ToDisplayString() == "System") return null;
                    return Integer(LowerExpression(index, output));
            }
        }

        /// <summary>
        /// Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> of
        /// <paramref name="parent"/>: checked as AsSpan and Slice check (the Backward throws where the method
        /// throws), and bound to fresh variables.
        /// </summary>
        private ArrayView Slice(ArrayView parent, Expr start, Expr length, List<Stmt> output)
        {
            var count = Bind(length, output);
            Expr offset = new CallExpr(SliceBoundsClass + ".Start", EquatableArray.Create(LengthOf(parent), start, count), ScalarKind.Int32);
            if (parent.Offset is { } outer) offset = new BinaryExpr(BinaryOp.Add, outer, offset, ScalarKind.Int32);
            return parent with { Offset = Bind(offset, output), Count = count };
        }

        /// <summary>
        /// The (atomic) index into the whole array of element <paramref name="index"/> of <paramref name="view"/>:
        /// <c>^k</c> counts from the view's end, and an index into a slice is checked against the slice's length.
        /// </summary>
        private Expr ElementIndex(ArrayView view, IOperation index, List<Stmt> output)
        {
            var position = IndexOf(view, index, output);
            if (position is null)
            {
                ReportUnsupportedExpression(index, "An index of type 'Index' held in a variable", "index with an int or with ^k written in place");
                position = new LitExpr("0", ScalarKind.Int32);
            }

            // A slice, or a scratch array declared once with the largest length its loop allows, is shorter than the
            // memory under it: an index past its own length is checked, so that it throws as in the method.
            bool shorter = view.Offset is not null || _arrayLengths.ContainsKey(view.Name);
            if (shorter && !IsIndexInRow(view, index, position)) position = new CallExpr(SliceBoundsClass + ".Index", EquatableArray.Create(Atomize(position, output), LengthOf(view)), ScalarKind.Int32);
            if (view.Offset is { } offset) position = new BinaryExpr(BinaryOp.Add, offset, position, ScalarKind.Int32);
            return Atomize(position, output);
        }

        /// <summary>
        /// <c>ReadOnlySpan&lt;double&gt; row = w.AsSpan(i * n, n);</c>, <c>var s = x.AsSpan();</c>,
        /// <c>Span&lt;double&gt; t = buffer;</c>, <c>var part = x[1..^1];</c>: a name for a view. False when the
        /// declaration is not one (a stackalloc, a new array), for the caller to lower.
        /// </summary>
        private bool TryDeclareView(IVariableDeclaratorOperation declarator, ILocalSymbol local, List<Stmt> output)
        {
            var (element, shape) = ScalarTypes.FromParameter(local.Type);
            var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
            if (element is null || initializer?.Value is not { } value || !IsViewExpression(value)) return false;

            // An array local is a slice only when a range makes it (`var part = x[1..3]`); `double[] b = a` is not one.
            if (shape is ArrayShape.None or ArrayShape.Jagged || (shape == ArrayShape.Array && Unwrap(value) is not IArrayElementReferenceOperation)) return false;
            if (ViewOrReport(value, output) is not { } view)
            {
                _arrays[local] = (NameFor(local), element.Value, false); // reported; its uses are not reported again
                return true;
            }

            _arrays[local] = view;
            _viewLocals[local] = Region;
            return true;
        }

        /// <summary><c>row = w.AsSpan(k * n, n);</c> for a span local: true when handled (lowered or reported).</summary>
        private bool TryAssignView(ISimpleAssignmentOperation assignment, List<Stmt> output)
        {
            ISymbol? symbol = Unwrap(assignment.Target) switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (symbol is null || !_arrays.ContainsKey(symbol) || !IsViewExpression(assignment.Value)) return false;
            bool span = ScalarTypes.FromParameter(assignment.Target.Type!).Shape is ArrayShape.Span or ArrayShape.ReadOnlySpan;
            if (!span && !_viewLocals.ContainsKey(symbol)) return false; // an array variable: reported as such
            if (!_viewLocals.TryGetValue(symbol, out var declared) || declared != Region)
            {
                bool local = _viewLocals.ContainsKey(symbol);
                ReportUnsupportedExpression(
                    assignment,
                    "Assigning '" + symbol.Name + "' " + (local ? "inside a loop or branch it was not declared in" : "(a parameter)"),
                    (local ? "declare a new span local where it is needed, e.g. inside the loop body: " : "declare a new span local instead: ")
                    + "var part = " + Shorten(assignment.Value.Syntax.ToString()) + ";");
                return true;
            }

            if (ViewOrReport(assignment.Value, output) is { } view) _arrays[symbol] = view;
            return true;
        }

        /// <summary><see cref="ViewOf"/>, reporting what it does not know (an instance field, a method's result) rather than leaving it unreported.</summary>
        private ArrayView? ViewOrReport(IOperation value, List<Stmt> output)
        {
            int reported = _diagnostics.Count;
            if (ViewOf(value, output) is { } view) return view;
            if (_diagnostics.Count == reported)
            {
                ReportUnsupportedExpression(
                    value,
                    "A span of '" + Shorten(Unwrap(value).Syntax.ToString()) + "'",
                    "make spans of array and span parameters, local arrays and static readonly tables");
            }

            return null;
        }

        /// <summary>A slice of a local array written in place (<c>h.AsSpan(n)[i] = v</c>); null for anything else.</summary>
        private ArrayView? WritableSliceOf(IOperation array, List<Stmt> output) =>
            Unwrap(array) is IInvocationOperation or IImplicitIndexerReferenceOperation or IParenthesizedOperation
            && ViewOf(array, output) is { } view && _localArrayNames.Contains(view.Name)
                ? view
                : null;

        /// <summary>Whether an expression of array or span type is (or converts) a name or a slice, rather than a new array.</summary>
        private static bool IsViewExpression(IOperation value) =>
            Unwrap(value) is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
                or IInvocationOperation { TargetMethod.Name: "AsSpan" or "Slice" }
                or IImplicitIndexerReferenceOperation { Argument: IRangeOperation }
                or IArrayElementReferenceOperation { Indices: [IRangeOperation] }
                or IArrayElementReferenceOperation { ArrayReference.Type: IArrayTypeSymbol { ElementType: IArrayTypeSymbol } }
                or IParenthesizedOperation;

        /// <summary>
        /// An array argument that a call which is not inlined (a Backward or a [DerivativeOf] derivative, or a method
        /// called as written) would not see as the method does: a slice (the call would need a slice of the gradient
        /// buffer), or a local array declared with its loop's bound (the call would see the whole allocation).
        /// Reported; true when reported.
        /// </summary>
        private bool ReportPartialArrayArgument(IInvocationOperation invocation, IMethodSymbol method, List<Argument> args)
        {
            foreach (var argument in args)
            {
                if (argument.Array is not { } array) continue;
                if (_matrices.TryGetValue(array.Name, out var matrix))
                {
                    ReportUnsupportedExpression(
                        invocation,
                        (matrix.IsJagged ? "Passing a row of the jagged array '" : "Passing the matrix '") + matrix.Matrix + "' to '" + method.Name + "', which is called rather than inlined,",
                        matrix.IsJagged
                            ? "give the method a body in this compilation so that it is inlined, or copy the row into a local array first"
                            : "give the method a body in this compilation so that it is inlined, or pass the matrix's elements as a double[] and its shape as ints");
                    return true;
                }

                if (array.IsSlice)
                {
                    ReportUnsupportedExpression(
                        invocation,
                        "Passing a slice to '" + method.Name + "', which is called rather than inlined,",
                        "pass the whole array with the offset and length as int arguments, or copy the slice into a local array first");
                    return true;
                }

                if (IsBoundedArray(array.Name, invocation, method)) return true;
            }

            return false;
        }

        private static Expr Integer(Expr value) => value.Type == ScalarKind.Int32 ? value : new ConvertExpr(value, ScalarKind.Int32);

        /// <summary>An int value as a fresh variable, unless it is a literal or a length (which never change).</summary>
        private Expr Bind(Expr value, List<Stmt> output)
        {
            if (value is LitExpr or LengthExpr) return value;
            string name = NewTemp();
            Add(output, new LetStmt(name, value, false, _source));
            return new VarExpr(name, value.Type);
        }
    }
}
