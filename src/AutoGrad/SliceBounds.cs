using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad
{
    /// <summary>
    /// Bounds checks for generated code. A generated Backward reads a slice (<c>x.AsSpan(start, length)</c>,
    /// <c>s.Slice(start)</c>, <c>x[a..b]</c>) as the matching part of the array it was cut from; these checks
    /// make it throw where the original method throws, before any gradient is computed.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class SliceBounds
    {
        /// <summary>
        /// Checks that <paramref name="length"/> elements from <paramref name="start"/> lie within
        /// <paramref name="available"/> elements, as <c>AsSpan</c> and <c>Slice</c> do.
        /// </summary>
        /// <param name="available">The length of the array or span being sliced.</param>
        /// <param name="start">The first element of the slice.</param>
        /// <param name="length">The number of elements in the slice.</param>
        /// <returns><paramref name="start"/>.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The slice does not lie within the array or span.</exception>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Start(int available, int start, int length)
        {
            if ((uint)start > (uint)available || (uint)length > (uint)(available - start))
            {
                Throw();
            }

            return start;
        }

        /// <summary>Checks that <paramref name="index"/> is an element of a slice of <paramref name="length"/> elements.</summary>
        /// <param name="index">The index into the slice.</param>
        /// <param name="length">The slice's length.</param>
        /// <returns><paramref name="index"/>.</returns>
        /// <exception cref="IndexOutOfRangeException">The index is outside the slice.</exception>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Index(int index, int length)
        {
            if ((uint)index >= (uint)length)
            {
                ThrowIndex();
            }

            return index;
        }

        private static void Throw() => throw new ArgumentOutOfRangeException("start", "The slice does not lie within the array or span it is cut from.");

        private static void ThrowIndex() => throw new IndexOutOfRangeException();
    }
}
