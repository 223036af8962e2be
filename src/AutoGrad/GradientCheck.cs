using System;

namespace AutoGrad
{
    /// <summary>
    /// Central finite differences, for checking a gradient produced by generated code; and a one-line check of
    /// a <c>[Differentiable]</c> method against its generated Backward:
    /// <c>GradientCheck.Check(Model.Loss, Model.LossBackward, 1.0, 2.0)</c>.
    /// </summary>
    public static partial class GradientCheck
    {
        /// <summary>
        /// The step used for coordinate <paramref name="x"/>: <c>1e-6 · max(1, |x|)</c>.
        /// </summary>
        /// <param name="x">The coordinate's value.</param>
        /// <returns>The step.</returns>
        public static double Step(double x) => 1e-6 * Math.Max(1.0, Math.Abs(x));

        /// <summary>
        /// Estimates the gradient of <paramref name="f"/> at <paramref name="point"/> by central differences
        /// <c>(f(x + h) - f(x - h)) / 2h</c>, one coordinate at a time. <paramref name="point"/> is restored
        /// before the method returns.
        /// </summary>
        /// <param name="f">The function; it may read but must not keep the array it is given.</param>
        /// <param name="point">The point; its elements are changed and restored while the method runs.</param>
        /// <returns>A new array with one partial derivative per coordinate.</returns>
        public static double[] Numerical(Func<double[], double> f, double[] point)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (point is null) throw new ArgumentNullException(nameof(point));
            var gradient = new double[point.Length];
            for (int i = 0; i < point.Length; i++)
            {
                double original = point[i];
                double h = Step(original);
                point[i] = original + h;
                double plus = f(point);
                point[i] = original - h;
                double minus = f(point);
                point[i] = original;
                gradient[i] = (plus - minus) / (2 * h);
            }

            return gradient;
        }

        /// <summary>
        /// The relative error <c>|a - b| / max(|a| + |b|, floor)</c> used to compare an analytic and a
        /// numerical derivative.
        /// </summary>
        /// <param name="a">One value.</param>
        /// <param name="b">The other value.</param>
        /// <param name="floor">The smallest denominator, so that two values near zero compare as equal.</param>
        /// <returns>The relative error; 0 when both are equal.</returns>
        public static double RelativeError(double a, double b, double floor = 1e-8)
        {
            if (a == b) return 0;
            return Math.Abs(a - b) / Math.Max(Math.Abs(a) + Math.Abs(b), floor);
        }

        /// <summary>
        /// The largest <see cref="RelativeError"/> over two gradients of the same length.
        /// </summary>
        /// <param name="analytic">The gradient to check.</param>
        /// <param name="numerical">The finite-difference estimate.</param>
        /// <returns>The largest relative error, or <see cref="double.PositiveInfinity"/> if lengths differ.</returns>
        public static double MaxRelativeError(double[] analytic, double[] numerical)
        {
            if (analytic is null) throw new ArgumentNullException(nameof(analytic));
            if (numerical is null) throw new ArgumentNullException(nameof(numerical));
            if (analytic.Length != numerical.Length) return double.PositiveInfinity;
            double worst = 0;
            for (int i = 0; i < analytic.Length; i++)
            {
                worst = Math.Max(worst, RelativeError(analytic[i], numerical[i]));
            }

            return worst;
        }
    }
}
