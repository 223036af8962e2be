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
    /// gradient of <c>WFlat</c> is the flat view of the caller's <c>dW</c>.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>The flat views of matrix parameters, by the view's name.</summary>
        private readonly Dictionary<string, MatrixView> _matrices = new(System.StringComparer.Ordinal);

        /// <summary>Makes the matrix parameter <paramref name="parameter"/> known as its flat view.</summary>
        private void DeclareMatrix(IParameterSymbol parameter, ParameterModel model, MatrixView view)
        {
            _matrices[view.Flat] = view;
            _arrays[parameter] = (view.Flat, model.Type, model.GradientName is not null);
            _knownAtStart.Add(view.Flat);
            _knownAtStart.Add(view.Rows);
            _knownAtStart.Add(view.Cols);
        }

        /// <summary>The matrix <paramref name="operation"/> names (a matrix parameter, or a helper's parameter bound to one), or null.</summary>
        private (ArrayView Array, MatrixView Matrix)? MatrixOf(IOperation operation) =>
            ArrayOf(operation) is { IsSlice: false } array && _matrices.TryGetValue(array.Name, out var matrix) ? (array, matrix) : null;

        /// <summary><c>W[i, j]</c>: element <c>i * WCols + j</c> of the flat view.</summary>
        private Expr ReadMatrixElement((ArrayView Array, MatrixView Matrix) matrix, IArrayElementReferenceOperation element, List<Stmt> output)
        {
            var row = Atomize(Integer(LowerExpression(element.Indices[0], output)), output);
            var column = Atomize(Integer(LowerExpression(element.Indices[1], output)), output);
            var columns = new VarExpr(matrix.Matrix.Cols, ScalarKind.Int32);

            // A column past the end would read the next row: checked (as an index into a slice is), unless a for loop
            // proves it in range, as in `for (int j = 0; j < W.GetLength(1); j++)`.
            Expr checkedColumn = IsColumnInRange(element.Indices[1], column, columns)
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
        /// Whether the column index <paramref name="operation"/> (lowered to <paramref name="column"/>) is proved to lie in
        /// [0, <paramref name="columns"/>): it is the variable of an enclosing for loop that starts it at a constant
        /// &gt;= 0, only increases it (<c>j++</c>, <c>j += 2</c>) and writes it nowhere else, and whose test bounds it by
        /// the column count (<c>j &lt; W.GetLength(1)</c>, or a local holding it).
        /// </summary>
        private bool IsColumnInRange(IOperation operation, Expr column, VarExpr columns)
        {
            if (Unwrap(operation) is not ILocalReferenceOperation { Local: var local } || column is not VarExpr variable) return false;
            if (!_upperBounds.TryGetValue(variable.Name, out var bound)
                || bound is not BinaryExpr { Op: BinaryOp.Subtract, Right: LitExpr { Text: "1" } } lessOne
                || Resolve(lessOne.Left) is not VarExpr limit
                || limit.Name != columns.Name)
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

            return !forLoop.Body.DescendantsAndSelf().Any(Writes)
                && !(forLoop.Condition?.DescendantsAndSelf().Any(Writes) ?? false)
                && forLoop.AtLoopBottom.SelectMany(b => b.DescendantsAndSelf()).Where(Writes).All(Increases);

            Expr Resolve(Expr value)
            {
                for (int depth = 0; depth < BoundDepth && value is VarExpr v && _integerValues.TryGetValue(v.Name, out var definition); depth++) value = definition;
                return value;
            }
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
                    return new VarExpr(matrix.Matrix.Cols, ScalarKind.Int32);
                default:
                    ReportUnsupportedExpression(
                        getLength,
                        "'" + Shorten(getLength.Syntax.ToString()) + "', a dimension that is not the constant 0 or 1,",
                        "write GetLength(0) for the number of rows and GetLength(1) for the number of columns");
                    return Placeholder(ScalarKind.Int32);
            }
        }

        /// <summary>The name the user wrote for the array named <paramref name="array"/> in the IR: a matrix's own name for its flat view.</summary>
        private string UserArrayName(string array) => _matrices.TryGetValue(array, out var matrix) ? matrix.Matrix : array;
    }
}
