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
    /// array's own memory; on older targets (netstandard2.0) it is a copy, and <see cref="Store{T}"/> writes the
    /// gradient back.
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
        /// returns a writable flat view of it in row-major order. Call <see cref="Store{T}"/> when done.
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
        /// Ends the use of a view made by <see cref="Gradient{T}"/>: on targets before .NET 8, where the view is a
        /// copy, copies it back into <paramref name="gradient"/>; on .NET 8 and later it does nothing.
        /// </summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="view">The view <see cref="Gradient{T}"/> returned.</param>
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
