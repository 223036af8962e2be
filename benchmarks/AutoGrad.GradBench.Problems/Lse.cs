using System;
using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// GradBench's <c>lse</c>: LSE(x) = a + log Σᵢ exp(xᵢ − a) with a = max x (the log-sum-exp trick), and its gradient.
    /// </summary>
    public static partial class Lse
    {
        /// <summary>LSE(x), written from its primitives: a running maximum, then a sum of exponentials.</summary>
        [Differentiable]
        public static double Primal(double[] x)
        {
            double a = x[0];
            for (int i = 1; i < x.Length; i++)
            {
                a = Math.Max(a, x[i]);
            }

            double s = 0.0;
            for (int i = 0; i < x.Length; i++)
            {
                s += Math.Exp(x[i] - a);
            }

            return Math.Log(s) + a;
        }

        /// <summary>The gradient through the generated <c>PrimalBackward</c>; writes <paramref name="gradient"/> (zeroed first).</summary>
        public static double Gradient(double[] x, double[] gradient)
        {
            Array.Clear(gradient);
            return PrimalBackward(x, gradient);
        }

        /// <summary>Hand-written gradient: ∂LSE/∂xᵢ = exp(xᵢ − LSE(x)), the softmax. Writes <paramref name="gradient"/>.</summary>
        public static double GradientByHand(double[] x, double[] gradient)
        {
            double a = x[0];
            for (int i = 1; i < x.Length; i++)
            {
                if (x[i] > a)
                {
                    a = x[i];
                }
            }

            double s = 0.0;
            for (int i = 0; i < x.Length; i++)
            {
                double e = Math.Exp(x[i] - a);
                gradient[i] = e;
                s += e;
            }

            double inverse = 1.0 / s;
            for (int i = 0; i < x.Length; i++)
            {
                gradient[i] *= inverse;
            }

            return Math.Log(s) + a;
        }
    }
}
