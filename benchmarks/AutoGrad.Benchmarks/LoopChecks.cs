using System;

namespace AutoGrad.Benchmarks
{
    /// <summary>
    /// The <c>--check</c> part for <see cref="LoopFunctions"/>: at the benchmark's sizes and several data sets, the
    /// generated Backward and the hand-written one must agree on the value and every gradient element to
    /// <see cref="Tolerance"/> (relative; the two sum in different orders, so not bit for bit), and the hand-written
    /// gradient must match central finite differences (1e-5). A second call per point starts from non-zero gradient
    /// buffers with seed 0.7 and checks that both ADD seed × gradient into them.
    /// </summary>
    internal static class LoopChecks
    {
        public const double Tolerance = 1e-10;

        /// <summary>
        /// One variant of a function over its differentiable inputs flattened into one vector: returns the value
        /// and adds seed × gradient into <c>grad</c> (same flat layout).
        /// </summary>
        internal delegate double FlatBackward(double[] point, double[] grad, double seed);

        public static int Run(ref int comparisons)
        {
            int failures = 0;

            // 0. the classifier through helper calls against the same model inlined by hand: flat = w1 ++ b1 ++ w2 ++ b2.
            {
                const int hidden = HelperFunctions.Hidden, classes = HelperFunctions.Classes, inputs = HelperFunctions.Inputs;
                int[] sizes = { hidden * inputs, hidden, classes * hidden, classes };
                for (int s = 0; s < 3; s++)
                {
                    double[] x = LoopData.Uniform(inputs, 900 + s);
                    double[] point = LoopData.Uniform(sizes[0] + sizes[1] + sizes[2] + sizes[3], 950 + s, -0.5, 0.5);
                    int label = s * 4;
                    double[][] Split(double[] flat)
                    {
                        var parts = new double[4][];
                        int offset = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            parts[k] = flat[offset..(offset + sizes[k])];
                            offset += sizes[k];
                        }

                        return parts;
                    }

                    double Through(Func<double[][], double[][], double, double> backward, double[] p, double[] g, double seed)
                    {
                        var parts = Split(p);
                        var grads = Split(g);
                        double value = backward(parts, grads, seed);
                        int offset = 0;
                        foreach (var part in grads)
                        {
                            part.CopyTo(g, offset);
                            offset += part.Length;
                        }

                        return value;
                    }

                    failures += CheckPoint($"MlpHelperCalls(seed {s})", point,
                        (p, g, seed) => Through((a, d, sd) => HelperFunctions.WithHelpersBackward(a[0], a[1], a[2], a[3], x, label, d[0], d[1], d[2], d[3], sd), p, g, seed),
                        (p, g, seed) => Through((a, d, sd) => HelperFunctions.InlinedBackward(a[0], a[1], a[2], a[3], x, label, d[0], d[1], d[2], d[3], sd), p, g, seed),
                        p => { var a = Split(p); return HelperFunctions.WithHelpers(a[0], a[1], a[2], a[3], x, label); }, ref comparisons);
                }
            }

            // Recursion: the recursive Horner's Backward against the loop's; flat = c ++ x.
            for (int s = 0; s < 3; s++)
            {
                double[] point = LoopData.Uniform(RecursionFunctions.Degree + 1, 970 + s, -0.9, 0.9);
                int degree = RecursionFunctions.Degree;
                point[degree] = 0.95 + 0.05 * s; // near 1, so that no power of x is lost in finite-difference noise
                failures += CheckPoint($"RecursiveHorner(seed {s})", point,
                    (p, g, seed) =>
                    {
                        double f = RecursionFunctions.HornerRecursiveBackward(p[..degree], p[degree], 0, g.AsSpan(0, degree), out double dX, seed);
                        g[degree] += dX;
                        return f;
                    },
                    (p, g, seed) =>
                    {
                        double f = RecursionFunctions.HornerLoopBackward(p[..degree], p[degree], g.AsSpan(0, degree), out double dX, seed);
                        g[degree] += dX;
                        return f;
                    },
                    p => RecursionFunctions.HornerRecursive(p[..degree], p[degree], 0), ref comparisons);
            }

            // 1. dot product, n = 256: flat = w.
            for (int s = 0; s < 3; s++)
            {
                double[] w = LoopData.Uniform(LoopData.DotN, 100 + s);
                double[] x = LoopData.Uniform(LoopData.DotN, 200 + s);
                failures += CheckPoint($"Dot(seed {s})", w,
                    (p, g, seed) => LoopFunctions.DotBackward(p, x, g, seed),
                    (p, g, seed) => LoopFunctions.DotHand(p, x, g, seed),
                    p => LoopFunctions.Dot(p, x), ref comparisons);
            }

            // 2. mean logistic loss, 64 × 8: flat = w[0..8) ++ b.
            const int n = LoopData.LogRows, d = LoopData.LogFeatures;
            for (int s = 0; s < 3; s++)
            {
                double[] X = LoopData.Uniform(n * d, 300 + s, -2.0, 2.0);
                double[] y = LoopData.Labels(n, 400 + s);
                double[] point = LoopData.Uniform(d + 1, 500 + s, -0.5, 0.5);
                failures += CheckPoint($"LogisticLoss(seed {s})", point,
                    (p, g, seed) =>
                    {
                        double f = LoopFunctions.LogisticLossBackward(p[..d], p[d], X, y, n, d, g.AsSpan(0, d), out double dB, seed);
                        g[d] += dB;
                        return f;
                    },
                    (p, g, seed) =>
                    {
                        double f = LoopFunctions.LogisticLossHand(p[..d], p[d], X, y, n, d, g.AsSpan(0, d), out double dB, seed);
                        g[d] += dB;
                        return f;
                    },
                    p => LoopFunctions.LogisticLoss(p[..d], p[d], X, y, n, d), ref comparisons);
            }

            // 3. softmax cross-entropy, 32 logits: flat = z; labels at both ends and in the middle.
            int[] labels = { 0, 5, LoopData.Logits - 1 };
            for (int s = 0; s < labels.Length; s++)
            {
                int label = labels[s];
                double[] z = LoopData.Uniform(LoopData.Logits, 600 + s, -3.0, 3.0);
                failures += CheckPoint($"SoftmaxCrossEntropy(seed {s}, label {label})", z,
                    (p, g, seed) => LoopFunctions.SoftmaxCrossEntropyBackward(p, label, g, seed),
                    (p, g, seed) => LoopFunctions.SoftmaxCrossEntropyHand(p, label, g, seed),
                    p => LoopFunctions.SoftmaxCrossEntropy(p, label), ref comparisons);
            }

            // 4. two-layer ReLU network, d = 16, h = 32: flat = W1 (h×d) ++ b1 ++ W2 ++ b2; both the stackalloc and the
            //    new double[] versions against the same hand-written backward.
            const int di = LoopData.MlpInputs, h = LoopData.MlpHidden;
            const int oB1 = h * di, oW2 = oB1 + h, oB2 = oW2 + h;
            for (int s = 0; s < 3; s++)
            {
                double[] x = LoopData.Uniform(di, 700 + s);
                double target = 0.3 - 0.4 * s;
                double[] point = new double[oB2 + 1];
                LoopData.Uniform(h * di, 800 + s, -0.5, 0.5).CopyTo(point, 0);
                LoopData.Uniform(h, 900 + s, -0.1, 0.1).CopyTo(point, oB1);
                LoopData.Uniform(h, 1000 + s, -0.5, 0.5).CopyTo(point, oW2);
                point[oB2] = 0.05;

                double Hand(double[] p, double[] g, double seed)
                {
                    double f = LoopFunctions.TwoLayerReluHand(p[..oB1], p[oB1..oW2], p[oW2..oB2], p[oB2], x, target, h,
                        g.AsSpan(0, oB1), g.AsSpan(oB1, h), g.AsSpan(oW2, h), out double dB2, seed);
                    g[oB2] += dB2;
                    return f;
                }

                failures += CheckPoint($"TwoLayerRelu(seed {s})", point,
                    (p, g, seed) =>
                    {
                        double f = LoopFunctions.TwoLayerReluBackward(p[..oB1], p[oB1..oW2], p[oW2..oB2], p[oB2], x, target, h,
                            g.AsSpan(0, oB1), g.AsSpan(oB1, h), g.AsSpan(oW2, h), out double dB2, seed);
                        g[oB2] += dB2;
                        return f;
                    },
                    Hand,
                    p => LoopFunctions.TwoLayerRelu(p[..oB1], p[oB1..oW2], p[oW2..oB2], p[oB2], x, target, h), ref comparisons);

                failures += CheckPoint($"TwoLayerReluHeap(seed {s})", point,
                    (p, g, seed) =>
                    {
                        double f = LoopFunctions.TwoLayerReluHeapBackward(p[..oB1], p[oB1..oW2], p[oW2..oB2], p[oB2], x, target, h,
                            g.AsSpan(0, oB1), g.AsSpan(oB1, h), g.AsSpan(oW2, h), out double dB2, seed);
                        g[oB2] += dB2;
                        return f;
                    },
                    Hand,
                    p => LoopFunctions.TwoLayerReluHeap(p[..oB1], p[oB1..oW2], p[oW2..oB2], p[oB2], x, target, h), ref comparisons);
            }

            return failures;
        }

        private static int CheckPoint(string at, double[] point, FlatBackward generated, FlatBackward hand,
            Func<double[], double> primal, ref int comparisons) =>
            CheckPoint(at, point, generated, hand, primal, Tolerance, ref comparisons);

        /// <summary>
        /// As above with another <paramref name="tolerance"/>; the last three parameters are
        /// <see cref="Program.Compare"/>'s (finite differences at every <paramref name="fdStride"/>-th coordinate,
        /// their floor, and the floor of the relative comparison as a fraction of the largest gradient element).
        /// </summary>
        internal static int CheckPoint(string at, double[] point, FlatBackward generated, FlatBackward hand,
            Func<double[], double> primal, double tolerance, ref int comparisons,
            int fdStride = 1, double fdFloor = 1e-8, double floorFraction = 0.0)
        {
            // Zeroed buffers, seed 1: the gradient itself, also against finite differences.
            var gen = new double[point.Length];
            var hw = new double[point.Length];
            double fGen = generated(point, gen, 1.0);
            double fHand = hand(point, hw, 1.0);
            int failures = Program.Compare(at, point, fGen, fHand, gen, hw, primal, tolerance, ref comparisons,
                fdStride, fdFloor, floorFraction);

            // Pre-filled buffers, seed 0.7: both must add 0.7 × gradient to what is there.
            double[] start = LoopData.Uniform(point.Length, 4242);
            var gen2 = (double[])start.Clone();
            var hw2 = (double[])start.Clone();
            generated(point, gen2, 0.7);
            hand(point, hw2, 0.7);
            double floor = floorFraction * Program.MaxAbs(hw2);
            for (int i = 0; i < point.Length; i++)
            {
                comparisons += 2;
                if (Program.Relative(gen2[i], hw2[i], floor) > tolerance)
                {
                    Console.WriteLine($"MISMATCH {at} accumulate d[{i}]: generated {gen2[i]:R}, hand-written {hw2[i]:R}");
                    failures++;
                }

                double expected = start[i] + 0.7 * hw[i];
                if (Program.Relative(hw2[i], expected, floor) > tolerance)
                {
                    Console.WriteLine($"MISMATCH {at} accumulate d[{i}]: hand-written {hw2[i]:R}, start + 0.7·gradient {expected:R}");
                    failures++;
                }
            }

            return failures;
        }
    }
}
