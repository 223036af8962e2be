using System;
using System.Globalization;
using System.IO;
using BenchmarkDotNet.Running;

namespace AutoGrad.Benchmarks
{
    public static class Program
    {
        private const double Tolerance = 1e-12;

        public static int Main(string[] args)
        {
            if (Array.IndexOf(args, "--check") >= 0)
            {
                return Check();
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(WithDefaultArtifacts(args));
            return 0;
        }

        /// <summary>
        /// Unless <c>--artifacts</c> is given, writes BenchmarkDotNet's reports next to this project
        /// (benchmarks/AutoGrad.Benchmarks/BenchmarkDotNet.Artifacts, git-ignored) rather than into whatever
        /// directory the command was run from.
        /// </summary>
        private static string[] WithDefaultArtifacts(string[] args)
        {
            if (Array.IndexOf(args, "--artifacts") >= 0)
            {
                return args;
            }

            DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AutoGrad.Benchmarks.csproj")))
            {
                dir = dir.Parent;
            }

            if (dir == null)
            {
                return args;
            }

            var withArtifacts = new string[args.Length + 2];
            args.CopyTo(withArtifacts, 0);
            withArtifacts[args.Length] = "--artifacts";
            withArtifacts[args.Length + 1] = Path.Combine(dir.FullName, "BenchmarkDotNet.Artifacts");
            return withArtifacts;
        }

        /// <summary>
        /// Verifies, at several points, that each generated Backward returns the same value and gradients as
        /// the hand-written one (relative difference ≤ 1e-12), and, as a sanity check of the hand-written
        /// code itself, that both agree with central finite differences (relative error ≤ 1e-5).
        /// </summary>
        private static int Check()
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            int failures = 0;
            int comparisons = 0;

            double[][] neuronPoints =
            {
                new[] { 2.0, -3.0, -3.0, -1.0, -2.0 },
                new[] { 0.1, 0.2, 0.3, 0.4, 0.5 },
                new[] { -1.5, 2.5, 0.75, 3.0, -0.25 },
            };
            foreach (double[] p in neuronPoints)
            {
                var gen = new double[5];
                var hand = new double[5];
                double fg = Functions.NeuronBackward(p[0], p[1], p[2], p[3], p[4],
                    out gen[0], out gen[1], out gen[2], out gen[3], out gen[4]);
                double fh = Functions.NeuronHand(p[0], p[1], p[2], p[3], p[4],
                    out hand[0], out hand[1], out hand[2], out hand[3], out hand[4]);
                failures += Compare("Neuron", p, fg, fh, gen, hand,
                    q => Functions.Neuron(q[0], q[1], q[2], q[3], q[4]), ref comparisons);
            }

            // Points on both sides of the Huber switch (|r| ≤ 1 and |r| > 1, r of either sign).
            double[][] netPoints =
            {
                new[] { 0.5, -0.3, 0.8, 0.2, 0.1, -0.2, 1.5, -0.7, 0.05, 0.9, -1.1, 0.3 },
                new[] { 0.5, -0.3, 0.8, 0.2, 0.1, -0.2, 1.5, -0.7, 0.05, 0.9, -1.1, 3.0 },
                new[] { -1.2, 0.4, 0.3, -0.9, 0.6, 0.2, 2.0, 1.1, -0.4, 1.3, 0.7, -2.5 },
                new[] { 0.05, 0.1, -0.2, 0.3, 0.0, 0.1, -0.5, 0.25, 0.1, -0.6, 0.4, 0.2 },
            };
            foreach (double[] p in netPoints)
            {
                var gen = new double[9];
                var hand = new double[9];
                double fg = Functions.TwoLayerHuberBackward(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11],
                    out gen[0], out gen[1], out gen[2], out gen[3], out gen[4], out gen[5], out gen[6], out gen[7], out gen[8]);
                double fh = Functions.TwoLayerHuberHand(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11],
                    out hand[0], out hand[1], out hand[2], out hand[3], out hand[4], out hand[5], out hand[6], out hand[7], out hand[8]);
                // Finite differences over the nine trainable parameters only; x0, x1, y stay fixed.
                double[] data = { p[9], p[10], p[11] };
                failures += Compare("TwoLayerHuber", p[..9], fg, fh, gen, hand,
                    q => Functions.TwoLayerHuber(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], data[0], data[1], data[2]),
                    ref comparisons);
            }

            double[][] powPoints =
            {
                new[] { 0.7, -1.3, 1.7 },
                new[] { 2.0, 0.5, -0.8 },
                new[] { -0.3, 0.1, 3.25 },
                new[] { 1.1, 1.9, 0.5 },
            };
            foreach (double[] p in powPoints)
            {
                var gen = new double[3];
                var hand = new double[3];
                double fg = Functions.PowLogSqrtBackward(p[0], p[1], p[2], out gen[0], out gen[1], out gen[2]);
                double fh = Functions.PowLogSqrtHand(p[0], p[1], p[2], out hand[0], out hand[1], out hand[2]);
                failures += Compare("PowLogSqrt", p, fg, fh, gen, hand,
                    q => Functions.PowLogSqrt(q[0], q[1], q[2]), ref comparisons);
            }

            int scalarComparisons = comparisons;
            failures += LoopChecks.Run(ref comparisons);
            int loopComparisons = comparisons - scalarComparisons;
            failures += ModelChecks.Run(ref comparisons);

            Console.WriteLine(failures == 0
                ? $"check: OK ({comparisons} values compared: {scalarComparisons} scalar-function values, generated == hand-written " +
                  $"to {Tolerance:0e0} relative; {loopComparisons} loop-function values to {LoopChecks.Tolerance:0e0}; " +
                  $"{comparisons - scalarComparisons - loopComparisons} Rosenbrock/MLP-64 values to {ModelChecks.Tolerance:0e0})"
                : $"check: {failures} mismatch(es)");
            return failures == 0 ? 0 : 1;
        }

        private static int Compare(string name, double[] point, double fGen, double fHand, double[] gen, double[] hand,
            Func<double[], double> primal, ref int comparisons) =>
            Compare($"{name}({string.Join(", ", point)})", point, fGen, fHand, gen, hand, primal, Tolerance, ref comparisons);

        /// <summary>
        /// Compares value and gradients of generated vs hand-written (relative <paramref name="tolerance"/>) and the
        /// hand-written gradient against central finite differences of <paramref name="primal"/> at
        /// <paramref name="point"/> (<see cref="GradientCheck.RelativeError"/> 1e-5 with <paramref name="fdFloor"/>) at
        /// every <paramref name="fdStride"/>-th coordinate (1: all, 0: none); <paramref name="at"/> names the case in
        /// messages. With <paramref name="floorFraction"/> &gt; 0 a gradient element is compared relative to at least
        /// that fraction of the largest hand-written element (elements made small by cancellation differ in the
        /// order their terms are summed).
        /// </summary>
        internal static int Compare(string at, double[] point, double fGen, double fHand, double[] gen, double[] hand,
            Func<double[], double> primal, double tolerance, ref int comparisons,
            int fdStride = 1, double fdFloor = 1e-8, double floorFraction = 0.0)
        {
            int failures = 0;

            comparisons++;
            if (Relative(fGen, fHand) > tolerance)
            {
                Console.WriteLine($"MISMATCH {at} value: generated {fGen:R}, hand-written {fHand:R}");
                failures++;
            }

            double[] numerical = fdStride == 1 ? GradientCheck.Numerical(primal, (double[])point.Clone()) : new double[point.Length];
            double floor = floorFraction * MaxAbs(hand);
            for (int i = 0; i < gen.Length; i++)
            {
                comparisons++;
                if (Relative(gen[i], hand[i], floor) > tolerance)
                {
                    Console.WriteLine($"MISMATCH {at} d[{i}]: generated {gen[i]:R}, hand-written {hand[i]:R}, rel {Relative(gen[i], hand[i], floor):e2}");
                    failures++;
                }

                if (fdStride <= 0 || i % fdStride != 0)
                {
                    continue;
                }

                if (fdStride != 1)
                {
                    numerical[i] = Central(primal, point, i);
                }

                if (GradientCheck.RelativeError(hand[i], numerical[i], fdFloor) > 1e-5)
                {
                    Console.WriteLine($"FD-MISMATCH {at} d[{i}]: hand-written {hand[i]:R}, finite differences {numerical[i]:R}");
                    failures++;
                }
            }

            return failures;
        }

        // Central difference in coordinate i, as GradientCheck.Numerical computes it; point is restored.
        private static double Central(Func<double[], double> primal, double[] point, int i)
        {
            double original = point[i];
            double h = GradientCheck.Step(original);
            point[i] = original + h;
            double plus = primal(point);
            point[i] = original - h;
            double minus = primal(point);
            point[i] = original;
            return (plus - minus) / (2 * h);
        }

        // Relative to the larger magnitude; both exactly zero (e.g. a gradient killed by a zero input) is equal.
        internal static double Relative(double a, double b, double floor = 0.0) =>
            a == b ? 0.0 : Math.Abs(a - b) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), floor);

        internal static double MaxAbs(double[] values)
        {
            double max = 0.0;
            foreach (double v in values)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            return max;
        }
    }
}
