using System;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>Shape checks and flattening for the problems' input types.</summary>
    internal static class ProblemArrays
    {
        /// <summary>Throws unless <paramref name="array"/> has <paramref name="length"/> elements.</summary>
        public static void CheckLength(double[] array, int length, string name)
        {
            if (array is null) throw new ArgumentNullException(name);
            if (array.Length != length) throw new ArgumentException($"'{name}' has {array.Length} elements, expected {length}.", name);
        }

        /// <summary>Row-major flattening of rows that must all have <paramref name="width"/> elements.</summary>
        public static double[] Flatten(double[][] rows, int width, string name)
        {
            var flat = new double[rows.Length * width];
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Length != width) throw new ArgumentException($"Row {i} of '{name}' has {rows[i].Length} elements, expected {width}.", name);
                Array.Copy(rows[i], 0, flat, i * width, width);
            }

            return flat;
        }
    }
}
