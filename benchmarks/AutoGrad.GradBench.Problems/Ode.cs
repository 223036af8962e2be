using System;
using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// GradBench's <c>ode</c> (cmpad's <c>an_ode</c>): y₀′ = x₀, yᵢ′ = xᵢ yᵢ₋₁ (i &gt; 0), y(0) = 0, solved on [0, 2]
    /// by classic Runge–Kutta (RK4) with s steps of h = 2/s. The primal is y(2) (n numbers); the gradient is
    /// that of its last element, y_{n−1}(2), with respect to x.
    /// </summary>
    public static partial class Ode
    {
        /// <summary>The right-hand side: z = f(y), z₀ = x₀, zᵢ = xᵢ yᵢ₋₁.</summary>
        static void Rhs(double[] x, double[] y, double[] z)
        {
            z[0] = x[0];
            for (int i = 1; i < x.Length; i++)
            {
                z[i] = x[i] * y[i - 1];
            }
        }

        /// <summary>y_{n−1}(2): RK4 written naturally, the stages in local arrays filled by helpers (inlined by the generator).</summary>
        [Differentiable]
        public static double Last(double[] x, int s)
        {
            int n = x.Length;
            double h = 2.0 / s;
            double[] y = new double[n];
            double[] k1 = new double[n];
            double[] k2 = new double[n];
            double[] k3 = new double[n];
            double[] k4 = new double[n];
            double[] u = new double[n];
            Integrate(x, s, h, y, k1, k2, k3, k4, u);
            return y[n - 1];
        }

        /// <summary>s RK4 steps of size h from y (updated in place); k1..k4 and u are scratch.</summary>
        static void Integrate(double[] x, int s, double h, double[] y, double[] k1, double[] k2, double[] k3, double[] k4, double[] u)
        {
            for (int step = 0; step < s; step++)
            {
                Stages(x, h, y, k1, k2, k3, k4, u);
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] += h * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]) / 6.0;
                }
            }
        }

        /// <summary>The primal: y(2) written into <paramref name="y"/> (length n), the same RK4 as <see cref="Last"/>.</summary>
        public static void Solve(double[] x, int s, double[] y)
        {
            int n = x.Length;
            double h = 2.0 / s;
            var k1 = new double[n];
            var k2 = new double[n];
            var k3 = new double[n];
            var k4 = new double[n];
            var u = new double[n];
            Array.Clear(y);
            Integrate(x, s, h, y, k1, k2, k3, k4, u);
        }

        /// <summary>The gradient of y_{n−1}(2) through the generated <c>LastBackward</c>; writes <paramref name="gradient"/> (zeroed first).</summary>
        public static double Gradient(double[] x, int s, double[] gradient)
        {
            Array.Clear(gradient);
            return LastBackward(x, s, gradient);
        }

        /// <summary>The four stages of one step from y: k1..k4 (u is scratch; on return it holds y + h k3).</summary>
        static void Stages(double[] x, double h, double[] y, double[] k1, double[] k2, double[] k3, double[] k4, double[] u)
        {
            int n = x.Length;
            Rhs(x, y, k1);
            for (int i = 0; i < n; i++)
            {
                u[i] = y[i] + h * k1[i] / 2.0;
            }

            Rhs(x, u, k2);
            for (int i = 0; i < n; i++)
            {
                u[i] = y[i] + h * k2[i] / 2.0;
            }

            Rhs(x, u, k3);
            for (int i = 0; i < n; i++)
            {
                u[i] = y[i] + h * k3[i];
            }

            Rhs(x, u, k4);
        }

        /// <summary>
        /// The pullback of z = f(v) with z̄ = <paramref name="zBar"/>: sets <paramref name="vBar"/> (v̄ᵢ₋₁ = z̄ᵢ xᵢ,
        /// v̄_{n−1} = 0) and adds x̄₀ += z̄₀, x̄ᵢ += z̄ᵢ vᵢ₋₁ into <paramref name="xBar"/>.
        /// </summary>
        static void RhsPullback(double[] x, double[] v, double[] zBar, double[] vBar, double[] xBar)
        {
            int n = x.Length;
            xBar[0] += zBar[0];
            for (int i = 1; i < n; i++)
            {
                xBar[i] += zBar[i] * v[i - 1];
                vBar[i - 1] = zBar[i] * x[i];
            }

            vBar[n - 1] = 0.0;
        }

        /// <summary>
        /// Hand-written reverse mode: the forward pass keeps y at the start of each step (s·n numbers); the
        /// reverse pass recomputes that step's stages and pulls ȳ back through k4, k3, k2, k1. Writes <paramref name="gradient"/>.
        /// </summary>
        public static double GradientByHand(double[] x, int s, double[] gradient)
        {
            int n = x.Length;
            double h = 2.0 / s;
            var k1 = new double[n];
            var k2 = new double[n];
            var k3 = new double[n];
            var k4 = new double[n];
            var u = new double[n];
            var ys = new double[(long)s * n];
            var y = new double[n];
            for (int step = 0; step < s; step++)
            {
                Array.Copy(y, 0, ys, (long)step * n, n);
                Stages(x, h, y, k1, k2, k3, k4, u);
                for (int i = 0; i < n; i++)
                {
                    y[i] += h * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]) / 6.0;
                }
            }

            double result = y[n - 1];

            // yBar: the state's adjoint (ȳ' of the step's output on entry, ȳ of its input on exit);
            // outBar: ȳ' kept through the step; kBar, uBar: a stage's adjoint and its argument's.
            var yBar = new double[n];
            var outBar = new double[n];
            var kBar = new double[n];
            var uBar = new double[n];
            Array.Clear(gradient);
            yBar[n - 1] = 1.0;
            for (int step = s - 1; step >= 0; step--)
            {
                Array.Copy(ys, (long)step * n, y, 0, n);
                Stages(x, h, y, k1, k2, k3, k4, u); // u = u4 = y + h k3
                Array.Copy(yBar, outBar, n);

                // y' = y + h (k1 + 2 k2 + 2 k3 + k4) / 6; k4 = f(u4).
                for (int i = 0; i < n; i++)
                {
                    kBar[i] = h * outBar[i] / 6.0;
                }

                RhsPullback(x, u, kBar, uBar, gradient);

                // u4 = y + h k3; k3 = f(u3), u3 = y + h k2 / 2.
                for (int i = 0; i < n; i++)
                {
                    yBar[i] += uBar[i];
                    kBar[i] = h * outBar[i] / 3.0 + h * uBar[i];
                    u[i] = y[i] + h * k2[i] / 2.0;
                }

                RhsPullback(x, u, kBar, uBar, gradient);

                // u3 = y + h k2 / 2; k2 = f(u2), u2 = y + h k1 / 2.
                for (int i = 0; i < n; i++)
                {
                    yBar[i] += uBar[i];
                    kBar[i] = h * outBar[i] / 3.0 + h * uBar[i] / 2.0;
                    u[i] = y[i] + h * k1[i] / 2.0;
                }

                RhsPullback(x, u, kBar, uBar, gradient);

                // u2 = y + h k1 / 2; k1 = f(y).
                for (int i = 0; i < n; i++)
                {
                    yBar[i] += uBar[i];
                    kBar[i] = h * outBar[i] / 6.0 + h * uBar[i] / 2.0;
                }

                RhsPullback(x, y, kBar, uBar, gradient);
                for (int i = 0; i < n; i++)
                {
                    yBar[i] += uBar[i];
                }
            }

            return result;
        }
    }
}
