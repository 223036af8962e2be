using System;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// One <c>lstm</c> input, flattened row-major: <c>MainParams</c> <c>2L × 4B</c>, <c>ExtraParams</c> <c>3 × B</c>,
    /// <c>State</c> <c>2L × B</c>, <c>Sequence</c> <c>C × B</c> (GradBench: B = 14 bits per character).
    /// </summary>
    public sealed class LstmInput
    {
        public LstmInput(int l, int c, int b, double[] mainParams, double[] extraParams, double[] state, double[] sequence)
        {
            if (l < 1 || c < 2 || b < 1) throw new ArgumentOutOfRangeException(nameof(l), "Needs l >= 1, c >= 2, b >= 1.");
            Check(mainParams, 8 * l * b, nameof(mainParams));
            Check(extraParams, 3 * b, nameof(extraParams));
            Check(state, 2 * l * b, nameof(state));
            Check(sequence, c * b, nameof(sequence));
            L = l;
            C = c;
            B = b;
            MainParams = mainParams;
            ExtraParams = extraParams;
            State = state;
            Sequence = sequence;
        }

        /// <summary>Layers.</summary>
        public int L { get; }

        /// <summary>Characters in the sequence.</summary>
        public int C { get; }

        /// <summary>Bits per character.</summary>
        public int B { get; }

        public double[] MainParams { get; }

        public double[] ExtraParams { get; }

        public double[] State { get; }

        public double[] Sequence { get; }

        /// <summary>
        /// Builds an input from GradBench's nested lists; l, c and b follow from their shapes as in the reference
        /// (<c>l = rows(main_params) / 2</c>, <c>b = columns(main_params) / 4</c>, <c>c = rows(sequence)</c>).
        /// </summary>
        public static LstmInput FromNested(double[][] mainParams, double[][] extraParams, double[][] state, double[][] sequence)
        {
            int l = mainParams.Length / 2;
            int b = mainParams[0].Length / 4;
            return new LstmInput(l, sequence.Length, b, Flatten(mainParams), Flatten(extraParams), Flatten(state), Flatten(sequence));
        }

        /// <summary>
        /// An input shaped like GradBench's generator: the characters of <paramref name="text"/> as bits (most
        /// significant first, <c>⌈log₂ max code⌉</c> of them), parameters and state uniform on [0, 1).
        /// </summary>
        public static LstmInput FromText(string text, int l, int seed)
        {
            int maxCode = 2;
            foreach (char ch in text) maxCode = Math.Max(maxCode, ch);
            int b = (int)Math.Ceiling(Math.Log2(maxCode));
            var sequence = new double[text.Length * b];
            for (int t = 0; t < text.Length; t++)
            {
                for (int j = 0; j < b; j++)
                {
                    sequence[t * b + j] = (text[t] >> (b - 1 - j)) & 1;
                }
            }

            var random = new Random(seed);
            return new LstmInput(l, text.Length, b, Uniforms(random, 8 * l * b), Uniforms(random, 3 * b), Uniforms(random, 2 * l * b), sequence);
        }

        /// <summary>A random input: parameters and state uniform on [0, 1), characters random <paramref name="b"/>-bit codes.</summary>
        public static LstmInput Random(int l, int c, int seed, int b = 14)
        {
            var random = new Random(seed);
            var sequence = new double[c * b];
            for (int i = 0; i < sequence.Length; i++) sequence[i] = random.Next(2);
            return new LstmInput(l, c, b, Uniforms(random, 8 * l * b), Uniforms(random, 3 * b), Uniforms(random, 2 * l * b), sequence);
        }

        private static double[] Uniforms(Random random, int count)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++) values[i] = random.NextDouble();
            return values;
        }

        private static double[] Flatten(double[][] rows)
        {
            int width = rows.Length == 0 ? 0 : rows[0].Length;
            var flat = new double[rows.Length * width];
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Length != width) throw new ArgumentException($"Row {i} has {rows[i].Length} elements, expected {width}.", nameof(rows));
                Array.Copy(rows[i], 0, flat, i * width, width);
            }

            return flat;
        }

        private static void Check(double[] array, int length, string name)
        {
            if (array is null) throw new ArgumentNullException(name);
            if (array.Length != length) throw new ArgumentException($"'{name}' has {array.Length} elements, expected {length}.", name);
        }
    }
}
