using System;
using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// GradBench's <c>gmm</c>: the log posterior of a Gaussian mixture with a Wishart prior on the precision
    /// matrices (GradBench's corrected definition: the log prior is added). Every matrix is flattened row-major:
    /// <c>mu</c>, <c>q</c> and <c>x</c> are <c>k×d</c>, <c>k×d</c> and <c>n×d</c>; <c>l</c> is
    /// <c>k × d(d−1)/2</c>, each row the strict lower part of the factor <c>Q</c> filled column by column.
    /// </summary>
    public static partial class Gmm
    {
        /// <summary>
        /// The log posterior <c>log p(X | θ, φ) + log p(θ)</c>, written the way it is computed by hand: the
        /// factors' diagonals and log-determinants once, then per point and component the Mahalanobis term
        /// through <c>Q·(x − μ)</c>, a stable log-sum-exp over components, and the Wishart prior.
        /// </summary>
        [Differentiable]
        public static double LogPosterior(double[] alpha, double[] mu, double[] q, double[] l,
            [NoGrad] double[] x, int d, int k, int n, [NoGrad] double gamma, int m)
        {
            int lSize = d * (d - 1) / 2;

            // The factors' diagonals exp(q) and their log-determinants sum(q), once per component.
            var qDiag = new double[k * d];
            var sumQ = new double[k];
            for (int c = 0; c < k; c++)
            {
                double s = 0;
                for (int j = 0; j < d; j++)
                {
                    qDiag[c * d + j] = Math.Exp(q[c * d + j]);
                    s += q[c * d + j];
                }

                sumQ[c] = s;
            }

            var centered = new double[d];
            var transformed = new double[d];
            var mainTerm = new double[k];
            double sumLse = 0;
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < k; c++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        centered[j] = x[i * d + j] - mu[c * d + j];
                    }

                    QTimes(qDiag, l, c, d, lSize, centered, transformed);
                    mainTerm[c] = alpha[c] + sumQ[c] - 0.5 * SquaredNorm(transformed, d);
                }

                sumLse += LogSumExp(mainTerm, k);
            }

            double logLikelihood = -n * d * 0.5 * Math.Log(2 * Math.PI) + sumLse - n * LogSumExp(alpha, k);
            return logLikelihood + LogWishartPrior(qDiag, sumQ, l, d, k, gamma, m);
        }

        /// <summary><c>out = Q·v</c> for component <paramref name="c"/>'s lower-triangular factor.</summary>
        private static void QTimes(double[] qDiag, double[] l, int c, int d, int lSize, double[] v, double[] result)
        {
            for (int j = 0; j < d; j++)
            {
                result[j] = qDiag[c * d + j] * v[j];
            }

            // The strict lower part, column by column: Q[row, col] = l[c][idx] for row > col.
            int idx = c * lSize;
            for (int col = 0; col < d; col++)
            {
                double vCol = v[col];
                for (int row = col + 1; row < d; row++)
                {
                    result[row] += l[idx] * vCol;
                    idx++;
                }
            }
        }

        private static double SquaredNorm(double[] v, int count)
        {
            double s = 0;
            for (int j = 0; j < count; j++)
            {
                double vj = v[j];
                s += vj * vj;
            }

            return s;
        }

        /// <summary><c>log Σ exp(v)</c> over the first <paramref name="count"/> elements, shifted by the maximum.</summary>
        private static double LogSumExp(double[] v, int count)
        {
            double max = v[0];
            for (int j = 1; j < count; j++)
            {
                max = Math.Max(max, v[j]);
            }

            double s = 0;
            for (int j = 0; j < count; j++)
            {
                s += Math.Exp(v[j] - max);
            }

            return Math.Log(s) + max;
        }

        /// <summary>
        /// <c>Σ_k log W(Qₖᵀ Qₖ; V = I/γ², n = d + m + 1)</c>:
        /// <c>K(n·d·log(γ/√2) − log Γ_d(n/2)) − γ²/2 Σ‖Qₖ‖²_F + m Σ q</c>.
        /// </summary>
        private static double LogWishartPrior(double[] qDiag, double[] sumQ, double[] l, int d, int k, double gamma, int m)
        {
            int lSize = d * (d - 1) / 2;
            int dof = d + m + 1;
            double constant = dof * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - SpecialFunctions.LogMultivariateGamma(0.5 * dof, d);
            double s = 0;
            for (int c = 0; c < k; c++)
            {
                double frobenius = 0;
                for (int j = 0; j < d; j++)
                {
                    frobenius += qDiag[c * d + j] * qDiag[c * d + j];
                }

                for (int j = 0; j < lSize; j++)
                {
                    frobenius += l[c * lSize + j] * l[c * lSize + j];
                }

                s += 0.5 * gamma * gamma * frobenius - m * sumQ[c];
            }

            return k * constant - s;
        }
    }
}
