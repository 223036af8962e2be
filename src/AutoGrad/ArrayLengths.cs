using System;
using System.ComponentModel;

namespace AutoGrad
{
    /// <summary>
    /// For generated code: sizes a scratch array that a loop declares with a length read from an <c>int</c> array
    /// (<c>new double[sizes[l]]</c>), which a Backward declares once, before the loop, with the largest length.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class ArrayLengths
    {
        /// <summary>The largest of <paramref name="lengths"/>, or 0 when it is empty or all its values are negative.</summary>
        /// <param name="lengths">The lengths the loop may use.</param>
        public static int Max(ReadOnlySpan<int> lengths)
        {
            int max = 0;
            foreach (int length in lengths)
            {
                if (length > max) max = length;
            }

            return max;
        }
    }
}
