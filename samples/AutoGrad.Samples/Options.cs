using System;

namespace AutoGrad.Samples
{
    /// <summary>
    /// A Black–Scholes call written as a finance developer would: a normal CDF helper (a polynomial
    /// approximation with a branch) called twice. The helper gets a custom derivative, the exact normal
    /// density, so the greeks are the analytic ones rather than the slope of the approximation.
    /// </summary>
    public static partial class Options
    {
        /// <summary>The standard normal CDF, Abramowitz and Stegun 26.2.17 (absolute error below 7.5e-8).</summary>
        public static double NormalCdf(double x)
        {
            double t = 1.0 / (1.0 + 0.2316419 * Math.Abs(x));
            double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
            double tail = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI) * poly;
            return x >= 0 ? 1 - tail : tail;
        }

        /// <summary>NormalCdf's derivative: the normal density. Used wherever differentiable code calls NormalCdf.</summary>
        [DerivativeOf(nameof(NormalCdf))]
        public static double NormalCdfDerivative(double x, out double dX, double seed)
        {
            dX = seed * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
            return NormalCdf(x);
        }

        /// <summary>The price of a European call; its gradient is delta, vega and rho.</summary>
        [Differentiable]
        public static double Call(double spot, double volatility, double rate, [NoGrad] double strike, [NoGrad] double years)
        {
            double sqrtT = Math.Sqrt(years);
            double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * years) / (volatility * sqrtT);
            double d2 = d1 - volatility * sqrtT;
            return spot * NormalCdf(d1) - strike * Math.Exp(-rate * years) * NormalCdf(d2);
        }
    }
}
