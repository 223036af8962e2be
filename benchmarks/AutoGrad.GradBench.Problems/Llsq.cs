using System;
using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// GradBench's <c>llsq</c> (cmpad's <c>llsq_obj</c>): y(x) = ½ Σ_{i&lt;n} (sᵢ − Σ_{j&lt;m} xⱼ tᵢʲ)² with
    /// tᵢ = −1 + 2i/(n − 1) and sᵢ = sign(tᵢ) (sign(0) = 0); m is the length of x, n is given.
    /// </summary>
    public static partial class Llsq
    {
        /// <summary>tᵢ = −1 + i·2/(n − 1), computed in that order (as GradBench's definition does).</summary>
        public static double T(int i, int n) => -1.0 + i * 2.0 / (n - 1);

        /// <summary>sign(t): 1, −1, or 0 at 0.</summary>
        public static double S(double t)
        {
            if (t > 0.0)
            {
                return 1.0;
            }

            if (t < 0.0)
            {
                return -1.0;
            }

            return 0.0;
        }

        /// <summary>y(x): the polynomial with coefficients x evaluated by running powers of tᵢ.</summary>
        [Differentiable]
        public static double Primal(double[] x, int n)
        {
            double sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                double ti = T(i, n);
                double r = S(ti);
                double power = 1.0;
                for (int j = 0; j < x.Length; j++)
                {
                    r -= x[j] * power;
                    power *= ti;
                }

                sum += r * r;
            }

            return sum / 2.0;
        }

        /// <summary>The gradient through the generated <c>PrimalBackward</c>; writes <paramref name="gradient"/> (zeroed first).</summary>
        public static double Gradient(double[] x, int n, double[] gradient)
        {
            Array.Clear(gradient);
            return PrimalBackward(x, n, gradient);
        }

        /// <summary>Hand-written gradient: ∂y/∂xⱼ = −Σᵢ rᵢ tᵢʲ with rᵢ the residual. Writes <paramref name="gradient"/>.</summary>
        public static double GradientByHand(double[] x, int n, double[] gradient)
        {
            int m = x.Length;
            Array.Clear(gradient);
            double sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                double ti = T(i, n);
                double r = S(ti);
                double power = 1.0;
                for (int j = 0; j < m; j++)
                {
                    r -= x[j] * power;
                    power *= ti;
                }

                sum += r * r;
                power = 1.0;
                for (int j = 0; j < m; j++)
                {
                    gradient[j] -= r * power;
                    power *= ti;
                }
            }

            return sum / 2.0;
        }
    }
}
