using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks
{
    // Issue 8's cases (ModelFunctions.cs). As in LoopBenchmarks.cs, inputs and gradient buffers are fields, the buffers
    // are not cleared between calls (both variants add into them), and each benchmark returns the value plus one
    // element of every gradient buffer. Ratio is against Primal.

    /// <summary>Deterministic inputs of the issue 8 cases, shared with <c>--check</c>.</summary>
    public static class ModelData
    {
        public static double[] RosenbrockX(int seed) => LoopData.Uniform(ModelFunctions.RosenbrockN, seed, -1.2, 1.2);

        /// <summary>w1 ++ b1 ++ w2 ++ b2 of the 64→128→10 network, in that order.</summary>
        public static double[][] Mlp64Weights(int seed) => new[]
        {
            LoopData.Uniform(ModelFunctions.Hidden * ModelFunctions.Inputs, seed, -0.25, 0.25),
            LoopData.Uniform(ModelFunctions.Hidden, seed + 1, -0.1, 0.1),
            LoopData.Uniform(ModelFunctions.Classes * ModelFunctions.Hidden, seed + 2, -0.25, 0.25),
            LoopData.Uniform(ModelFunctions.Classes, seed + 3, -0.1, 0.1),
        };

        public static double[] Inputs(int examples, int seed) => LoopData.Uniform(examples * ModelFunctions.Inputs, seed);

        public static int[] Labels(int examples, int seed)
        {
            var rng = new System.Random(seed);
            var labels = new int[examples];
            for (int i = 0; i < examples; i++)
            {
                labels[i] = rng.Next(ModelFunctions.Classes);
            }

            return labels;
        }
    }

    /// <summary>Rosenbrock, n = 10,000.</summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class RosenbrockBenchmarks
    {
        private double[] _x = ModelData.RosenbrockX(31);
        private double[] _dX = new double[ModelFunctions.RosenbrockN];

        [Benchmark(Baseline = true)]
        public double Primal() => ModelFunctions.Rosenbrock(_x);

        [Benchmark]
        public double Generated() => ModelFunctions.RosenbrockBackward(_x, _dX) + _dX[0];

        [Benchmark]
        public double HandWritten() => ModelFunctions.RosenbrockHand(_x, _dX) + _dX[0];
    }

    /// <summary>Base of the three 64→128→10 cases: weights, their gradient buffers, and a batch of inputs.</summary>
    public abstract class Mlp64BenchmarksBase
    {
        protected double[] W1, B1, W2, B2, X;
        protected int[] Labels = ModelData.Labels(ModelFunctions.Batch, 42);
        protected double[] DW1 = new double[ModelFunctions.Hidden * ModelFunctions.Inputs];
        protected double[] DB1 = new double[ModelFunctions.Hidden];
        protected double[] DW2 = new double[ModelFunctions.Classes * ModelFunctions.Hidden];
        protected double[] DB2 = new double[ModelFunctions.Classes];

        protected Mlp64BenchmarksBase(int examples)
        {
            double[][] w = ModelData.Mlp64Weights(40);
            (W1, B1, W2, B2) = (w[0], w[1], w[2], w[3]);
            X = ModelData.Inputs(examples, 41);
        }

        protected double GradientSample(double value) => value + DW1[0] + DB1[0] + DW2[0] + DB2[0];
    }

    /// <summary>The 64→128→10 classifier on one example.</summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class Mlp64Benchmarks : Mlp64BenchmarksBase
    {
        public Mlp64Benchmarks() : base(1) { }

        [Benchmark(Baseline = true)]
        public double Primal() => ModelFunctions.Mlp64(W1, B1, W2, B2, X, Labels[0]);

        [Benchmark]
        public double Generated() =>
            GradientSample(ModelFunctions.Mlp64Backward(W1, B1, W2, B2, X, Labels[0], DW1, DB1, DW2, DB2));

        [Benchmark]
        public double HandWritten() =>
            GradientSample(ModelFunctions.Mlp64Hand(W1, B1, W2, B2, X, Labels[0], DW1, DB1, DW2, DB2));
    }

    /// <summary>The classifier on a batch of 64 examples, mean loss, written inline.</summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class Mlp64BatchBenchmarks : Mlp64BenchmarksBase
    {
        public Mlp64BatchBenchmarks() : base(ModelFunctions.Batch) { }

        [Benchmark(Baseline = true)]
        public double Primal() => ModelFunctions.Mlp64Batch(W1, B1, W2, B2, X, Labels);

        [Benchmark]
        public double Generated() =>
            GradientSample(ModelFunctions.Mlp64BatchBackward(W1, B1, W2, B2, X, Labels, DW1, DB1, DW2, DB2));

        [Benchmark]
        public double HandWritten() =>
            GradientSample(ModelFunctions.Mlp64BatchHand(W1, B1, W2, B2, X, Labels, DW1, DB1, DW2, DB2));
    }

    /// <summary>The batch of 64 written as helper calls (Dense → Relu → Dense → SoftmaxCrossEntropy).</summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class Mlp64HelperBenchmarks : Mlp64BenchmarksBase
    {
        public Mlp64HelperBenchmarks() : base(ModelFunctions.Batch) { }

        [Benchmark(Baseline = true)]
        public double Primal() => ModelFunctions.Mlp64WithHelpers(W1, B1, W2, B2, X, Labels);

        [Benchmark]
        public double Generated() =>
            GradientSample(ModelFunctions.Mlp64WithHelpersBackward(W1, B1, W2, B2, X, Labels, DW1, DB1, DW2, DB2));

        [Benchmark]
        public double HandWritten() =>
            GradientSample(ModelFunctions.Mlp64BatchHand(W1, B1, W2, B2, X, Labels, DW1, DB1, DW2, DB2));
    }
}
