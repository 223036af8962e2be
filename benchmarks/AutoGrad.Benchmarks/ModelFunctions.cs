using System;
using AutoGrad;

namespace AutoGrad.Benchmarks
{
    /// <summary>
    /// Issue 8's benchmark cases: Rosenbrock over 10,000 elements and a 64→128→10 ReLU classifier with softmax
    /// cross-entropy (one example; a batch of 64 inline; the same batch through helper calls). Beside each
    /// <c>[Differentiable]</c> method is the hand-written forward + backward with the generated signature: array
    /// gradients are spans the gradient is ADDED into, scaled by <c>seed</c>.
    /// </summary>
    public static partial class ModelFunctions
    {
        public const int RosenbrockN = 10_000;
        public const int Inputs = 64;
        public const int Hidden = 128;
        public const int Classes = 10;
        public const int Batch = 64;

        // ---------------------------------------------------------------- Rosenbrock

        /// <summary>Σ 100(x[i+1] − x[i]²)² + (1 − x[i])².</summary>
        [Differentiable]
        public static double Rosenbrock(double[] x)
        {
            double s = 0;
            for (int i = 0; i < x.Length - 1; i++)
            {
                double a = x[i + 1] - x[i] * x[i];
                double b = 1 - x[i];
                s += 100 * a * a + b * b;
            }

            return s;
        }

        /// <summary>
        /// Hand-written gradient of <see cref="Rosenbrock"/> in the same pass: ∂/∂x[i+1] += 200a,
        /// ∂/∂x[i] += −400a·x[i] − 2b.
        /// </summary>
        public static double RosenbrockHand(double[] x, Span<double> dX, double seed = 1.0)
        {
            double s = 0;
            double twoSeed = 2 * seed;
            for (int i = 0; i < x.Length - 1; i++)
            {
                double xi = x[i];
                double a = x[i + 1] - xi * xi;
                double b = 1 - xi;
                s += 100 * a * a + b * b;
                double da = 100 * twoSeed * a;
                dX[i] -= 2 * xi * da + twoSeed * b;
                dX[i + 1] += da;
            }

            return s;
        }

        // ---------------------------------------------------------------- 64→128→10 MLP, one example

        /// <summary>
        /// relu(w1·x + b1) → w2·h + b2 → softmax cross-entropy against <paramref name="label"/>. w1 is 128×64 and
        /// w2 10×128, row-major.
        /// </summary>
        [Differentiable]
        public static double Mlp64(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, int label)
        {
            Span<double> hidden = stackalloc double[Hidden];
            Span<double> logits = stackalloc double[Classes];
            for (int j = 0; j < Hidden; j++)
            {
                double s = b1[j];
                for (int i = 0; i < Inputs; i++)
                {
                    s += w1[j * Inputs + i] * x[i];
                }

                hidden[j] = Math.Max(s, 0.0);
            }

            for (int k = 0; k < Classes; k++)
            {
                double s = b2[k];
                for (int j = 0; j < Hidden; j++)
                {
                    s += w2[k * Hidden + j] * hidden[j];
                }

                logits[k] = s;
            }

            double max = logits[0];
            for (int k = 1; k < Classes; k++)
            {
                max = Math.Max(max, logits[k]);
            }

            double sum = 0;
            for (int k = 0; k < Classes; k++)
            {
                sum += Math.Exp(logits[k] - max);
            }

            return Math.Log(sum) + max - logits[label];
        }

        /// <summary>Hand-written forward + backward of <see cref="Mlp64"/>.</summary>
        public static double Mlp64Hand(double[] w1, double[] b1, double[] w2, double[] b2, double[] x, int label,
            Span<double> dW1, Span<double> dB1, Span<double> dW2, Span<double> dB2, double seed = 1.0)
        {
            Span<double> hidden = stackalloc double[Hidden];
            Span<double> work = stackalloc double[Hidden + Classes];
            return ExampleHand(w1, b1, w2, b2, x, 0, label, hidden, work, dW1, dB1, dW2, dB2, seed);
        }

        /// <summary>
        /// One example's forward and backward, the gradient times <paramref name="seed"/> added into the buffers.
        /// <paramref name="hidden"/> (128) and <paramref name="work"/> (128 + 10) are scratch: the hidden
        /// activations, then the hidden gradient and the exponentials of the logits.
        /// </summary>
        private static double ExampleHand(double[] w1, double[] b1, double[] w2, double[] b2, double[] x, int offset,
            int label, Span<double> hidden, Span<double> work,
            Span<double> dW1, Span<double> dB1, Span<double> dW2, Span<double> dB2, double seed)
        {
            ReadOnlySpan<double> xe = x.AsSpan(offset, Inputs);
            for (int j = 0; j < Hidden; j++)
            {
                ReadOnlySpan<double> row = w1.AsSpan(j * Inputs, Inputs);
                double s = b1[j];
                for (int i = 0; i < Inputs; i++)
                {
                    s += row[i] * xe[i];
                }

                hidden[j] = Math.Max(s, 0.0);
            }

            Span<double> dHidden = work.Slice(0, Hidden);
            Span<double> e = work.Slice(Hidden, Classes);
            double max = double.NegativeInfinity;
            for (int k = 0; k < Classes; k++)
            {
                ReadOnlySpan<double> row = w2.AsSpan(k * Hidden, Hidden);
                double s = b2[k];
                for (int j = 0; j < Hidden; j++)
                {
                    s += row[j] * hidden[j];
                }

                e[k] = s;
                max = Math.Max(max, s);
            }

            double zLabel = e[label];
            double sum = 0;
            for (int k = 0; k < Classes; k++)
            {
                double ek = Math.Exp(e[k] - max);
                e[k] = ek;
                sum += ek;
            }

            double loss = Math.Log(sum) + max - zLabel;

            // dlogit_k = seed · (softmax_k − [k = label]); dW2 row k and the hidden gradient in one pass over w2.
            dHidden.Clear();
            double scale = seed / sum;
            for (int k = 0; k < Classes; k++)
            {
                double dz = scale * e[k] - (k == label ? seed : 0.0);
                dB2[k] += dz;
                ReadOnlySpan<double> row = w2.AsSpan(k * Hidden, Hidden);
                Span<double> dRow = dW2.Slice(k * Hidden, Hidden);
                for (int j = 0; j < Hidden; j++)
                {
                    dRow[j] += dz * hidden[j];
                    dHidden[j] += dz * row[j];
                }
            }

            // Through the ReLU: only active units reach w1 and b1.
            for (int j = 0; j < Hidden; j++)
            {
                if (hidden[j] > 0.0)
                {
                    double dz = dHidden[j];
                    dB1[j] += dz;
                    Span<double> dRow = dW1.Slice(j * Inputs, Inputs);
                    for (int i = 0; i < Inputs; i++)
                    {
                        dRow[i] += dz * xe[i];
                    }
                }
            }

            return loss;
        }

        // ---------------------------------------------------------------- the same, a batch of 64, mean loss

        /// <summary>
        /// Mean of <see cref="Mlp64"/>'s loss over <c>labels.Length</c> examples (x is examples × 64, row-major),
        /// reusing one hidden and one logits buffer for every example.
        /// </summary>
        [Differentiable]
        public static double Mlp64Batch(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, int[] labels)
        {
            Span<double> hidden = stackalloc double[Hidden];
            Span<double> logits = stackalloc double[Classes];
            double loss = 0;
            for (int n = 0; n < labels.Length; n++)
            {
                int offset = n * Inputs;
                for (int j = 0; j < Hidden; j++)
                {
                    double s = b1[j];
                    for (int i = 0; i < Inputs; i++)
                    {
                        s += w1[j * Inputs + i] * x[offset + i];
                    }

                    hidden[j] = Math.Max(s, 0.0);
                }

                for (int k = 0; k < Classes; k++)
                {
                    double s = b2[k];
                    for (int j = 0; j < Hidden; j++)
                    {
                        s += w2[k * Hidden + j] * hidden[j];
                    }

                    logits[k] = s;
                }

                double max = logits[0];
                for (int k = 1; k < Classes; k++)
                {
                    max = Math.Max(max, logits[k]);
                }

                double sum = 0;
                for (int k = 0; k < Classes; k++)
                {
                    sum += Math.Exp(logits[k] - max);
                }

                loss += Math.Log(sum) + max - logits[labels[n]];
            }

            return loss / labels.Length;
        }

        /// <summary>
        /// Hand-written forward + backward of <see cref="Mlp64Batch"/> (and of <see cref="Mlp64WithHelpers"/>):
        /// each example's forward and backward in turn, the gradient scaled by seed / batch; nothing is kept
        /// from one example to the next.
        /// </summary>
        public static double Mlp64BatchHand(double[] w1, double[] b1, double[] w2, double[] b2, double[] x, int[] labels,
            Span<double> dW1, Span<double> dB1, Span<double> dW2, Span<double> dB2, double seed = 1.0)
        {
            Span<double> hidden = stackalloc double[Hidden];
            Span<double> work = stackalloc double[Hidden + Classes];
            double scale = seed / labels.Length;
            double loss = 0;
            for (int n = 0; n < labels.Length; n++)
            {
                loss += ExampleHand(w1, b1, w2, b2, x, n * Inputs, labels[n], hidden, work, dW1, dB1, dW2, dB2, scale);
            }

            return loss / labels.Length;
        }

        // ---------------------------------------------------------------- the batch through helper calls

        /// <summary>
        /// A dense layer over <c>input[offset .. offset + n)</c>: a [Differentiable] method cannot pass a slice
        /// (<c>x.AsSpan(…)</c>) to a helper (AG0011), so the example's offset into the batch is an argument.
        /// </summary>
        private static void Dense(double[] w, double[] b, ReadOnlySpan<double> input, int offset, int n, Span<double> output)
        {
            for (int j = 0; j < output.Length; j++)
            {
                double s = b[j];
                for (int i = 0; i < n; i++)
                {
                    s += w[j * n + i] * input[offset + i];
                }

                output[j] = s;
            }
        }

        /// <summary>
        /// <see cref="Mlp64Batch"/> written as helper calls (<see cref="Dense"/>, then <see cref="HelperFunctions"/>'
        /// <c>Relu</c> and <c>SoftmaxCrossEntropy</c>; none of them marked, the generator inlines them).
        /// </summary>
        [Differentiable]
        public static double Mlp64WithHelpers(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, int[] labels)
        {
            Span<double> hidden = stackalloc double[Hidden];
            Span<double> logits = stackalloc double[Classes];
            double loss = 0;
            for (int n = 0; n < labels.Length; n++)
            {
                Dense(w1, b1, x, n * Inputs, Inputs, hidden);
                HelperFunctions.Relu(hidden);
                Dense(w2, b2, hidden, 0, Hidden, logits);
                loss += HelperFunctions.SoftmaxCrossEntropy(logits, labels[n]);
            }

            return loss / labels.Length;
        }
    }
}
