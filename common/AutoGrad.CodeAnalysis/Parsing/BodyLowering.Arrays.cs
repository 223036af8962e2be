using System.Collections.Generic;
using System.Collections.Immutable;
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
    /// Local arrays as users write them: scratch arrays whose length changes from one iteration to the next,
    /// arrays created with their elements (<c>new[] { a, b }</c>, <c>[a, b]</c>, <c>stackalloc double[] { a, b }</c>),
    /// and constant tables in static fields and properties.
    /// </summary>
    /// <remarks>
    /// A local array declared inside a loop is declared once before the outermost loop (see
    /// <see cref="LowerLocalArray"/>). When its length changes per iteration, it is declared there with the largest
    /// length it can take, an upper bound the loop tests prove (<c>i &lt; n</c> bounds <c>new double[i + 2]</c> by
    /// <c>n + 1</c>); each declaration's own length is kept in a variable, which its <c>Length</c> reads.
    /// </remarks>
    internal sealed partial class BodyLowering
    {
        /// <summary>Most levels of definitions an upper bound looks through.</summary>
        private const int BoundDepth = 16;

        /// <summary>
        /// For each integer name that a test of a loop being lowered compares (<c>i &lt; n</c>): a value it does not
        /// exceed inside the loop's body. The name is SSA, so the fact holds wherever the body reads it.
        /// </summary>
        private readonly Dictionary<string, Expr> _upperBounds = new(System.StringComparer.Ordinal);

        /// <summary>The values of the inactive integer variables defined so far (SSA: each is defined once).</summary>
        private readonly Dictionary<string, Expr> _integerValues = new(System.StringComparer.Ordinal);

        /// <summary>Local arrays declared with a bound on their length: the length of the current declaration.</summary>
        private readonly Dictionary<string, Expr> _arrayLengths = new(System.StringComparer.Ordinal);

        /// <summary>The length of a local array or an array or span parameter (a declaration's own length for a bounded array).</summary>
        private Expr LengthOf(string array) =>
            _arrayLengths.TryGetValue(array, out var length) ? length : new LengthExpr(array);

        /// <summary>The number of elements a view has: a slice's length, or its whole array's.</summary>
        private Expr LengthOf(ArrayView view) => view.Count ?? LengthOf(view.Name);

        /// <summary>
        /// Whether <paramref name="array"/> is a local array declared with a bound on its length, which a call that is
        /// not inlined would see whole (reported).
        /// </summary>
        private bool IsBoundedArray(string array, IInvocationOperation invocation, IMethodSymbol method)
        {
            if (!_arrayLengths.ContainsKey(array)) return false;
            Report(
                DiagnosticDescriptors.CalleeNotDifferentiable,
                invocation.Syntax.GetLocation(),
                method.Name,
                "its argument '" + array + "' is a local array whose length changes from one iteration to the next, which a call that is not inlined cannot be given; declare the array before the loop with the length the call needs");
            return true;
        }

        /// <summary>Remembers an inactive integer let, so that a bound can look through it.</summary>
        private void RecordInteger(Stmt statement)
        {
            if (statement is LetStmt { IsActive: false, Value.Type: ScalarKind.Int32 or ScalarKind.Int64 } let)
            {
                _integerValues[let.Name] = let.Value;
            }
        }

        /// <summary>
        /// Records what a loop's test proves inside its body (each conjunct <c>v &lt; e</c>, <c>v &lt;= e</c>,
        /// <c>e &gt; v</c>, <c>e &gt;= v</c>); returns the names to forget when the loop ends. A do loop's body runs
        /// once untested, so its test proves nothing there.
        /// </summary>
        private List<string> AddLoopBounds(Expr test, bool testAtEnd)
        {
            var added = new List<string>();
            if (testAtEnd) return added;
            var pending = new Stack<Expr>();
            pending.Push(test);
            while (pending.Count > 0)
            {
                var conjunct = pending.Pop();
                if (conjunct is BinaryExpr { Op: BinaryOp.ConditionalAnd or BinaryOp.And } both)
                {
                    pending.Push(both.Left);
                    pending.Push(both.Right);
                    continue;
                }

                (VarExpr Variable, Expr Bound)? fact = conjunct switch
                {
                    BinaryExpr { Op: BinaryOp.LessThan, Left: VarExpr v } b => (v, Minus1(b.Right)),
                    BinaryExpr { Op: BinaryOp.LessThanOrEqual, Left: VarExpr v } b => (v, b.Right),
                    BinaryExpr { Op: BinaryOp.GreaterThan, Right: VarExpr v } b => (v, Minus1(b.Left)),
                    BinaryExpr { Op: BinaryOp.GreaterThanOrEqual, Right: VarExpr v } b => (v, b.Left),
                    _ => null,
                };
                if (fact is not { } found || !IsInteger(found.Variable.Type) || !IsInteger(found.Bound.Type)) continue;
                if (_upperBounds.ContainsKey(found.Variable.Name)) continue;
                _upperBounds[found.Variable.Name] = found.Bound;
                added.Add(found.Variable.Name);
            }

            return added;

            static Expr Minus1(Expr value) => new BinaryExpr(BinaryOp.Subtract, value, IntegerLiteral(1, value.Type), value.Type);
        }

        /// <summary>Forgets the facts of a loop that ended: after it, its variables hold the values that failed the test.</summary>
        private void RemoveLoopBounds(List<string> names)
        {
            foreach (var name in names) _upperBounds.Remove(name);
        }

        /// <summary>An <c>int</c> or <c>long</c> literal.</summary>
        private static LitExpr IntegerLiteral(int value, ScalarKind kind) => new(ScalarTypes.FormatConstant(value, kind)!, kind);

        private static bool IsInteger(ScalarKind kind) => kind is ScalarKind.Int32 or ScalarKind.Int64;

        /// <summary>
        /// A value the integer <paramref name="value"/> never exceeds here, computed from names in
        /// <paramref name="atTop"/> only (so that it can size an array declared at the top of the method); null
        /// when none is found.
        /// </summary>
        private Expr? UpperBound(Expr value, HashSet<string> atTop, int depth = 0)
        {
            if (depth > BoundDepth) return null;
            if (KnownAtTop(value, atTop)) return value; // the same in every iteration, so its own bound
            switch (value)
            {
                case VarExpr variable when _upperBounds.TryGetValue(variable.Name, out var bound):
                    return UpperBound(bound, atTop, depth + 1);
                case VarExpr variable when _integerValues.TryGetValue(variable.Name, out var definition):
                    return UpperBound(definition, atTop, depth + 1);
                case BinaryExpr { Op: BinaryOp.Add } sum:
                    return UpperBound(sum.Left, atTop, depth + 1) is { } left && UpperBound(sum.Right, atTop, depth + 1) is { } right
                        ? sum with { Left = left, Right = right }
                        : null;
                case BinaryExpr { Op: BinaryOp.Subtract } difference when KnownAtTop(difference.Right, atTop):
                    return UpperBound(difference.Left, atTop, depth + 1) is { } minuend ? difference with { Left = minuend } : null;
                case BinaryExpr { Op: BinaryOp.Multiply, Right: LitExpr factor } product when IsNonNegative(factor):
                    return UpperBound(product.Left, atTop, depth + 1) is { } scaled ? product with { Left = scaled } : null;
                case BinaryExpr { Op: BinaryOp.Multiply, Left: LitExpr factor } product when IsNonNegative(factor):
                    return UpperBound(product.Right, atTop, depth + 1) is { } multiplier ? product with { Right = multiplier } : null;
                case ConvertExpr conversion when IsInteger(conversion.Type) && IsInteger(conversion.Operand.Type):
                    return UpperBound(conversion.Operand, atTop, depth + 1) is { } operand ? conversion with { Operand = operand } : null;
                case ElementExpr { Type: ScalarKind.Int32 } element when KnownAtTop(new ArrayRefExpr(element.Array, ScalarKind.Int32), atTop):
                    // An element of an int[] parameter or table: at most its largest element.
                    return new CallExpr("global::AutoGrad.ArrayLengths.Max", EquatableArray.Create<Expr>(new ArrayRefExpr(element.Array, ScalarKind.Int32)), ScalarKind.Int32);
                default:
                    return null;
            }

            static bool IsNonNegative(LitExpr literal) =>
                long.TryParse(literal.Text.TrimEnd('L'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
        }

        /// <summary>Whether every name <paramref name="value"/> reads is defined at the top of the method (or is a static table).</summary>
        private static bool KnownAtTop(Expr value, HashSet<string> atTop) =>
            IrRenamer.Variables(value).All(name => atTop.Contains(name) || name.StartsWith("global::", System.StringComparison.Ordinal));

        /// <summary>
        /// The elements of an array created with its values: <c>new[] { a, b }</c>, <c>new double[2] { a, b }</c>,
        /// <c>double[] w = { a, b }</c>, <c>[a, b]</c> and <c>stackalloc double[] { a, b }</c>; null when
        /// <paramref name="value"/> is not such a creation. <paramref name="spread"/> is set for a collection
        /// expression with a spread (<c>[.. a, b]</c>), which is not lowered.
        /// </summary>
        private ImmutableArray<IOperation>? InitializerElements(IOperation value, out bool onStack, out IOperation? spread)
        {
            onStack = false;
            spread = null;
            switch (Unwrap(value))
            {
                case IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } initializer }:
                    return initializer.ElementValues;
                case ICollectionExpressionOperation collection:
                    spread = collection.Elements.FirstOrDefault(e => e is ISpreadOperation);
                    onStack = collection.Type is { } type && ScalarTypes.FromParameter(type).Shape != ArrayShape.Array;
                    return collection.Elements;
            }

            InitializerExpressionSyntax? stackInitializer = value.Syntax switch
            {
                StackAllocArrayCreationExpressionSyntax { Initializer: { } explicitSize } => explicitSize,
                ImplicitStackAllocArrayCreationExpressionSyntax implicitSize => implicitSize.Initializer,
                _ => null,
            };
            if (stackInitializer is null) return null;
            onStack = true;
            var elements = ImmutableArray.CreateBuilder<IOperation>();
            foreach (var expression in stackInitializer.Expressions)
            {
                if (_semanticModel.GetOperation(expression, _cancellationToken) is not { } element) throw new AbortException();
                elements.Add(element);
            }

            return elements.ToImmutable();
        }

        /// <summary>Stores an initializer's elements into the local array just declared, in order.</summary>
        private void StoreElements((string Name, ScalarKind Element, bool Active) array, ImmutableArray<IOperation> elements, List<Stmt> output)
        {
            for (int k = 0; k < elements.Length; k++)
            {
                var element = LowerExpression(elements[k], output);
                if (element is LitExpr && elements[k].ConstantValue is { HasValue: true } constant
                    && ScalarTypes.FormatConstant(constant.Value, array.Element) is { } text)
                {
                    // `stackalloc double[] { 1 }` reads its element without the conversion: write 1.0, not (double)1.
                    element = new LitExpr(text, array.Element);
                }

                Store(array, IntegerLiteral(k, ScalarKind.Int32), element, output);
            }
        }

        /// <summary>
        /// A table in a static field or property (<c>static readonly double[] W = { … }</c>,
        /// <c>static ReadOnlySpan&lt;double&gt; W =&gt; [ … ]</c>): constant data, read by its qualified name.
        /// </summary>
        private (string Name, ScalarKind Element, bool Active)? ConstantTable(IOperation operation)
        {
            switch (operation)
            {
                case IFieldReferenceOperation { Field: { IsStatic: true } field }
                    when ScalarTypes.FromParameter(field.Type) is ({ } element, ArrayShape.Array):
                    CheckAccessible(field, operation);
                    return (QualifiedName(field), element, false);
                case IPropertyReferenceOperation { Property: { IsStatic: true, IsIndexer: false, GetMethod: not null } property }
                    when ScalarTypes.FromParameter(property.Type) is ({ } element, ArrayShape.Array or ArrayShape.ReadOnlySpan or ArrayShape.Span):
                    CheckAccessible(property, operation);
                    return (QualifiedName(property), element, false);
                default:
                    return null;
            }
        }

        /// <summary>Reports a write to an element of <paramref name="array"/>: an input, or a static table.</summary>
        private void ReportArrayWrite(IOperation target, string array)
        {
            const string Prefix = "global::";
            if (!array.StartsWith(Prefix, System.StringComparison.Ordinal))
            {
                if (_copiedInputs is null && _writableInputs.Contains(array)) WrittenInputs.Add(array);
                Report(DiagnosticDescriptors.InputArrayWrite, target.Syntax.GetLocation(), UserArrayName(array), CopyAdvice(array));
                return;
            }

            string member = array.Substring(array.LastIndexOf('.') + 1);
            Report(DiagnosticDescriptors.StateWrite, target.Syntax.GetLocation(), "an element of the static table", member);
        }
    }
}
