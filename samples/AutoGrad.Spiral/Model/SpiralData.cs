using System;

namespace AutoGrad.Spiral
{
    /// <summary>
    /// The course's spiral data set: <c>K</c> arms of <c>N</c> points each. For arm <c>j</c>, the radius runs
    /// evenly from 0 to 1 and the angle evenly from <c>4j</c> to <c>4(j + 1)</c> plus Gaussian noise of
    /// standard deviation 0.2; the point is <c>(r sin t, r cos t)</c>.
    /// </summary>
    public sealed class SpiralData
    {
        private SpiralData(double[] x, int[] labels)
        {
            X = x;
            Labels = labels;
        }

        /// <summary>The points, two coordinates each: point <c>i</c> is <c>(X[2i], X[2i + 1])</c>.</summary>
        public double[] X { get; }

        /// <summary>Each point's arm, 0 to K - 1.</summary>
        public int[] Labels { get; }

        /// <summary>How many points there are.</summary>
        public int Count => Labels.Length;

        /// <summary>Makes the data set.</summary>
        /// <param name="pointsPerClass">N, the points per arm.</param>
        /// <param name="classes">K, the arms.</param>
        /// <param name="seed">The seed of the noise.</param>
        /// <returns>The data set, arm by arm.</returns>
        public static SpiralData Generate(int pointsPerClass = 100, int classes = SpiralNet.Classes, int seed = 0)
        {
            if (pointsPerClass < 2) throw new ArgumentOutOfRangeException(nameof(pointsPerClass));
            if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes));
            var random = new Random(seed);
            var x = new double[pointsPerClass * classes * SpiralNet.Inputs];
            var labels = new int[pointsPerClass * classes];
            for (int j = 0; j < classes; j++)
            {
                for (int k = 0; k < pointsPerClass; k++)
                {
                    double along = (double)k / (pointsPerClass - 1);
                    double r = along;
                    double t = (j + along) * 4 + Parameters.Gaussian(random) * 0.2;
                    int i = j * pointsPerClass + k;
                    x[2 * i] = r * Math.Sin(t);
                    x[2 * i + 1] = r * Math.Cos(t);
                    labels[i] = j;
                }
            }

            return new SpiralData(x, labels);
        }

        /// <summary>Every <paramref name="stride"/>-th point, for a quick check on a few examples.</summary>
        /// <param name="stride">The spacing of the points kept.</param>
        /// <returns>A smaller data set.</returns>
        public SpiralData Subset(int stride)
        {
            if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride));
            int count = (Count + stride - 1) / stride;
            var x = new double[count * SpiralNet.Inputs];
            var labels = new int[count];
            for (int k = 0; k < count; k++)
            {
                int i = k * stride;
                x[2 * k] = X[2 * i];
                x[2 * k + 1] = X[2 * i + 1];
                labels[k] = Labels[i];
            }

            return new SpiralData(x, labels);
        }
    }
}
