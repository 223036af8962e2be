using System;
using System.ComponentModel;
#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#endif

namespace AutoGrad
{
    /// <summary>
    /// Matrix parameters in generated code. A generated Backward reads a rectangular array <c>double[,] W</c> through
    /// a flat view of its elements in row-major order (<c>W[i, j]</c> is element <c>i * columns + j</c>), and adds
    /// the gradient into the caller's <c>double[,] dW</c> through a flat view of it. On .NET 8 and later a view is the
    /// array's own memory; on older targets (netstandard2.0) it is a copy, and <see cref="Store{T}(Span{T}, T[,])"/>
    /// writes the gradient back. A jagged array <c>double[][] J</c>, whose rows live apart, is copied into one block
    /// (row <c>i</c> starts at element <c>starts[i]</c>), and so is its gradient, which is stored back at the end.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class Matrix
    {
        /// <summary>The elements of <paramref name="matrix"/> in row-major order; empty for null.</summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="matrix">A rectangular array.</param>
        /// <returns>A read-only view of the elements (a copy on targets before .NET 8).</returns>
        public static ReadOnlySpan<T> Flat<T>(T[,]? matrix)
            where T : struct =>
            matrix is null ? default : View(matrix);

        /// <summary>The number of rows of <paramref name="matrix"/> (<c>GetLength(0)</c>); 0 for null, so that the method's own null check runs first.</summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="matrix">A rectangular array.</param>
        /// <returns>The length of its first dimension.</returns>
        public static int Rows<T>(T[,]? matrix) => matrix is null ? 0 : matrix.GetLength(0);

        /// <summary>The number of columns of <paramref name="matrix"/> (<c>GetLength(1)</c>); 0 for null.</summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="matrix">A rectangular array.</param>
        /// <returns>The length of its second dimension.</returns>
        public static int Columns<T>(T[,]? matrix) => matrix is null ? 0 : matrix.GetLength(1);

        /// <summary>
        /// Checks that the gradient buffer <paramref name="gradient"/> has the shape of <paramref name="matrix"/> and
        /// returns a writable flat view of it in row-major order. Call <see cref="Store{T}(Span{T}, T[,])"/> when done.
        /// </summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="gradient">The caller's gradient buffer, added into.</param>
        /// <param name="matrix">The matrix it is the gradient of.</param>
        /// <param name="gradientName">The gradient parameter's name, for the exception.</param>
        /// <param name="matrixName">The matrix parameter's name, for the exception.</param>
        /// <returns>A view of the buffer's elements (a copy on targets before .NET 8).</returns>
        /// <exception cref="ArgumentException">The buffer is null or its shape differs from the matrix's.</exception>
        public static Span<T> Gradient<T>(T[,]? gradient, T[,]? matrix, string gradientName, string matrixName)
            where T : struct
        {
            int rows = Rows(matrix), columns = Columns(matrix);
            if (gradient is null || gradient.GetLength(0) != rows || gradient.GetLength(1) != columns)
            {
                string actual = gradient is null ? "null" : gradient.GetLength(0) + "×" + gradient.GetLength(1);
                throw new ArgumentException(
                    "The gradient buffer '" + gradientName + "' must have the shape of '" + matrixName + "' (" + rows + "×" + columns + "), but is " + actual + ".",
                    gradientName);
            }

            return View(gradient);
        }

        /// <summary>
        /// Ends the use of a view made by <see cref="Gradient{T}(T[,], T[,], string, string)"/>: on targets before .NET 8, where the view is a
        /// copy, copies it back into <paramref name="gradient"/>; on .NET 8 and later it does nothing.
        /// </summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="view">The view <see cref="Gradient{T}(T[,], T[,], string, string)"/> returned.</param>
        /// <param name="gradient">The gradient buffer it was made from.</param>
        public static void Store<T>(Span<T> view, T[,] gradient)
            where T : struct
        {
#if NET8_0_OR_GREATER
            _ = view;
            _ = gradient;
#else
            int columns = gradient.GetLength(1);
            for (int k = 0; k < view.Length; k++)
            {
                gradient[k / columns, k % columns] = view[k];
            }
#endif
        }

        /// <summary>
        /// The elements of the jagged array <paramref name="rows"/>, row after row, in one new block: row <c>i</c> is
        /// elements <c>starts[i]</c> to <c>starts[i + 1]</c>. A null array has no rows; a null row is empty.
        /// </summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="rows">A jagged array.</param>
        /// <param name="starts">Where each row starts, and the total length last (one more element than rows).</param>
        /// <returns>A copy of the elements.</returns>
        public static ReadOnlySpan<T> Flat<T>(T[][]? rows, out int[] starts)
            where T : struct
        {
            starts = Starts(rows);
            return Copy(rows, starts);
        }

        /// <summary>The number of rows of the jagged array <paramref name="rows"/>; 0 for null.</summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="rows">A jagged array.</param>
        /// <returns>Its length.</returns>
        public static int Rows<T>(T[][]? rows) => rows is null ? 0 : rows.Length;

        /// <summary>
        /// Checks that the gradient buffer <paramref name="gradient"/> has the shape of <paramref name="rows"/> (as many
        /// rows, each as long) and returns a copy of its elements, row after row, as <see cref="Flat{T}(T[][], out int[])"/>
        /// lays them out. Call <see cref="Store{T}(Span{T}, T[][])"/> when done.
        /// </summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="gradient">The caller's gradient buffer, added into.</param>
        /// <param name="rows">The jagged array it is the gradient of.</param>
        /// <param name="gradientName">The gradient parameter's name, for the exception.</param>
        /// <param name="rowsName">The jagged array parameter's name, for the exception.</param>
        /// <returns>A copy of the buffer's elements.</returns>
        /// <exception cref="ArgumentException">The buffer is null or its shape differs from the array's.</exception>
        public static Span<T> Gradient<T>(T[][]? gradient, T[][]? rows, string gradientName, string rowsName)
            where T : struct
        {
            int count = Rows(rows);
            if (gradient is null || gradient.Length != count)
            {
                throw new ArgumentException(
                    "The gradient buffer '" + gradientName + "' must have the " + count + " rows of '" + rowsName + "', but "
                    + (gradient is null ? "is null." : "has " + gradient.Length + "."),
                    gradientName);
            }

            for (int i = 0; i < count; i++)
            {
                int expected = rows![i]?.Length ?? 0;
                int actual = gradient[i]?.Length ?? -1;
                if (actual != expected)
                {
                    throw new ArgumentException(
                        "Row " + i + " of the gradient buffer '" + gradientName + "' must have the length of row " + i + " of '" + rowsName + "' (" + expected + "), but "
                        + (actual < 0 ? "is null." : "has " + actual + "."),
                        gradientName);
                }
            }

            return Copy(gradient, Starts(gradient));
        }

        /// <summary>Writes a view made by <see cref="Gradient{T}(T[][], T[][], string, string)"/> back into the rows of <paramref name="gradient"/>.</summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="view">The view <see cref="Gradient{T}(T[][], T[][], string, string)"/> returned.</param>
        /// <param name="gradient">The gradient buffer it was made from.</param>
        public static void Store<T>(Span<T> view, T[][] gradient)
            where T : struct
        {
            int start = 0;
            foreach (var row in gradient)
            {
                if (row is null) continue;
                view.Slice(start, row.Length).CopyTo(row);
                start += row.Length;
            }
        }

        private static int[] Starts<T>(T[][]? rows)
        {
            int count = rows is null ? 0 : rows.Length;
            var starts = new int[count + 1];
            for (int i = 0; i < count; i++)
            {
                starts[i + 1] = checked(starts[i] + (rows![i]?.Length ?? 0));
            }

            return starts;
        }

        private static T[] Copy<T>(T[][]? rows, int[] starts)
        {
            var copy = new T[starts[starts.Length - 1]];
            for (int i = 0; i + 1 < starts.Length; i++)
            {
                rows![i]?.CopyTo(copy, starts[i]);
            }

            return copy;
        }

        private static Span<T> View<T>(T[,] matrix)
            where T : struct
        {
#if NET8_0_OR_GREATER
            return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length);
#else
            var copy = new T[matrix.Length];
            int k = 0;
            foreach (T value in matrix)
            {
                copy[k++] = value;
            }

            return copy;
#endif
        }
    }
}
