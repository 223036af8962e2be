using System;
using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// GradBench's <c>det</c> (cmpad's <c>det_by_minor</c>): the determinant of an ℓ×ℓ matrix (row-major) by
    /// expansion by minors along the first row, det A = Σⱼ (−1)ʲ a₀ⱼ det M₀ⱼ, recursively; the gradient is ℓ² numbers, row-major.
    /// </summary>
    public static partial class Det
    {
        /// <summary>Copies A without row 0 and column j into <paramref name="minor"/> ((ℓ−1)×(ℓ−1), row-major).</summary>
        static void Minor(ReadOnlySpan<double> a, int ell, int j, Span<double> minor)
        {
            int m = ell - 1;
            for (int r = 1; r < ell; r++)
            {
                for (int c = 0; c < j; c++)
                {
                    minor[(r - 1) * m + c] = a[r * ell + c];
                }

                for (int c = j + 1; c < ell; c++)
                {
                    minor[(r - 1) * m + c - 1] = a[r * ell + c];
                }
            }
        }

        /// <summary>
        /// det A by expansion along the first row; recursion goes through the generated <c>PrimalBackward</c>.
        /// The minors live on the stack (ℓ ≤ 11 in GradBench: at most 100 + 81 + … numbers deep).
        /// </summary>
        [Differentiable]
        public static double Primal(ReadOnlySpan<double> a, int ell)
        {
            if (ell == 1)
            {
                return a[0];
            }

            Span<double> minor = stackalloc double[(ell - 1) * (ell - 1)];
            double det = 0.0;
            double sign = 1.0;
            for (int j = 0; j < ell; j++)
            {
                Minor(a, ell, j, minor);
                det += sign * a[j] * Primal(minor, ell - 1);
                sign = -sign;
            }

            return det;
        }

        /// <summary>The gradient through the generated <c>PrimalBackward</c>; writes <paramref name="gradient"/> (zeroed first).</summary>
        public static double Gradient(ReadOnlySpan<double> a, int ell, Span<double> gradient)
        {
            gradient.Clear();
            return PrimalBackward(a, ell, gradient);
        }

        /// <summary>Hand-written gradient (the cofactor matrix) by the same recursion. Writes <paramref name="gradient"/>.</summary>
        public static double GradientByHand(ReadOnlySpan<double> a, int ell, Span<double> gradient)
        {
            gradient.Clear();
            return AddGradient(a, ell, 1.0, gradient);
        }

        /// <summary>
        /// Returns det A and adds <paramref name="seed"/>·∂det/∂A into <paramref name="gradient"/>:
        /// ∂/∂a₀ⱼ = (−1)ʲ det M₀ⱼ, and the gradient of each minor, weighted by (−1)ʲ a₀ⱼ, goes back to the entries it copied.
        /// </summary>
        static double AddGradient(ReadOnlySpan<double> a, int ell, double seed, Span<double> gradient)
        {
            if (ell == 1)
            {
                gradient[0] += seed;
                return a[0];
            }

            int m = ell - 1;
            Span<double> minor = stackalloc double[m * m];
            Span<double> minorGradient = stackalloc double[m * m];
            double det = 0.0;
            double sign = 1.0;
            for (int j = 0; j < ell; j++)
            {
                Minor(a, ell, j, minor);
                minorGradient.Clear();
                double weight = sign * a[j];
                double detMinor = AddGradient(minor, m, seed * weight, minorGradient);
                det += weight * detMinor;
                gradient[j] += seed * sign * detMinor;
                for (int r = 1; r < ell; r++)
                {
                    for (int c = 0; c < j; c++)
                    {
                        gradient[r * ell + c] += minorGradient[(r - 1) * m + c];
                    }

                    for (int c = j + 1; c < ell; c++)
                    {
                        gradient[r * ell + c] += minorGradient[(r - 1) * m + c - 1];
                    }
                }

                sign = -sign;
            }

            return det;
        }
    }
}
