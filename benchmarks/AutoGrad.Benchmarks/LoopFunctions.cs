using System;
using AutoGrad;

namespace AutoGrad.Benchmarks
{
    /// <summary>
    /// The loop and array functions under benchmark. Each <c>[Differentiable]</c> method gets a generated
    /// <c>…Backward</c> whose array gradients are <see cref="Span{T}"/> parameters that the gradient is ADDED
    /// into (the caller zeroes them). Beside each is a hand-written forward + backward with the same signature
    /// and the same accumulate-into contract, written the way a careful engineer would: no tape, per-element
    /// intermediates recomputed or kept in a small stack buffer only where the backward really needs them.
    /// </summary>
    public static partial class LoopFunctions
    {
        // ---------------------------------------------------------------- 1. dot product

        /// <summary>Σ wᵢ·xᵢ; only <paramref name="w"/> is differentiated.</summary>
        [Differentiable]
        public static double Dot(ReadOnlySpan<double> w, [NoGrad] ReadOnlySpan<double> x)
        {
            double s = 0.0;
            for (int i = 0; i < w.Length; i++)
            {
                s += w[i] * x[i];
            }

            return s;
        }

        /// <summary>Hand-written gradient of <see cref="Dot"/>: ∂s/∂wᵢ = xᵢ.</summary>
        public static double DotHand(ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> dW, double seed = 1.0)
        {
            double s = 0.0;
            for (int i = 0; i < w.Length; i++)
            {
                s += w[i] * x[i];
            }

            for (int i = 0; i < w.Length; i++)
            {
                dW[i] += seed * x[i];
            }

            return s;
        }

        // ---------------------------------------------------------------- 2. mean logistic loss

        /// <summary>
        /// Mean logistic (binary cross-entropy) loss of a linear model with weights <paramref name="w"/> and bias
        /// <paramref name="b"/> over <paramref name="n"/> rows of <paramref name="X"/> (row-major, n×d) with 0/1 labels
        /// <paramref name="y"/>.
        /// </summary>
        [Differentiable]
        public static double LogisticLoss(double[] w, double b, [NoGrad] double[] X, [NoGrad] double[] y, int n, int d)
        {
            double loss = 0.0;
            for (int i = 0; i < n; i++)
            {
                double z = b;
                for (int j = 0; j < d; j++)
                {
                    z += w[j] * X[i * d + j];
                }

                double p = 1.0 / (1.0 + Math.Exp(-z));
                loss -= y[i] * Math.Log(p) + (1.0 - y[i]) * Math.Log(1.0 - p);
            }

            return loss / n;
        }

        /// <summary>
        /// Hand-written gradient of <see cref="LogisticLoss"/>: per row, ∂loss/∂z = (p − y)/n, so
        /// dw += (p − y)/n · xᵢ and db += (p − y)/n, in one pass (no second pass, nothing stored).
        /// </summary>
        public static double LogisticLossHand(double[] w, double b, double[] X, double[] y, int n, int d,
            Span<double> dW, out double dB, double seed = 1.0)
        {
            double loss = 0.0;
            double db = 0.0;
            double scale = seed / n;
            for (int i = 0; i < n; i++)
            {
                int row = i * d;
                double z = b;
                for (int j = 0; j < d; j++)
                {
                    z += w[j] * X[row + j];
                }

                double p = 1.0 / (1.0 + Math.Exp(-z));
                loss -= y[i] * Math.Log(p) + (1.0 - y[i]) * Math.Log(1.0 - p);
                double dz = scale * (p - y[i]);
                db += dz;
                for (int j = 0; j < d; j++)
                {
                    dW[j] += dz * X[row + j];
                }
            }

            dB = db;
            return loss / n;
        }

        // ---------------------------------------------------------------- 3. softmax cross-entropy

        /// <summary>
        /// Softmax cross-entropy of logits <paramref name="z"/> for the class <paramref name="label"/>:
        /// log Σ exp(zᵢ − m) − (z_label − m), with the maximum m subtracted first for stability.
        /// </summary>
        [Differentiable]
        public static double SoftmaxCrossEntropy(ReadOnlySpan<double> z, int label)
        {
            double m = double.NegativeInfinity;
            for (int i = 0; i < z.Length; i++)
            {
                if (z[i] > m)
                {
                    m = z[i];
                }
            }

            double sum = 0.0;
            for (int i = 0; i < z.Length; i++)
            {
                sum += Math.Exp(z[i] - m);
            }

            return Math.Log(sum) - (z[label] - m);
        }

        /// <summary>
        /// Hand-written gradient of <see cref="SoftmaxCrossEntropy"/>: ∂/∂zᵢ = softmaxᵢ − [i = label] (the max
        /// cancels exactly). The exponentials are computed once and kept in a stack buffer (they cannot be parked
        /// in <paramref name="dZ"/>, which must only be added to).
        /// </summary>
        public static double SoftmaxCrossEntropyHand(ReadOnlySpan<double> z, int label, Span<double> dZ, double seed = 1.0)
        {
            double m = double.NegativeInfinity;
            for (int i = 0; i < z.Length; i++)
            {
                if (z[i] > m)
                {
                    m = z[i];
                }
            }

            // Keep the exponentials (32 doubles on the stack) rather than calling Exp twice per logit.
            Span<double> e = z.Length <= 128 ? stackalloc double[z.Length] : new double[z.Length];
            double sum = 0.0;
            for (int i = 0; i < z.Length; i++)
            {
                double ei = Math.Exp(z[i] - m);
                e[i] = ei;
                sum += ei;
            }

            double f = Math.Log(sum) - (z[label] - m);
            double k = seed / sum;
            for (int i = 0; i < z.Length; i++)
            {
                dZ[i] += k * e[i];
            }

            dZ[label] -= seed;
            return f;
        }

        // ---------------------------------------------------------------- 4. two-layer ReLU network

        /// <summary>
        /// A d-input, <paramref name="hidden"/>-unit ReLU layer (W1 is hidden×d, row-major) and one linear output,
        /// scored by ½(o − target)². The hidden layer lives in a local <c>stackalloc</c> array.
        /// </summary>
        [Differentiable]
        public static double TwoLayerRelu(double[] W1, double[] b1, double[] W2, double b2,
            [NoGrad] double[] x, [NoGrad] double target, int hidden)
        {
            int d = x.Length;
            Span<double> h = stackalloc double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                for (int i = 0; i < d; i++)
                {
                    z += W1[j * d + i] * x[i];
                }

                h[j] = Math.Max(0.0, z);
            }

            double o = b2;
            for (int j = 0; j < hidden; j++)
            {
                o += W2[j] * h[j];
            }

            double e = o - target;
            return 0.5 * e * e;
        }

        /// <summary>The same network with the hidden layer in <c>new double[hidden]</c> (the primal allocates).</summary>
        [Differentiable]
        public static double TwoLayerReluHeap(double[] W1, double[] b1, double[] W2, double b2,
            [NoGrad] double[] x, [NoGrad] double target, int hidden)
        {
            int d = x.Length;
            double[] h = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                for (int i = 0; i < d; i++)
                {
                    z += W1[j * d + i] * x[i];
                }

                h[j] = Math.Max(0.0, z);
            }

            double o = b2;
            for (int j = 0; j < hidden; j++)
            {
                o += W2[j] * h[j];
            }

            double e = o - target;
            return 0.5 * e * e;
        }

        /// <summary>
        /// Hand-written gradient of <see cref="TwoLayerRelu"/>: de = e; dW2ⱼ += de·hⱼ; db2 = de;
        /// dzⱼ = de·W2ⱼ·[zⱼ &gt; 0]; dW1ⱼᵢ += dzⱼ·xᵢ; db1ⱼ += dzⱼ. The hidden activations are kept on the stack.
        /// </summary>
        public static double TwoLayerReluHand(double[] W1, double[] b1, double[] W2, double b2,
            double[] x, double target, int hidden,
            Span<double> dW1, Span<double> dB1, Span<double> dW2, out double dB2, double seed = 1.0)
        {
            int d = x.Length;
            Span<double> h = stackalloc double[hidden];
            double o = b2;
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                int row = j * d;
                for (int i = 0; i < d; i++)
                {
                    z += W1[row + i] * x[i];
                }

                double hj = Math.Max(0.0, z);
                h[j] = hj;
                o += W2[j] * hj;
            }

            double e = o - target;
            double f = 0.5 * e * e;

            double dO = seed * e;
            dB2 = dO;
            for (int j = 0; j < hidden; j++)
            {
                dW2[j] += dO * h[j];
                if (h[j] > 0.0)
                {
                    double dz = dO * W2[j];
                    dB1[j] += dz;
                    int row = j * d;
                    for (int i = 0; i < d; i++)
                    {
                        dW1[row + i] += dz * x[i];
                    }
                }
            }

            return f;
        }
    }
}
