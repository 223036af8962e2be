using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>
    /// Matrix parameters. The body reads a matrix <c>W</c> through its flat view <c>WFlat</c> and the ints
    /// <c>WRows</c>, <c>WCols</c> (<see cref="MatrixView"/>), which the differentiator sees as an array parameter and
    /// two int parameters (<c>MatrixViews.Flatten</c>); a jagged array <c>J</c> through the flat copy <c>JFlat</c>,
    /// the int <c>JRows</c> and the int array <c>JStarts</c>. The Backward declares them first (before the method's own
    /// guards, which may read them; they are empty and zero for a null matrix), the flat view of the gradient buffer
    /// <c>dW</c> where other buffers' lengths are checked (its shape is checked there), and stores that view back
    /// into <c>dW</c> before returning (which does nothing on .NET 8 and later, where the view is dW's own memory).
    /// </summary>
    internal sealed partial class Differentiator
    {
        private const string MatrixClass = "global::AutoGrad.Matrix";

        /// <summary>A statement that needs no freezing: copied into the Backward as it is.</summary>
        private sealed class StatementNode : Node
        {
            public StatementNode(Stmt statement)
                : base(statement.Source) => Statement = statement;

            public Stmt Statement { get; }
        }

        /// <summary>The flat view of a matrix parameter's gradient buffer, its shape checked.</summary>
        private static Node GradientView(ParameterModel flat, MatrixView matrix) =>
            new StatementNode(new FlatViewStmt(matrix.GradientFlat!, matrix.Gradient!, flat.Type, matrix.Matrix, SourceInfo.None));

        /// <summary>Declares the matrix parameters' flat views and shapes first, and stores their gradients back before the return.</summary>
        private void AddMatrixViews(List<Node> nodes)
        {
            var views = new List<Node>();
            foreach (var parameter in _method.Parameters)
            {
                if (parameter.Matrix is not { } matrix) continue;
                var of = EquatableArray.Create<Expr>(new ArrayRefExpr(matrix.Matrix, parameter.Type));
                var rows = new DeclareNode(matrix.Rows, ScalarKind.Int32, new CallExpr(MatrixClass + ".Rows", of, ScalarKind.Int32), null, null);
                if (matrix.Starts is { } starts)
                {
                    views.Add(new CommentNode(
                        matrix.Matrix + "[i][j] is " + matrix.Flat + "[" + starts + "[i] + j]: a copy of the rows' elements, one row after another",
                        null));
                    views.Add(new StatementNode(new FlatViewStmt(matrix.Flat, matrix.Matrix, parameter.Type, null, SourceInfo.None, starts)));
                    views.Add(rows);
                }
                else
                {
                    views.Add(new CommentNode(
                        matrix.Matrix + "[i, j] is " + matrix.Flat + "[i * " + matrix.Cols + " + j]: the matrix's elements in row-major order",
                        null));
                    views.Add(new StatementNode(new FlatViewStmt(matrix.Flat, matrix.Matrix, parameter.Type, null, SourceInfo.None)));
                    views.Add(rows);
                    views.Add(new DeclareNode(matrix.Cols!, ScalarKind.Int32, new CallExpr(MatrixClass + ".Columns", of, ScalarKind.Int32), null, null));
                }

                if (matrix.GradientFlat is { } gradientFlat)
                {
                    var store = new CallExpr(
                        MatrixClass + ".Store",
                        EquatableArray.Create<Expr>(new ArrayRefExpr(gradientFlat, parameter.Type), new ArrayRefExpr(matrix.Gradient!, parameter.Type)),
                        parameter.Type);
                    nodes.Insert(nodes.Count - 1, new ExpressionNode(store));
                }
            }

            nodes.InsertRange(0, views);
        }
    }
}
