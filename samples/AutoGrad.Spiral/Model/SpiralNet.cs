using System;
using AutoGrad;

namespace AutoGrad.Spiral
{
    /// <summary>
    /// A two-layer ReLU network (2 inputs, a hidden layer, 3 class scores) with a softmax cross-entropy loss
    /// and L2 regularisation, written as small helpers. The generator inlines the helpers into the
    /// <c>[Differentiable]</c> losses and emits <c>DataLossBackward</c>, <c>L2PenaltyBackward</c> and
    /// <c>LossBackward</c>.
    /// </summary>
    /// <remarks>
    /// Weights are stored row by row: <c>w1[j * 2 + i]</c> connects input <c>i</c> to hidden unit <c>j</c>,
    /// <c>w2[c * hidden + j]</c> connects hidden unit <c>j</c> to class <c>c</c>.
    /// </remarks>
    public static partial class SpiralNet
    {
        /// <summary>Inputs per example: the point's two coordinates.</summary>
        public const int Inputs = 2;

        /// <summary>Classes: the spiral's arms.</summary>
        public const int Classes = 3;

        /// <summary>A dense layer: <c>output[j] = b[j] + Σ_i w[j · input.Length + i] · input[i]</c>.</summary>
        /// <param name="w">The weights, one row per output.</param>
        /// <param name="b">The biases, one per output.</param>
        /// <param name="input">The layer's input.</param>
        /// <param name="output">Receives the layer's output.</param>
        public static void Dense(double[] w, double[] b, double[] input, double[] output)
        {
            int n = input.Length;
            for (int j = 0; j < output.Length; j++)
            {
                double s = b[j];
                for (int i = 0; i < n; i++)
                {
                    s += w[j * n + i] * input[i];
                }

                output[j] = s;
            }
        }

        /// <summary>The rectified linear unit, <c>max(0, z)</c>.</summary>
        /// <param name="z">The pre-activation.</param>
        /// <returns>The activation.</returns>
        public static double Relu(double z)
        {
            if (z > 0) return z;
            return 0.0;
        }

        /// <summary>
        /// The softmax cross-entropy <c>-log(e^{z_label} / Σ_c e^{z_c})</c>, computed stably: the largest
        /// score is subtracted first. The loss does not depend on that shift, so its gradient is stopped.
        /// </summary>
        /// <param name="logits">The class scores.</param>
        /// <param name="label">The correct class.</param>
        /// <returns>The loss.</returns>
        public static double SoftmaxCrossEntropy(double[] logits, int label)
        {
            double max = logits[0];
            for (int c = 1; c < logits.Length; c++)
            {
                max = Math.Max(max, logits[c]);
            }

            double shift = Diff.StopGradient(max);
            double sum = 0;
            for (int c = 0; c < logits.Length; c++)
            {
                sum += Math.Exp(logits[c] - shift);
            }

            return Math.Log(sum) - (logits[label] - shift);
        }

        /// <summary>The sum of the squares of the elements of <paramref name="w"/>.</summary>
        /// <param name="w">The weights.</param>
        /// <returns><c>Σ w_i²</c>.</returns>
        public static double SumOfSquares(double[] w)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                s += w[i] * w[i];
            }

            return s;
        }

        /// <summary>
        /// The cross-entropy of examples <paramref name="start"/> (inclusive) to <paramref name="end"/>
        /// (exclusive), summed and multiplied by <paramref name="scale"/>. With <c>scale = 1/N</c> the chunks'
        /// values add up to the mean over all N examples, so each thread can take one chunk.
        /// </summary>
        /// <param name="w1">First-layer weights, hidden × 2.</param>
        /// <param name="b1">First-layer biases.</param>
        /// <param name="w2">Second-layer weights, 3 × hidden.</param>
        /// <param name="b2">Second-layer biases.</param>
        /// <param name="x">The points, two coordinates each.</param>
        /// <param name="labels">The points' classes.</param>
        /// <param name="start">The first example of the chunk.</param>
        /// <param name="end">One past the last example of the chunk.</param>
        /// <param name="scale">What the sum is multiplied by, usually 1/N.</param>
        /// <returns>The chunk's share of the data loss.</returns>
        [Differentiable]
        public static double DataLoss(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, [NoGrad] int[] labels, int start, int end, [NoGrad] double scale)
        {
            var point = new double[Inputs];
            var hidden = new double[b1.Length];
            var logits = new double[b2.Length];
            double total = 0;
            for (int i = start; i < end; i++)
            {
                point[0] = x[i * Inputs];
                point[1] = x[i * Inputs + 1];
                Dense(w1, b1, point, hidden);
                for (int j = 0; j < hidden.Length; j++)
                {
                    hidden[j] = Relu(hidden[j]);
                }

                Dense(w2, b2, hidden, logits);
                total += SoftmaxCrossEntropy(logits, labels[i]);
            }

            return total * scale;
        }

        /// <summary>The L2 regularisation <c>½ · reg · (Σ w1² + Σ w2²)</c>, as in the course (biases are not regularised).</summary>
        /// <param name="w1">First-layer weights.</param>
        /// <param name="w2">Second-layer weights.</param>
        /// <param name="reg">The regularisation strength.</param>
        /// <returns>The penalty.</returns>
        [Differentiable]
        public static double L2Penalty(double[] w1, double[] w2, [NoGrad] double reg)
        {
            return 0.5 * reg * (SumOfSquares(w1) + SumOfSquares(w2));
        }

        /// <summary>The whole objective: the mean cross-entropy over all examples plus the L2 penalty.</summary>
        /// <param name="w1">First-layer weights.</param>
        /// <param name="b1">First-layer biases.</param>
        /// <param name="w2">Second-layer weights.</param>
        /// <param name="b2">Second-layer biases.</param>
        /// <param name="x">The points, two coordinates each.</param>
        /// <param name="labels">The points' classes.</param>
        /// <param name="reg">The regularisation strength.</param>
        /// <returns>The loss.</returns>
        [Differentiable]
        public static double Loss(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, [NoGrad] int[] labels, [NoGrad] double reg)
        {
            int n = labels.Length;
            return DataLoss(w1, b1, w2, b2, x, labels, 0, n, 1.0 / n) + L2Penalty(w1, w2, reg);
        }

        /// <summary>The predicted class of one point: the largest score. Plain code, the same helpers.</summary>
        /// <param name="model">The parameters.</param>
        /// <param name="px">The point's first coordinate.</param>
        /// <param name="py">The point's second coordinate.</param>
        /// <param name="scratch">Buffers for the point, the hidden layer and the scores.</param>
        /// <returns>The class with the largest score.</returns>
        public static int Predict(Parameters model, double px, double py, Scratch scratch)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(scratch);
            scratch.Point[0] = px;
            scratch.Point[1] = py;
            Dense(model.W1, model.B1, scratch.Point, scratch.Hidden);
            for (int j = 0; j < scratch.Hidden.Length; j++)
            {
                scratch.Hidden[j] = Relu(scratch.Hidden[j]);
            }

            Dense(model.W2, model.B2, scratch.Hidden, scratch.Logits);
            int best = 0;
            for (int c = 1; c < scratch.Logits.Length; c++)
            {
                if (scratch.Logits[c] > scratch.Logits[best]) best = c;
            }

            return best;
        }
    }
}
