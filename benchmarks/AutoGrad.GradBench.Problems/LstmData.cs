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
            ProblemArrays.CheckLength(mainParams, 8 * l * b, nameof(mainParams));
            ProblemArrays.CheckLength(extraParams, 3 * b, nameof(extraParams));
            ProblemArrays.CheckLength(state, 2 * l * b, nameof(state));
            ProblemArrays.CheckLength(sequence, c * b, nameof(sequence));
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
            return new LstmInput(l, sequence.Length, b, ProblemArrays.Flatten(mainParams, 4 * b, nameof(mainParams)), ProblemArrays.Flatten(extraParams, b, nameof(extraParams)), ProblemArrays.Flatten(state, b, nameof(state)), ProblemArrays.Flatten(sequence, b, nameof(sequence)));
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
    }
}
