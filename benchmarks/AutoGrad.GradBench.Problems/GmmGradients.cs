using System;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>The <c>gmm</c> API the GradBench tool calls: the objective, the generated and the hand-written gradient.</summary>
    public static partial class Gmm
    {
        /// <summary>GradBench's <c>objective</c>: the log posterior.</summary>
        public static double Objective(GmmInput input) =>
            LogPosterior(input.Alpha, input.Mu, input.Q, input.L, input.X, input.D, input.K, input.N, input.Gamma, input.M);

        /// <summary>GradBench's <c>jacobian</c>, from the generated <c>LogPosteriorBackward</c>.</summary>
        public static GmmGradient Gradient(GmmInput input)
        {
            var gradient = new GmmGradient(input.D, input.K);
            Gradient(input, gradient);
            return gradient;
        }

        /// <summary>The generated gradient into <paramref name="gradient"/> (cleared first); returns the objective.</summary>
        public static double Gradient(GmmInput input, GmmGradient gradient)
        {
            gradient.Clear();
            return LogPosteriorBackward(input.Alpha, input.Mu, input.Q, input.L, input.X, input.D, input.K, input.N, input.Gamma, input.M,
                gradient.Alpha, gradient.Mu, gradient.Q, gradient.L);
        }

        /// <summary>GradBench's <c>jacobian</c>, hand-written.</summary>
        public static GmmGradient HandGradient(GmmInput input)
        {
            var gradient = new GmmGradient(input.D, input.K);
            HandGradient(input, gradient);
            return gradient;
        }

        /// <summary>
        /// The hand-written gradient into <paramref name="gradient"/> (overwritten); returns the objective. One
        /// pass over the points: per point the components' terms, their softmax weights, then each term's
        /// reverse through <c>Q·(x − μ)</c>.
        /// </summary>
        public static double HandGradient(GmmInput input, GmmGradient gradient)
        {
            int d = input.D, k = input.K, n = input.N, lSize = input.LSize;
            double[] alpha = input.Alpha, mu = input.Mu, q = input.Q, l = input.L, x = input.X;
            double gamma = input.Gamma;
            int m = input.M;
            gradient.Clear();
            double[] dAlpha = gradient.Alpha, dMu = gradient.Mu, dQ = gradient.Q, dL = gradient.L;

            var qDiag = new double[k * d];
            var sumQ = new double[k];
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    qDiag[c * d + j] = Math.Exp(q[c * d + j]);
                    sumQ[c] += q[c * d + j];
                }
            }

            var centered = new double[k * d];
            var transformed = new double[k * d];
            var term = new double[k];
            var weightTotal = new double[k];
            var dCentered = new double[d];
            var dTransformed = new double[d];
            double sumLse = 0;
            for (int i = 0; i < n; i++)
            {
                int xi = i * d;
                double max = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    int cd = c * d;
                    for (int j = 0; j < d; j++)
                    {
                        centered[cd + j] = x[xi + j] - mu[cd + j];
                        transformed[cd + j] = qDiag[cd + j] * centered[cd + j];
                    }

                    int idx = c * lSize;
                    for (int col = 0; col < d; col++)
                    {
                        double v = centered[cd + col];
                        for (int row = col + 1; row < d; row++)
                        {
                            transformed[cd + row] += l[idx++] * v;
                        }
                    }

                    double norm = 0;
                    for (int j = 0; j < d; j++)
                    {
                        norm += transformed[cd + j] * transformed[cd + j];
                    }

                    term[c] = alpha[c] + sumQ[c] - 0.5 * norm;
                    if (term[c] > max) max = term[c];
                }

                double sum = 0;
                for (int c = 0; c < k; c++)
                {
                    term[c] = Math.Exp(term[c] - max);
                    sum += term[c];
                }

                sumLse += Math.Log(sum) + max;

                for (int c = 0; c < k; c++)
                {
                    double weight = term[c] / sum;
                    weightTotal[c] += weight;
                    int cd = c * d;

                    // Reverse of transformed = Q·centered with the seed −weight·transformed.
                    for (int j = 0; j < d; j++)
                    {
                        double g = -weight * transformed[cd + j];
                        dTransformed[j] = g;
                        dCentered[j] = g * qDiag[cd + j];
                        dQ[cd + j] += dCentered[j] * centered[cd + j];
                    }

                    int idx = c * lSize;
                    for (int col = 0; col < d; col++)
                    {
                        double v = centered[cd + col];
                        double acc = 0;
                        for (int row = col + 1; row < d; row++)
                        {
                            double g = dTransformed[row];
                            dL[idx] += g * v;
                            acc += g * l[idx];
                            idx++;
                        }

                        dMu[cd + col] -= dCentered[col] + acc;
                    }
                }
            }

            // alpha: the components' weights summed over points, minus n·softmax(alpha); sum(q) enters every term.
            double alphaMax = double.NegativeInfinity;
            for (int c = 0; c < k; c++) alphaMax = Math.Max(alphaMax, alpha[c]);
            double alphaSum = 0;
            for (int c = 0; c < k; c++) alphaSum += Math.Exp(alpha[c] - alphaMax);
            double lseAlpha = Math.Log(alphaSum) + alphaMax;
            for (int c = 0; c < k; c++)
            {
                dAlpha[c] = weightTotal[c] - n * Math.Exp(alpha[c] - lseAlpha);
            }

            // The Wishart prior: −γ²/2 (Σ exp(2q) + Σ l²) + m Σ q.
            double gamma2 = gamma * gamma;
            double frobenius = 0;
            double sumAllQ = 0;
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    int cj = c * d + j;
                    double e = qDiag[cj];
                    frobenius += e * e;
                    sumAllQ += q[cj];
                    dQ[cj] += weightTotal[c] - gamma2 * e * e + m;
                }
            }

            for (int j = 0; j < l.Length; j++)
            {
                frobenius += l[j] * l[j];
                dL[j] -= gamma2 * l[j];
            }

            int dof = d + m + 1;
            double constant = dof * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - SpecialFunctions.LogMultivariateGamma(0.5 * dof, d);
            double prior = k * constant - 0.5 * gamma2 * frobenius + m * sumAllQ;
            return -n * d * 0.5 * Math.Log(2 * Math.PI) + sumLse - n * lseAlpha + prior;
        }
    }
}
