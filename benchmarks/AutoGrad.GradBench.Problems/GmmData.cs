using System;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// One <c>gmm</c> input, flattened row-major: <c>Mu</c> and <c>Q</c> are <c>K×D</c>, <c>L</c> is
    /// <c>K × D(D−1)/2</c>, <c>X</c> is <c>N×D</c>. <c>M</c> and <c>Gamma</c> are the Wishart prior's constants.
    /// </summary>
    public sealed class GmmInput
    {
        public GmmInput(int d, int k, int n, double[] alpha, double[] mu, double[] q, double[] l, double[] x, double gamma, int m)
        {
            if (d < 1 || k < 1 || n < 0) throw new ArgumentOutOfRangeException(nameof(d), "d and k must be positive, n non-negative.");
            ProblemArrays.CheckLength(alpha, k, nameof(alpha));
            ProblemArrays.CheckLength(mu, k * d, nameof(mu));
            ProblemArrays.CheckLength(q, k * d, nameof(q));
            ProblemArrays.CheckLength(l, k * (d * (d - 1) / 2), nameof(l));
            ProblemArrays.CheckLength(x, n * d, nameof(x));
            D = d;
            K = k;
            N = n;
            Alpha = alpha;
            Mu = mu;
            Q = q;
            L = l;
            X = x;
            Gamma = gamma;
            M = m;
        }

        public int D { get; }

        public int K { get; }

        public int N { get; }

        public double[] Alpha { get; }

        public double[] Mu { get; }

        public double[] Q { get; }

        public double[] L { get; }

        public double[] X { get; }

        public double Gamma { get; }

        public int M { get; }

        /// <summary>Length of one component's row of <see cref="L"/>: <c>D(D−1)/2</c>.</summary>
        public int LSize => D * (D - 1) / 2;

        /// <summary>
        /// Builds an input from GradBench's nested lists (<c>mu</c>, <c>q</c>, <c>l</c>: one row per component;
        /// <c>x</c>: one row per point).
        /// </summary>
        public static GmmInput FromNested(int d, int k, int n, double[] alpha, double[][] mu, double[][] q, double[][] l, double[][] x, double gamma, int m) =>
            new GmmInput(d, k, n, alpha, ProblemArrays.Flatten(mu, d, nameof(mu)), ProblemArrays.Flatten(q, d, nameof(q)), ProblemArrays.Flatten(l, d * (d - 1) / 2, nameof(l)), ProblemArrays.Flatten(x, d, nameof(x)), gamma, m);

        /// <summary>
        /// A random input shaped like GradBench's generator (x and alpha normal, mu uniform on [0, 1), q and l
        /// normal); not the same numbers, since GradBench draws from NumPy's generator.
        /// </summary>
        public static GmmInput Random(int d, int k, int n, int seed, double gamma = 1.0, int m = 0)
        {
            var random = new Random(seed);
            int lSize = d * (d - 1) / 2;
            var x = Normals(random, n * d);
            var alpha = Normals(random, k);
            var mu = new double[k * d];
            for (int i = 0; i < mu.Length; i++) mu[i] = random.NextDouble();
            var q = Normals(random, k * d);
            var l = Normals(random, k * lSize);
            return new GmmInput(d, k, n, alpha, mu, q, l, x, gamma, m);
        }

        internal static double[] Normals(Random random, int count)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                // Box–Muller.
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                values[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            }

            return values;
        }


    }

    /// <summary>The gradient of the <c>gmm</c> log posterior, flat like <see cref="GmmInput"/>.</summary>
    public sealed class GmmGradient
    {
        public GmmGradient(int d, int k)
        {
            D = d;
            K = k;
            Alpha = new double[k];
            Mu = new double[k * d];
            Q = new double[k * d];
            L = new double[k * (d * (d - 1) / 2)];
        }

        public int D { get; }

        public int K { get; }

        public double[] Alpha { get; }

        public double[] Mu { get; }

        public double[] Q { get; }

        public double[] L { get; }

        /// <summary>Zeroes every buffer (the Backward adds into them).</summary>
        public void Clear()
        {
            Array.Clear(Alpha);
            Array.Clear(Mu);
            Array.Clear(Q);
            Array.Clear(L);
        }

        /// <summary>
        /// GradBench's output shape: <c>alpha</c> <c>[k]</c>, <c>mu</c> and <c>q</c> <c>[[d]×k]</c>, <c>l</c>
        /// <c>[[d(d−1)/2]×k]</c>.
        /// </summary>
        public (double[] Alpha, double[][] Mu, double[][] Q, double[][] L) ToNested() =>
            ((double[])Alpha.Clone(), Rows(Mu, D), Rows(Q, D), Rows(L, D * (D - 1) / 2));

        /// <summary>All components in one vector: alpha, mu, q, l.</summary>
        public double[] ToVector()
        {
            var all = new double[Alpha.Length + Mu.Length + Q.Length + L.Length];
            Alpha.CopyTo(all, 0);
            Mu.CopyTo(all, Alpha.Length);
            Q.CopyTo(all, Alpha.Length + Mu.Length);
            L.CopyTo(all, Alpha.Length + Mu.Length + Q.Length);
            return all;
        }

        private double[][] Rows(double[] flat, int width)
        {
            var rows = new double[K][];
            for (int i = 0; i < K; i++)
            {
                rows[i] = new double[width];
                Array.Copy(flat, i * width, rows[i], 0, width);
            }

            return rows;
        }
    }
}
