using System;
using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// GradBench's <c>lstm</c>: an <c>l</c>-layer LSTM with diagonal weights (element-wise products) run over a
    /// sequence of <c>c</c> characters of <c>b</c> bits, scored by the log-likelihood of each next character.
    /// Flattened row-major: <c>mainParams</c> is <c>2l × 4b</c> (per layer a row of weights and a row of biases,
    /// each the forget, input, output and change gates' <c>b</c> values), <c>extraParams</c> is <c>3 × b</c>
    /// (input weight, output weight, output bias), <c>state</c> is <c>2l × b</c> (per layer hidden then cell),
    /// <c>sequence</c> is <c>c × b</c>.
    /// </summary>
    public static partial class Lstm
    {
        /// <summary>The loss: minus the mean over predicted bits of <c>ygold · (y − log(Σ exp(y) + 2))</c>.</summary>
        [Differentiable]
        public static double Loss(double[] mainParams, double[] extraParams, [NoGrad] double[] state, [NoGrad] double[] sequence,
            int l, int c, int b)
        {
            // The state is the caller's: run on a copy.
            var hidden = new double[l * b];
            var cell = new double[l * b];
            for (int layer = 0; layer < l; layer++)
            {
                for (int j = 0; j < b; j++)
                {
                    hidden[layer * b + j] = state[2 * layer * b + j];
                    cell[layer * b + j] = state[2 * layer * b + b + j];
                }
            }

            var input = new double[b];
            var prediction = new double[b];
            double total = 0;
            int count = 0;
            for (int t = 0; t < c - 1; t++)
            {
                Predict(mainParams, extraParams, sequence, t, l, b, hidden, cell, input, prediction);

                double lse = LogSumExpPlusTwo(prediction, b);
                for (int j = 0; j < b; j++)
                {
                    total += sequence[(t + 1) * b + j] * (prediction[j] - lse);
                }

                count += b;
            }

            return -total / count;
        }

        /// <summary>One step: scale character <paramref name="t"/>, run it through every layer, and read out.</summary>
        private static void Predict(double[] mainParams, double[] extraParams, double[] sequence, int t, int l, int b,
            double[] hidden, double[] cell, double[] input, double[] prediction)
        {
            for (int j = 0; j < b; j++)
            {
                input[j] = sequence[t * b + j] * extraParams[j];
            }

            for (int layer = 0; layer < l; layer++)
            {
                int weights = 8 * b * layer;
                int biases = weights + 4 * b;
                for (int j = 0; j < b; j++)
                {
                    // A layer's input is the scaled character for the first layer, the layer below's new hidden state after.
                    double x = layer == 0 ? input[j] : hidden[(layer - 1) * b + j];
                    double h = hidden[layer * b + j];
                    double forget = Sigmoid(x * mainParams[weights + j] + mainParams[biases + j]);
                    double ingate = Sigmoid(h * mainParams[weights + b + j] + mainParams[biases + b + j]);
                    double outgate = Sigmoid(x * mainParams[weights + 2 * b + j] + mainParams[biases + 2 * b + j]);
                    double change = Math.Tanh(h * mainParams[weights + 3 * b + j] + mainParams[biases + 3 * b + j]);
                    double newCell = cell[layer * b + j] * forget + ingate * change;
                    cell[layer * b + j] = newCell;
                    hidden[layer * b + j] = outgate * Math.Tanh(newCell);
                }
            }

            for (int j = 0; j < b; j++)
            {
                prediction[j] = hidden[(l - 1) * b + j] * extraParams[b + j] + extraParams[2 * b + j];
            }
        }

        private static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

        /// <summary><c>log(Σ exp(v) + 2)</c>: GradBench's normaliser (the reference adds 2 inside the log).</summary>
        private static double LogSumExpPlusTwo(double[] v, int count)
        {
            double s = 0;
            for (int j = 0; j < count; j++)
            {
                s += Math.Exp(v[j]);
            }

            return Math.Log(s + 2);
        }
    }
}
