using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Rectangular matrix parameters (<c>double[,] W</c>, <c>float[,]</c>). A matrix is contiguous and row-major, so
    /// the body reads it as a one-dimensional array, its flat view (<see cref="MatrixView"/>): <c>W[i, j]</c> is
    /// element <c>i * WCols + j</c> of <c>WFlat</c> (the column checked against <c>WCols</c>, so that a column
    /// past the end throws as in the method rather than reading the next row, unless a loop proves it in range), <c>W.GetLength(0)</c> and
    /// <c>W.GetLength(1)</c> are <c>WRows</c> and <c>WCols</c>, and <c>W.Length</c> and <c>foreach</c> are those
    /// of the flat view. Reads, the tape, loops and element gradients are then those of any array, and the
    /// gradient of <c>WFlat</c> is the flat view of the caller's <c>dW</c>. A jagged array <c>double[][] J</c> is read
    /// through a flat copy of its rows: <c>J[i]</c> is the slice from <c>JStarts[i]</c> to <c>JStarts[i + 1]</c>, so
    /// <c>J[i][j]</c>, <c>J[i].Length</c> and <c>var row = J[i]</c> are those of a slice, and <c>J.Length</c> is
    /// <c>JRows</c>.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>The flat views of matrix parameters, by the view's name.</summary>
        private readonly Dictionary<string, MatrixView> _matrices = new(System.StringComparer.Ordinal);

        /// <summary>Jagged array parameters, by symbol, with their element type and whether they are differentiated.</summary>
        private readonly Dictionary<ISymbol, (MatrixView View, ScalarKind Element, bool Active)> _jagged = new(SymbolEqualityComparer.Default);

        /// <summary>Makes the matrix or jagged array parameter <paramref name="parameter"/> known by its flat view.</summary>
        private void DeclareMatrix(IParameterSymbol parameter, ParameterModel model, MatrixView view)
        {
            _matrices[view.Flat] = view;
            _knownAtStart.Add(view.Flat);
            _knownAtStart.Add(view.Rows);
            if (view.Cols is { } cols) _knownAtStart.Add(cols);
            if (view.Starts is { } starts)
            {
                // Not an array of numbers: J[i] is a row (JaggedRow), J.Length the row count.
                _knownAtStart.Add(starts);
                _jagged[parameter] = (view, model.Type, model.GradientName is not null);
                return;
            }

            _arrays[parameter] = (view.Flat, model.Type, model.GradientName is not null);
        }

        /// <summary>The jagged array parameter <paramref name="operation"/> names, or null.</summary>
        private (MatrixView View, ScalarKind Element, bool Active)? JaggedOf(IOperation operation) =>
            Unwrap(operation) is IParameterReferenceOperation { Parameter: var parameter } && _jagged.TryGetValue(parameter, out var jagged) ? jagged : null;

        /// <summary>
        /// <c>J[i]</c>: row i of a jagged array, the slice of its flat copy from <c>JStarts[i]</c> to <c>JStarts[i + 1]</c>
        /// (the row index checked against the row count unless a loop proves it in range).
        /// </summary>
        private ArrayView JaggedRow((MatrixView View, ScalarKind Element, bool Active) jagged, IOperation index, List<Stmt> output)
        {
            // An int, or ^k: the row count less k.
            var rows = new VarExpr(jagged.View.Rows, ScalarKind.Int32);
            var position = IndexOf(new ArrayView(jagged.View.Flat, jagged.Element, false, null, rows), index, output);
            if (position is null)
            {
                ReportUnsupportedExpression(index, "An index of type 'Index' held in a variable", "index with an int or with ^k written in place");
                position = new LitExpr("0", ScalarKind.Int32);
            }

            var row = Atomize(position, output);
            return JaggedRowAt(jagged, row, IsInRange(index, row, rows), output);
        }

        /// <summary>Row <paramref name="row"/> (atomic) of a jagged array; <paramref name="isChecked"/> when it is known to be in range.</summary>
        private ArrayView JaggedRowAt((MatrixView View, ScalarKind Element, bool Active) jagged, Expr row, bool isChecked, List<Stmt> output)
        {
            var view = jagged.View;
            if (!isChecked)
            {
                var rows = new VarExpr(view.Rows, ScalarKind.Int32);
                row = Atomize(new CallExpr(SliceBoundsClass + ".Index", EquatableArray.Create(row, (Expr)rows), ScalarKind.Int32), output);
            }

            var offset = Bind(new ElementExpr(view.Starts!, row, ScalarKind.Int32), output);
            var next = new ElementExpr(view.Starts!, new BinaryExpr(BinaryOp.Add, row, new LitExpr("1", ScalarKind.Int32), ScalarKind.Int32), ScalarKind.Int32);
            var count = Bind(new BinaryExpr(BinaryOp.Subtract, next, offset, ScalarKind.Int32), output);
            return new ArrayView(view.Flat, jagged.Element, jagged.Active, offset, count);
        }

        /// <summary>The flat view of the jagged array whose element (<c>J[i][j]</c>) or row (<c>J[i]</c>) <paramref name="element"/> writes, or null.</summary>
        private string? JaggedWritten(IArrayElementReferenceOperation element) =>
            JaggedOf(element.ArrayReference) is { } rows ? rows.View.Flat
            : Unwrap(element.ArrayReference) is IArrayElementReferenceOperation row && JaggedOf(row.ArrayReference) is { } jagged ? jagged.View.Flat
            : null;

        /// <summary>Whether <paramref name="view"/> is a row of a jagged array and the index <paramref name="index"/> (lowered to <paramref name="position"/>) is proved to lie in it.</summary>
        private bool IsIndexInRow(ArrayView view, IOperation index, Expr position) =>
            view.Count is { } count && _matrices.TryGetValue(view.Name, out var matrix) && matrix.IsJagged && IsInRange(index, position, count);

        /// <summary>The matrix <paramref name="operation"/> names (a matrix parameter, or a helper's parameter bound to one), or null.</summary>
        private (ArrayView Array, MatrixView Matrix)? MatrixOf(IOperation operation) =>
            ArrayOf(operation) is { IsSlice: false } array && _matrices.TryGetValue(array.Name, out var matrix) ? (array, matrix) : null;

        /// <summary><c>W[i, j]</c>: element <c>i * WCols + j</c> of the flat view.</summary>
        private Expr ReadMatrixElement((ArrayView Array, MatrixView Matrix) matrix, IArrayElementReferenceOperation element, List<Stmt> output)
        {
            var row = Atomize(Integer(LowerExpression(element.Indices[0], output)), output);
            var column = Atomize(Integer(LowerExpression(element.Indices[1], output)), output);
            var columns = new VarExpr(matrix.Matrix.Cols!, ScalarKind.Int32);

            // A column past the end would read the next row: checked (as an index into a slice is), unless a for loop
            // proves it in range, as in `for (int j = 0; j < W.GetLength(1); j++)`.
            Expr checkedColumn = IsInRange(element.Indices[1], column, columns)
                ? column
                : new CallExpr(SliceBoundsClass + ".Index", EquatableArray.Create(column, (Expr)columns), ScalarKind.Int32);
            var position = new BinaryExpr(
                BinaryOp.Add,
                new BinaryExpr(BinaryOp.Multiply, row, columns, ScalarKind.Int32),
                checkedColumn,
                ScalarKind.Int32);
            var read = new ElementExpr(matrix.Array.Name, Atomize(position, output), matrix.Array.Element);
            return matrix.Array.Active ? Hoist(read, output) : read;
        }

        /// <summary>
        /// Whether the index <paramref name="operation"/> (lowered to <paramref name="value"/>) is proved to lie in
        /// [0, <paramref name="limit"/>): it is the variable of an enclosing for loop that starts it at a constant
        /// &gt;= 0, only increases it (<c>j++</c>, <c>j += 2</c>) and writes it nowhere else, and whose test bounds it by
        /// the same value (<c>j &lt; W.GetLength(1)</c>, <c>j &lt; J[i].Length</c>, or a local holding it).
        /// </summary>
        private bool IsInRange(IOperation operation, Expr value, Expr limit)
        {
            if (Unwrap(operation) is not ILocalReferenceOperation { Local: var local } || value is not VarExpr variable) return false;
            if (!_upperBounds.TryGetValue(variable.Name, out var bound)
                || bound is not BinaryExpr { Op: BinaryOp.Subtract, Right: LitExpr { Text: "1" } } lessOne
                || Resolve(lessOne.Left, 0) != Resolve(limit, 0))
            {
                return false;
            }

            var loop = operation.Parent;
            while (loop is not null && !(loop is IForLoopOperation { Locals: var locals } && locals.Contains(local, SymbolEqualityComparer.Default))) loop = loop.Parent;
            if (loop is not IForLoopOperation forLoop) return false;
            bool startsNonNegative = forLoop.Before.SelectMany(b => b.DescendantsAndSelf()).OfType<IVariableDeclaratorOperation>()
                .Any(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local)
                          && d.GetVariableInitializer()?.Value.ConstantValue is { HasValue: true, Value: int start } && start >= 0);
            if (!startsNonNegative) return false;

            bool Writes(IOperation o) => o switch
            {
                IIncrementOrDecrementOperation { Target: ILocalReferenceOperation t } => SymbolEqualityComparer.Default.Equals(t.Local, local),
                IAssignmentOperation { Target: ILocalReferenceOperation t } => SymbolEqualityComparer.Default.Equals(t.Local, local),
                IArgumentOperation { Parameter.RefKind: not RefKind.None, Value: ILocalReferenceOperation t } => SymbolEqualityComparer.Default.Equals(t.Local, local),
                _ => false,
            };
            bool Increases(IOperation o) => o switch
            {
                IIncrementOrDecrementOperation { Kind: OperationKind.Increment } => true,
                ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Value.ConstantValue: { HasValue: true, Value: int step } } => step >= 0,
                _ => false,
            };

            // Written in the body or the test by any means (deconstruction, a ref alias): no proof.
            var written = AssignedSymbols(forLoop.Body);
            if (forLoop.Condition is { } condition) written.UnionWith(AssignedSymbols(condition));
            return !written.Contains(local)
                && !forLoop.Body.DescendantsAndSelf().Any(Writes)
                && !(forLoop.Condition?.DescendantsAndSelf().Any(Writes) ?? false)
                && forLoop.AtLoopBottom.SelectMany(b => b.DescendantsAndSelf()).Where(Writes).All(Increases);

            // The value with the inactive int variables it reads replaced by their definitions, so that two reads of
            // the same row length (each made where it is written) compare equal.
            Expr Resolve(Expr value, int depth) => depth > BoundDepth ? value : value switch
            {
                VarExpr v when _integerValues.TryGetValue(v.Name, out var definition) => Resolve(definition, depth + 1),
                BinaryExpr b => b with { Left = Resolve(b.Left, depth + 1), Right = Resolve(b.Right, depth + 1) },
                ElementExpr e => e with { Index = Resolve(e.Index, depth + 1) },
                ConvertExpr c => c with { Operand = Resolve(c.Operand, depth + 1) },
                _ => value,
            };
        }

        /// <summary><c>W.GetLength(0)</c> and <c>W.GetLength(1)</c>: the ints holding the matrix's shape.</summary>
        private Expr MatrixLength((ArrayView Array, MatrixView Matrix) matrix, IInvocationOperation getLength, List<Stmt> output)
        {
            var dimension = getLength.Arguments.Length == 1 ? getLength.Arguments[0].Value.ConstantValue : default;
            switch (dimension.HasValue ? dimension.Value : null)
            {
                case 0:
                    return new VarExpr(matrix.Matrix.Rows, ScalarKind.Int32);
                case 1:
                    return new VarExpr(matrix.Matrix.Cols!, ScalarKind.Int32);
                default:
                    ReportUnsupportedExpression(
                        getLength,
                        "'" + Shorten(getLength.Syntax.ToString()) + "', a dimension that is not the constant 0 or 1,",
                        "write GetLength(0) for the number of rows and GetLength(1) for the number of columns");
                    return Placeholder(ScalarKind.Int32);
            }
        }

        /// <summary>
        /// A local matrix or jagged array (<c>var m = new double[n, k]</c>, <c>double[][] rows = …</c>) that is not a
        /// name for a parameter: reported once, with the flat array to use instead; its uses are not reported again.
        /// </summary>
        private bool ReportLocalMatrix(IVariableDeclaratorOperation declarator, ILocalSymbol local)
        {
            if (local.Type is not IArrayTypeSymbol array || (array.Rank == 1 && array.ElementType is not IArrayTypeSymbol)) return false;
            _reportedLocals.Add(local);
            string type = ScalarTypes.Display(array);
            var initializer = declarator.GetVariableInitializer()?.Value ?? declarator.Initializer?.Value;
            ReportUnsupportedExpression(
                declarator,
                "A local " + (array.Rank > 1 ? "matrix" : "jagged array") + " '" + local.Name + "' (" + type + ")",
                initializer is not null && Unwrap(initializer) is IParameterReferenceOperation { Parameter.Name: var parameter }
                    ? "read the parameter '" + parameter + "' itself rather than a local naming it"
                    : "declare a one-dimensional array of rows * cols elements instead (var m = new double[rows * cols];) and use m[i * cols + j] for element (i, j)");
            return true;
        }

        /// <summary>How to copy the input <paramref name="array"/> into a local array (AG0016's advice): element by element, a matrix row by row into a flat array.</summary>
        private string CopyAdvice(string array)
        {
            if (!_matrices.TryGetValue(array, out var matrix))
            {
                return "var a = new double[" + array + ".Length]; for (int i = 0; i < a.Length; i++) a[i] = " + array + "[i];, float for a float array";
            }

            string m = matrix.Matrix;
            if (matrix.IsJagged)
            {
                return "row by row: var a = new double[" + m + "[i].Length]; for (int j = 0; j < a.Length; j++) a[j] = " + m + "[i][j];, float for a float array";
            }

            return "int cols = " + m + ".GetLength(1); var a = new double[" + m + ".Length]; for (int i = 0; i < " + m + ".GetLength(0); i++) for (int j = 0; j < cols; j++) a[i * cols + j] = "
                + m + "[i, j];, float for a float matrix, then read a[i * cols + j] for " + m + "[i, j]";
        }

        /// <summary>The name the user wrote for the array named <paramref name="array"/> in the IR: a matrix's own name for its flat view.</summary>
        private string UserArrayName(string array) => _matrices.TryGetValue(array, out var matrix) ? matrix.Matrix : array;
    }
}
