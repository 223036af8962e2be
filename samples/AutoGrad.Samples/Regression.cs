using System;
using AutoGrad;

namespace AutoGrad.Samples
{
    /// <summary>Logistic regression: a loss over a data set, written as loops over arrays.</summary>
    public static partial class Regression
    {
        /// <summary>The mean logistic loss of weights <paramref name="w"/> and bias <paramref name="b"/> on rows of <paramref name="x"/>.</summary>
        [Differentiable]
        public static double MeanLogisticLoss(ReadOnlySpan<double> w, double b, [NoGrad] double[] x, [NoGrad] int[] labels)
        {
            int d = w.Length;
            int n = labels.Length;
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                double z = b;
                for (int j = 0; j < d; j++)
                {
                    z += w[j] * x[i * d + j];
                }

                double p = 1.0 / (1.0 + Math.Exp(-z));
                total -= labels[i] == 1 ? Math.Log(p) : Math.Log(1.0 - p);
            }

            return total / n;
        }
    }
}
