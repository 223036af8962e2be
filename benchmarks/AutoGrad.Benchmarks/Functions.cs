using System;
using AutoGrad;

namespace AutoGrad.Benchmarks
{
    /// <summary>
    /// The functions under benchmark. Each <c>[Differentiable]</c> method gets a generated <c>…Backward</c>;
    /// beside it is a hand-written forward + backward with the same signature, the way a careful engineer
    /// would write it (shared subexpressions, closed-form local derivatives).
    /// </summary>
    public static partial class Functions
    {
        // ---------------------------------------------------------------- 1. sigmoid neuron

        /// <summary>A sigmoid neuron: 1 / (1 + e^-(w0·x0 + w1·x1 + w2)).</summary>
        [Differentiable]
        public static double Neuron(double w0, double w1, double w2, double x0, double x1)
        {
            double dot = w0 * x0 + w1 * x1 + w2;
            return 1.0 / (1.0 + Math.Exp(-dot));
        }

        /// <summary>Hand-written gradient of <see cref="Neuron"/>: σ' = σ(1 − σ).</summary>
        public static double NeuronHand(double w0, double w1, double w2, double x0, double x1,
            out double dW0, out double dW1, out double dW2, out double dX0, out double dX1, double seed = 1.0)
        {
            double dot = w0 * x0 + w1 * x1 + w2;
            double s = 1.0 / (1.0 + Math.Exp(-dot));
            double dDot = seed * s * (1.0 - s);
            dW0 = dDot * x0;
            dW1 = dDot * x1;
            dW2 = dDot;
            dX0 = dDot * w0;
            dX1 = dDot * w1;
            return s;
        }

        // ---------------------------------------------------------------- 2. 2-2-1 tanh network + Huber loss

        /// <summary>
        /// A two-input, two-hidden-unit tanh network with one linear output, scored by the Huber loss
        /// (quadratic for |r| ≤ 1, linear beyond). Nine trainable parameters; the sample (x0, x1, y) is data.
        /// </summary>
        [Differentiable]
        public static double TwoLayerHuber(
            double w00, double w01, double w10, double w11, double b0, double b1,
            double v0, double v1, double c,
            [NoGrad] double x0, [NoGrad] double x1, [NoGrad] double y)
        {
            double h0 = Math.Tanh(w00 * x0 + w01 * x1 + b0);
            double h1 = Math.Tanh(w10 * x0 + w11 * x1 + b1);
            double r = v0 * h0 + v1 * h1 + c - y;
            double a = Math.Abs(r);
            if (a <= 1.0)
            {
                return 0.5 * r * r;
            }

            return a - 0.5;
        }

        /// <summary>Hand-written gradient of <see cref="TwoLayerHuber"/>.</summary>
        public static double TwoLayerHuberHand(
            double w00, double w01, double w10, double w11, double b0, double b1,
            double v0, double v1, double c, double x0, double x1, double y,
            out double dW00, out double dW01, out double dW10, out double dW11, out double dB0, out double dB1,
            out double dV0, out double dV1, out double dC, double seed = 1.0)
        {
            double h0 = Math.Tanh(w00 * x0 + w01 * x1 + b0);
            double h1 = Math.Tanh(w10 * x0 + w11 * x1 + b1);
            double r = v0 * h0 + v1 * h1 + c - y;
            double a = Math.Abs(r);
            double f, dR;
            if (a <= 1.0)
            {
                f = 0.5 * r * r;
                dR = seed * r;
            }
            else
            {
                f = a - 0.5;
                dR = r > 0 ? seed : -seed;
            }

            dV0 = dR * h0;
            dV1 = dR * h1;
            dC = dR;
            double dZ0 = dR * v0 * (1.0 - h0 * h0);
            double dZ1 = dR * v1 * (1.0 - h1 * h1);
            dW00 = dZ0 * x0;
            dW01 = dZ0 * x1;
            dB0 = dZ0;
            dW10 = dZ1 * x0;
            dW11 = dZ1 * x1;
            dB1 = dZ1;
            return f;
        }

        // ---------------------------------------------------------------- 3. Pow, Log, Sqrt

        /// <summary>
        /// s = √(x² + y² + 1), g = s^p, f = g·ln(s + g) − p·ln s: a power with a differentiable exponent,
        /// two logarithms and a square root.
        /// </summary>
        [Differentiable]
        public static double PowLogSqrt(double x, double y, double p)
        {
            double s = Math.Sqrt(x * x + y * y + 1.0);
            double g = Math.Pow(s, p);
            double l = Math.Log(s + g);
            return g * l - p * Math.Log(s);
        }

        /// <summary>
        /// Hand-written gradient of <see cref="PowLogSqrt"/>: ln s is computed once and reused for the
        /// primal and for ∂g/∂p = g·ln s; ∂g/∂s = p·g/s needs no second Pow.
        /// </summary>
        public static double PowLogSqrtHand(double x, double y, double p,
            out double dX, out double dY, out double dP, double seed = 1.0)
        {
            double s = Math.Sqrt(x * x + y * y + 1.0);
            double g = Math.Pow(s, p);
            double u = s + g;
            double l = Math.Log(u);
            double ls = Math.Log(s);
            double f = g * l - p * ls;

            double dU = seed * g / u;           // through l = ln u
            double dG = seed * l + dU;          // g·l, and g inside u
            double invS = 1.0 / s;
            double dS = dU + (dG * p * g - seed * p) * invS;   // u = s + g, g = s^p, −p·ln s
            dP = (dG * g - seed) * ls;          // ∂g/∂p = g·ln s, ∂(−p ln s)/∂p = −ln s
            double dQ = 0.5 * dS * invS;        // s = √q
            dX = 2.0 * dQ * x;
            dY = 2.0 * dQ * y;
            return f;
        }
    }
}
