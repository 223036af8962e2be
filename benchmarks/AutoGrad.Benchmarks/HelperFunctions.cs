using System;

namespace AutoGrad.Benchmarks
{
    /// <summary>
    /// A 16→32→10 classifier written twice: as calls of small helpers (<c>Dense → Relu → Dense →
    /// SoftmaxCrossEntropy</c>, none of them marked) and as one method with the same loops inlined by hand.
    /// The generator differentiates through the helper calls; the benchmark compares the two Backwards.
    /// </summary>
    public static partial class HelperFunctions
    {
        public const int Inputs = 16;
        public const int Hidden = 32;
        public const int Classes = 10;

        private static void Dense(double[] w, double[] b, ReadOnlySpan<double> input, Span<double> output)
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

        internal static void Relu(Span<double> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Math.Max(values[i], 0.0);
            }
        }

        internal static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, int label)
        {
            double max = logits[0];
            for (int i = 1; i < logits.Length; i++)
            {
                max = Math.Max(max, logits[i]);
            }

            double sum = 0;
            for (int i = 0; i < logits.Length; i++)
            {
                sum += Math.Exp(logits[i] - max);
            }

            return Math.Log(sum) + max - logits[label];
        }

        /// <summary>The model as helper calls.</summary>
        [Differentiable]
        public static double WithHelpers(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, int label)
        {
            Span<double> hidden = stackalloc double[Hidden];
            Span<double> logits = stackalloc double[Classes];
            Dense(w1, b1, x, hidden);
            Relu(hidden);
            Dense(w2, b2, hidden, logits);
            return SoftmaxCrossEntropy(logits, label);
        }

        /// <summary>The same model with every helper's body pasted in place of its call.</summary>
        [Differentiable]
        public static double Inlined(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, int label)
        {
            Span<double> hidden = stackalloc double[Hidden];
            Span<double> logits = stackalloc double[Classes];
            int n = x.Length;
            for (int j = 0; j < hidden.Length; j++)
            {
                double s = b1[j];
                for (int i = 0; i < n; i++)
                {
                    s += w1[j * n + i] * x[i];
                }

                hidden[j] = s;
            }

            for (int i = 0; i < hidden.Length; i++)
            {
                hidden[i] = Math.Max(hidden[i], 0.0);
            }

            int m = hidden.Length;
            for (int j = 0; j < logits.Length; j++)
            {
                double s = b2[j];
                for (int i = 0; i < m; i++)
                {
                    s += w2[j * m + i] * hidden[i];
                }

                logits[j] = s;
            }

            double max = logits[0];
            for (int i = 1; i < logits.Length; i++)
            {
                max = Math.Max(max, logits[i]);
            }

            double sum = 0;
            for (int i = 0; i < logits.Length; i++)
            {
                sum += Math.Exp(logits[i] - max);
            }

            return Math.Log(sum) + max - logits[label];
        }
    }
}

namespace AutoGrad.Benchmarks
{
    /// <summary>
    /// Horner's rule over 16 coefficients, recursive (each level's gradient comes from the generated Backward
    /// of the next, which runs that level's forward pass again) and as a loop.
    /// </summary>
    public static partial class RecursionFunctions
    {
        public const int Degree = 16;

        [Differentiable]
        public static double HornerRecursive(double[] c, double x, int i) =>
            i == c.Length - 1 ? c[i] : c[i] + x * HornerRecursive(c, x, i + 1);

        [Differentiable]
        public static double HornerLoop(double[] c, double x)
        {
            double s = c[c.Length - 1];
            for (int i = c.Length - 2; i >= 0; i--)
            {
                s = c[i] + x * s;
            }

            return s;
        }
    }
}
