using System;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// <c>log Γ</c>, which .NET lacks. The problems use it only for constants (the Wishart prior's normaliser),
    /// so it needs no derivative.
    /// </summary>
    public static class SpecialFunctions
    {
        // Lanczos approximation with g = 7 and nine coefficients (relative error about 1e-15 for x > 0).
        private const double LanczosG = 7.0;

        private static readonly double[] LanczosCoefficients =
        {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7,
        };

        /// <summary><c>log Γ(x)</c> for <c>x &gt; 0</c>.</summary>
        public static double LogGamma(double x)
        {
            if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma needs x > 0.");
            if (x < 0.5)
            {
                // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
                return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
            }

            double z = x - 1;
            double sum = LanczosCoefficients[0];
            for (int i = 1; i < LanczosCoefficients.Length; i++)
            {
                sum += LanczosCoefficients[i] / (z + i);
            }

            double t = z + LanczosG + 0.5;
            return 0.5 * Math.Log(2 * Math.PI) + (z + 0.5) * Math.Log(t) - t + Math.Log(sum);
        }

        /// <summary>
        /// The multivariate log-gamma <c>log Γ_p(a) = p(p−1)/4 · log π + Σ_{j=1..p} log Γ(a + (1 − j)/2)</c>.
        /// </summary>
        public static double LogMultivariateGamma(double a, int p)
        {
            double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
            for (int j = 1; j <= p; j++)
            {
                result += LogGamma(a + 0.5 * (1 - j));
            }

            return result;
        }
    }
}
