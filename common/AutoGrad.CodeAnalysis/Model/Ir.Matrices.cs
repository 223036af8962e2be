namespace AutoGrad.CodeAnalysis.Model
{
    /// <summary>
    /// The names under which the body sees a rectangular matrix parameter <c>T[,] W</c>: the parse stage lowers
    /// <c>W[i, j]</c> to element <c>i * Cols + j</c> of the one-dimensional array <see cref="Flat"/>,
    /// <c>W.GetLength(0)</c> to <see cref="Rows"/>, <c>W.GetLength(1)</c> to <see cref="Cols"/> and <c>W.Length</c>
    /// to <see cref="Flat"/>'s length, so the rest of the pipeline sees an ordinary array. The Backward declares
    /// them at its start (<see cref="FlatViewStmt"/>).
    /// </summary>
    /// <param name="Matrix">The matrix parameter's name.</param>
    /// <param name="Gradient">Its gradient buffer's name, or null when the matrix is [NoGrad].</param>
    /// <param name="Flat">The flat view of the matrix, in row-major order.</param>
    /// <param name="Rows">The int holding the number of rows.</param>
    /// <param name="Cols">The int holding the number of columns; null for a jagged array.</param>
    /// <param name="GradientFlat">The flat view of the gradient buffer, or null when the matrix is [NoGrad].</param>
    /// <param name="Starts">
    /// For a jagged array <c>T[][] J</c> (whose rows live apart, so the flat view is a copy): the int array where each
    /// row starts in <see cref="Flat"/>, the total length last. <c>J[i]</c> is the slice from <c>Starts[i]</c> to
    /// <c>Starts[i + 1]</c>, and <c>J.Length</c> is <see cref="Rows"/>.
    /// </param>
    internal sealed record MatrixView(string Matrix, string? Gradient, string Flat, string Rows, string? Cols, string? GradientFlat, string? Starts = null)
    {
        /// <summary>A jagged array rather than a rectangular matrix.</summary>
        public bool IsJagged => Starts is not null;
    }

    /// <summary>
    /// Declares <see cref="Name"/>, the flat row-major view of the matrix parameter <see cref="Matrix"/>
    /// (<c>AutoGrad.Matrix.Flat</c>). When <see cref="ShapeOf"/> is set, <see cref="Matrix"/> is a gradient buffer:
    /// its shape is checked against that matrix's, and the view is writable (<c>AutoGrad.Matrix.Gradient</c>). For a
    /// jagged array's input view, <see cref="Starts"/> names the int array of row starts it declares too.
    /// </summary>
    internal sealed record FlatViewStmt(string Name, string Matrix, ScalarKind Element, string? ShapeOf, SourceInfo Source, string? Starts = null) : Stmt(Source);
}
