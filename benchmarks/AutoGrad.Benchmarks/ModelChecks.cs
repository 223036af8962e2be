using System;

namespace AutoGrad.Benchmarks
{
    /// <summary>
    /// The <c>--check</c> part for <see cref="ModelFunctions"/> (issue 8's cases), at the benchmark's sizes: generated
    /// == hand-written to <see cref="Tolerance"/> relative (value and every gradient element, zeroed buffers with seed 1
    /// and pre-filled buffers with seed 0.7). An element is compared relative to at least <see cref="FloorFraction"/> of
    /// the largest element: the two sum a gradient's terms in different orders (the generated reverse pass walks the
    /// batch backwards), and on elements shrunk by cancellation that alone gives relative differences up to 1e-11.
    /// The hand-written gradient is checked against central finite differences (1e-5, floor <see cref="FdFloor"/>: their
    /// noise is ~1e-9 absolute) at every coordinate of the one-example network and of Rosenbrock at n = 100 (at
    /// n = 10,000 the sum is ~10⁶ and the differences' rounding noise ~1e-4), every 97th of the batch (64× dearer).
    /// </summary>
    internal static class ModelChecks
    {
        public const double Tolerance = 1e-12;
        public const double FloorFraction = 1e-3;
        private const double FdFloor = 1e-3;

        private delegate double Mlp64Backward(double[] w1, double[] b1, double[] w2, double[] b2,
            Span<double> dW1, Span<double> dB1, Span<double> dW2, Span<double> dB2, double seed);

        private static readonly int[] Sizes =
        {
            ModelFunctions.Hidden * ModelFunctions.Inputs, ModelFunctions.Hidden,
            ModelFunctions.Classes * ModelFunctions.Hidden, ModelFunctions.Classes,
        };

        public static int Run(ref int comparisons)
        {
            int failures = 0;
            for (int s = 0; s < 3; s++)
            {
                double[] x = ModelData.RosenbrockX(3100 + s);
                foreach (int n in new[] { x.Length, 100 })
                {
                    failures += LoopChecks.CheckPoint($"Rosenbrock(n {n}, seed {s})", x[..n],
                        (p, g, seed) => ModelFunctions.RosenbrockBackward(p, g, seed),
                        (p, g, seed) => ModelFunctions.RosenbrockHand(p, g, seed),
                        ModelFunctions.Rosenbrock, Tolerance, ref comparisons, n == x.Length ? 0 : 1, 1e-8, FloorFraction);
                }
            }

            for (int s = 0; s < 3; s++)
            {
                double[] x = ModelData.Inputs(1, 3200 + s);
                int label = 3 * s;
                failures += CheckMlp($"Mlp64(seed {s}, label {label})", 3300 + 10 * s, 1,
                    (w1, b1, w2, b2, d1, e1, d2, e2, seed) => ModelFunctions.Mlp64Backward(w1, b1, w2, b2, x, label, d1, e1, d2, e2, seed),
                    (w1, b1, w2, b2, d1, e1, d2, e2, seed) => ModelFunctions.Mlp64Hand(w1, b1, w2, b2, x, label, d1, e1, d2, e2, seed),
                    w => ModelFunctions.Mlp64(w[0], w[1], w[2], w[3], x, label), ref comparisons);
            }

            for (int s = 0; s < 2; s++)
            {
                double[] x = ModelData.Inputs(ModelFunctions.Batch, 3400 + s);
                int[] labels = ModelData.Labels(ModelFunctions.Batch, 3500 + s);
                failures += CheckMlp($"Mlp64Batch(seed {s})", 3600 + 10 * s, 97,
                    (w1, b1, w2, b2, d1, e1, d2, e2, seed) => ModelFunctions.Mlp64BatchBackward(w1, b1, w2, b2, x, labels, d1, e1, d2, e2, seed),
                    (w1, b1, w2, b2, d1, e1, d2, e2, seed) => ModelFunctions.Mlp64BatchHand(w1, b1, w2, b2, x, labels, d1, e1, d2, e2, seed),
                    w => ModelFunctions.Mlp64Batch(w[0], w[1], w[2], w[3], x, labels), ref comparisons);
                failures += CheckMlp($"Mlp64WithHelpers(seed {s})", 3600 + 10 * s, 97,
                    (w1, b1, w2, b2, d1, e1, d2, e2, seed) => ModelFunctions.Mlp64WithHelpersBackward(w1, b1, w2, b2, x, labels, d1, e1, d2, e2, seed),
                    (w1, b1, w2, b2, d1, e1, d2, e2, seed) => ModelFunctions.Mlp64BatchHand(w1, b1, w2, b2, x, labels, d1, e1, d2, e2, seed),
                    w => ModelFunctions.Mlp64WithHelpers(w[0], w[1], w[2], w[3], x, labels), ref comparisons);
            }

            return failures;
        }

        /// <summary>One network case over its parameters flattened as w1 ++ b1 ++ w2 ++ b2.</summary>
        private static int CheckMlp(string at, int weightSeed, int fdStride, Mlp64Backward generated, Mlp64Backward hand,
            Func<double[][], double> primal, ref int comparisons)
        {
            double[][] weights = ModelData.Mlp64Weights(weightSeed);
            var point = new double[Sizes[0] + Sizes[1] + Sizes[2] + Sizes[3]];
            int at0 = 0;
            foreach (double[] part in weights)
            {
                part.CopyTo(point, at0);
                at0 += part.Length;
            }

            return LoopChecks.CheckPoint(at, point, Flat(generated), Flat(hand), p => primal(Split(p)), Tolerance,
                ref comparisons, fdStride, FdFloor, FloorFraction);
        }

        private static LoopChecks.FlatBackward Flat(Mlp64Backward backward) => (p, g, seed) =>
        {
            double[][] w = Split(p);
            int o1 = Sizes[0], o2 = o1 + Sizes[1], o3 = o2 + Sizes[2];
            return backward(w[0], w[1], w[2], w[3],
                g.AsSpan(0, Sizes[0]), g.AsSpan(o1, Sizes[1]), g.AsSpan(o2, Sizes[2]), g.AsSpan(o3, Sizes[3]), seed);
        };

        private static double[][] Split(double[] flat)
        {
            var parts = new double[Sizes.Length][];
            int offset = 0;
            for (int k = 0; k < Sizes.Length; k++)
            {
                parts[k] = flat[offset..(offset + Sizes[k])];
                offset += Sizes[k];
            }

            return parts;
        }
    }
}
