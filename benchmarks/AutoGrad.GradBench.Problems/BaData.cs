using System;
using System.Globalization;
using System.IO;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// One <c>ba</c> input: GradBench sends one camera, point, weight and feature with the counts n (cameras),
    /// m (points) and p (observations); <see cref="BaInput(int, int, int, double[], double[], double, double[])"/>
    /// replicates them as the reference does (observation i sees camera <c>i mod n</c> and point <c>i mod m</c>),
    /// and every function works on the replicated arrays, not on the one original.
    /// </summary>
    public sealed class BaInput
    {
        public BaInput(int n, int m, int p, double[] cam, double[] x, double w, double[] feat)
        {
            if (n < 1 || m < 1 || p < 1) throw new ArgumentOutOfRangeException(nameof(n), "n, m and p must be positive.");
            ProblemArrays.CheckLength(cam, Ba.CameraParameters, nameof(cam));
            ProblemArrays.CheckLength(x, 3, nameof(x));
            ProblemArrays.CheckLength(feat, 2, nameof(feat));
            N = n;
            M = m;
            P = p;
            Cams = new double[Ba.CameraParameters * n];
            for (int i = 0; i < n; i++) cam.CopyTo(Cams, i * Ba.CameraParameters);
            Points = new double[3 * m];
            for (int i = 0; i < m; i++) x.CopyTo(Points, 3 * i);
            Weights = new double[p];
            Array.Fill(Weights, w);
            Features = new double[2 * p];
            Observations = new int[2 * p];
            for (int i = 0; i < p; i++)
            {
                feat.CopyTo(Features, 2 * i);
                Observations[2 * i] = i % n;
                Observations[2 * i + 1] = i % m;
            }
        }

        /// <summary>Cameras.</summary>
        public int N { get; }

        /// <summary>Points.</summary>
        public int M { get; }

        /// <summary>Observations.</summary>
        public int P { get; }

        /// <summary><c>n × 11</c> camera parameters.</summary>
        public double[] Cams { get; }

        /// <summary><c>m × 3</c> points.</summary>
        public double[] Points { get; }

        /// <summary><c>p</c> weights.</summary>
        public double[] Weights { get; }

        /// <summary><c>p × 2</c> observed features.</summary>
        public double[] Features { get; }

        /// <summary><c>p × 2</c> (camera index, point index) pairs.</summary>
        public int[] Observations { get; }

        /// <summary>
        /// Reads one of GradBench's data files (<c>evals/ba/data/ba*.txt</c>): a line <c>n m p</c>, then the camera,
        /// the point, the weight and the feature, one per line.
        /// </summary>
        public static BaInput Parse(TextReader reader)
        {
            double[] Numbers() => Array.ConvertAll(
                (reader.ReadLine() ?? throw new FormatException("The ba file ended early.")).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                s => double.Parse(s, CultureInfo.InvariantCulture));
            double[] counts = Numbers();
            double[] cam = Numbers();
            double[] x = Numbers();
            double[] w = Numbers();
            double[] feat = Numbers();
            return new BaInput((int)counts[0], (int)counts[1], (int)counts[2], cam, x, w[0], feat);
        }
    }

    /// <summary>
    /// The objective's value: <c>2p</c> reprojection errors and <c>p</c> weight errors. GradBench reports the first
    /// of each with the count (<see cref="ReprojElements"/>, <see cref="WElement"/>, <see cref="Repeated"/>).
    /// </summary>
    public sealed class BaObjective
    {
        public BaObjective(int p)
        {
            ReprojError = new double[2 * p];
            WError = new double[p];
        }

        public double[] ReprojError { get; }

        public double[] WError { get; }

        /// <summary><c>reproj_error.elements</c>: the first observation's two errors.</summary>
        public double[] ReprojElements => new[] { ReprojError[0], ReprojError[1] };

        /// <summary><c>w_err.element</c>: the first weight error.</summary>
        public double WElement => WError[0];

        /// <summary><c>reproj_error.repeated</c> and <c>w_err.repeated</c>: p.</summary>
        public int Repeated => WError.Length;
    }

    /// <summary>
    /// The sparse Jacobian in GradBench's CSR layout: <c>3p</c> rows (2 per observation, then one per weight),
    /// columns <c>11n + 3m + p</c> (cameras, then points, then weights). A reprojection row has 15 entries (the
    /// observation's camera, point and weight), a weight row one.
    /// </summary>
    public sealed class BaJacobian
    {
        /// <summary>Entries per reprojection row: 11 camera, 3 point, 1 weight.</summary>
        public const int RowEntries = Ba.CameraParameters + 3 + 1;

        public BaJacobian(int n, int m, int p)
        {
            N = n;
            M = m;
            P = p;
            Rows = new int[3 * p + 1];
            Cols = new int[2 * RowEntries * p + p];
            Vals = new double[Cols.Length];
        }

        public int N { get; }

        public int M { get; }

        public int P { get; }

        /// <summary>Row starts, <c>3p + 1</c> of them.</summary>
        public int[] Rows { get; }

        public int[] Cols { get; }

        public double[] Vals { get; }

        /// <summary>
        /// Writes observation <paramref name="obs"/>'s two rows. <paramref name="block"/> is the 2×15 block
        /// column-major (<c>block[2·column + row]</c>), columns: camera 0..10, point 11..13, weight 14.
        /// </summary>
        public void SetReprojectionBlock(int obs, int camIdx, int ptIdx, ReadOnlySpan<double> block)
        {
            for (int row = 0; row < 2; row++)
            {
                int r = 2 * obs + row;
                int at = r * RowEntries;
                Rows[r + 1] = at + RowEntries;
                for (int i = 0; i < Ba.CameraParameters; i++)
                {
                    Cols[at + i] = Ba.CameraParameters * camIdx + i;
                    Vals[at + i] = block[2 * i + row];
                }

                for (int i = 0; i < 3; i++)
                {
                    Cols[at + Ba.CameraParameters + i] = Ba.CameraParameters * N + 3 * ptIdx + i;
                    Vals[at + Ba.CameraParameters + i] = block[2 * (Ba.CameraParameters + i) + row];
                }

                Cols[at + RowEntries - 1] = Ba.CameraParameters * N + 3 * M + obs;
                Vals[at + RowEntries - 1] = block[2 * (RowEntries - 1) + row];
            }
        }

        /// <summary>Writes weight <paramref name="obs"/>'s row (after all reprojection rows).</summary>
        public void SetWeightEntry(int obs, double derivative)
        {
            int r = 2 * P + obs;
            int at = 2 * RowEntries * P + obs;
            Rows[r + 1] = at + 1;
            Cols[at] = Ba.CameraParameters * N + 3 * M + obs;
            Vals[at] = derivative;
        }

        /// <summary>
        /// What GradBench transmits: the first 30 entries of each of <c>rows</c>, <c>cols</c> and <c>vals</c>, then
        /// each one's last entry (fewer first entries when a list is shorter than 30).
        /// </summary>
        public (int[] Rows, int[] Cols, double[] Vals) Summary() => (FirstAndLast(Rows), FirstAndLast(Cols), FirstAndLast(Vals));

        private static T[] FirstAndLast<T>(T[] all)
        {
            int first = Math.Min(2 * RowEntries, all.Length - 1);
            var summary = new T[first + 1];
            Array.Copy(all, summary, first);
            summary[first] = all[^1];
            return summary;
        }
    }
}
