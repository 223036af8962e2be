using System;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks
{
    // Loop/array functions (LoopFunctions.cs). Inputs are fixed pseudo-random data in fields; the gradient buffers
    // are fields too and are NOT cleared between calls: the generated and the hand-written code both add into them
    // (the documented contract allows summing calls), so clearing would only add the same memset to both. Each
    // benchmark returns the value plus one or two gradient elements; the writes into the field buffers cannot be
    // eliminated anyway. Ratio is against Primal. Class names end in "LoopBenchmarks" for `--filter '*Loop*'`.

    /// <summary>Deterministic inputs shared by the loop benchmarks and <c>--check</c>.</summary>
    public static class LoopData
    {
        public const int DotN = 256;
        public const int LogRows = 64;
        public const int LogFeatures = 8;
        public const int Logits = 32;
        public const int MlpInputs = 16;
        public const int MlpHidden = 32;

        /// <summary>n values uniform in [lo, hi) from a fixed seed.</summary>
        public static double[] Uniform(int n, int seed, double lo = -1.0, double hi = 1.0)
        {
            var rng = new Random(seed);
            var a = new double[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = lo + (hi - lo) * rng.NextDouble();
            }

            return a;
        }

        /// <summary>0/1 labels from a fixed seed.</summary>
        public static double[] Labels(int n, int seed)
        {
            var rng = new Random(seed);
            var a = new double[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = rng.Next(2);
            }

            return a;
        }
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class DotLoopBenchmarks
    {
        private double[] _w = LoopData.Uniform(LoopData.DotN, 1);
        private double[] _x = LoopData.Uniform(LoopData.DotN, 2);
        private double[] _dW = new double[LoopData.DotN];

        [Benchmark(Baseline = true)]
        public double Primal() => LoopFunctions.Dot(_w, _x);

        [Benchmark]
        public double Generated() => LoopFunctions.DotBackward(_w, _x, _dW) + _dW[0];

        [Benchmark]
        public double HandWritten() => LoopFunctions.DotHand(_w, _x, _dW) + _dW[0];
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class LogisticLossLoopBenchmarks
    {
        private double[] _w = LoopData.Uniform(LoopData.LogFeatures, 3, -0.5, 0.5);
        private double _b = 0.1;
        private double[] _X = LoopData.Uniform(LoopData.LogRows * LoopData.LogFeatures, 4, -2.0, 2.0);
        private double[] _y = LoopData.Labels(LoopData.LogRows, 5);
        private int _n = LoopData.LogRows, _d = LoopData.LogFeatures;
        private double[] _dW = new double[LoopData.LogFeatures];

        [Benchmark(Baseline = true)]
        public double Primal() => LoopFunctions.LogisticLoss(_w, _b, _X, _y, _n, _d);

        [Benchmark]
        public double Generated() =>
            LoopFunctions.LogisticLossBackward(_w, _b, _X, _y, _n, _d, _dW, out double dB) + dB + _dW[0];

        [Benchmark]
        public double HandWritten() =>
            LoopFunctions.LogisticLossHand(_w, _b, _X, _y, _n, _d, _dW, out double dB) + dB + _dW[0];
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class SoftmaxLoopBenchmarks
    {
        private double[] _z = LoopData.Uniform(LoopData.Logits, 6, -3.0, 3.0);
        private int _label = 5;
        private double[] _dZ = new double[LoopData.Logits];

        [Benchmark(Baseline = true)]
        public double Primal() => LoopFunctions.SoftmaxCrossEntropy(_z, _label);

        [Benchmark]
        public double Generated() => LoopFunctions.SoftmaxCrossEntropyBackward(_z, _label, _dZ) + _dZ[0];

        [Benchmark]
        public double HandWritten() => LoopFunctions.SoftmaxCrossEntropyHand(_z, _label, _dZ) + _dZ[0];
    }

    /// <summary>The two-layer ReLU network with its hidden layer in <c>stackalloc</c> (nobody allocates).</summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class MlpLoopBenchmarks
    {
        private double[] _W1 = LoopData.Uniform(LoopData.MlpHidden * LoopData.MlpInputs, 7, -0.5, 0.5);
        private double[] _b1 = LoopData.Uniform(LoopData.MlpHidden, 8, -0.1, 0.1);
        private double[] _W2 = LoopData.Uniform(LoopData.MlpHidden, 9, -0.5, 0.5);
        private double _b2 = 0.05;
        private double[] _x = LoopData.Uniform(LoopData.MlpInputs, 10);
        private double _target = 0.3;
        private int _hidden = LoopData.MlpHidden;
        private double[] _dW1 = new double[LoopData.MlpHidden * LoopData.MlpInputs];
        private double[] _dB1 = new double[LoopData.MlpHidden];
        private double[] _dW2 = new double[LoopData.MlpHidden];

        [Benchmark(Baseline = true)]
        public double Primal() => LoopFunctions.TwoLayerRelu(_W1, _b1, _W2, _b2, _x, _target, _hidden);

        [Benchmark]
        public double Generated() =>
            LoopFunctions.TwoLayerReluBackward(_W1, _b1, _W2, _b2, _x, _target, _hidden, _dW1, _dB1, _dW2, out double dB2)
            + dB2 + _dW1[0];

        [Benchmark]
        public double HandWritten() =>
            LoopFunctions.TwoLayerReluHand(_W1, _b1, _W2, _b2, _x, _target, _hidden, _dW1, _dB1, _dW2, out double dB2)
            + dB2 + _dW1[0];
    }

    /// <summary>
    /// The same network with its hidden layer in <c>new double[hidden]</c>: the primal allocates one array, the
    /// generated code that array plus its gradient array. The hand-written backward is the stackalloc one.
    /// </summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class MlpHeapLoopBenchmarks
    {
        private double[] _W1 = LoopData.Uniform(LoopData.MlpHidden * LoopData.MlpInputs, 7, -0.5, 0.5);
        private double[] _b1 = LoopData.Uniform(LoopData.MlpHidden, 8, -0.1, 0.1);
        private double[] _W2 = LoopData.Uniform(LoopData.MlpHidden, 9, -0.5, 0.5);
        private double _b2 = 0.05;
        private double[] _x = LoopData.Uniform(LoopData.MlpInputs, 10);
        private double _target = 0.3;
        private int _hidden = LoopData.MlpHidden;
        private double[] _dW1 = new double[LoopData.MlpHidden * LoopData.MlpInputs];
        private double[] _dB1 = new double[LoopData.MlpHidden];
        private double[] _dW2 = new double[LoopData.MlpHidden];

        [Benchmark(Baseline = true)]
        public double Primal() => LoopFunctions.TwoLayerReluHeap(_W1, _b1, _W2, _b2, _x, _target, _hidden);

        [Benchmark]
        public double Generated() =>
            LoopFunctions.TwoLayerReluHeapBackward(_W1, _b1, _W2, _b2, _x, _target, _hidden, _dW1, _dB1, _dW2, out double dB2)
            + dB2 + _dW1[0];

        [Benchmark]
        public double HandWritten() =>
            LoopFunctions.TwoLayerReluHand(_W1, _b1, _W2, _b2, _x, _target, _hidden, _dW1, _dB1, _dW2, out double dB2)
            + dB2 + _dW1[0];
    }

    /// <summary>
    /// The 16→32→10 classifier as helper calls (<c>Dense → Relu → Dense → SoftmaxCrossEntropy</c>) against the
    /// same model inlined by hand into one method: both Backwards are generated; the issue asks that the
    /// helper version cost no more than about 10% over the inlined one.
    /// </summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class MlpHelperCallBenchmarks
    {
        private double[] _w1 = LoopData.Uniform(HelperFunctions.Hidden * HelperFunctions.Inputs, 11, -0.5, 0.5);
        private double[] _b1 = LoopData.Uniform(HelperFunctions.Hidden, 12, -0.1, 0.1);
        private double[] _w2 = LoopData.Uniform(HelperFunctions.Classes * HelperFunctions.Hidden, 13, -0.5, 0.5);
        private double[] _b2 = LoopData.Uniform(HelperFunctions.Classes, 14, -0.1, 0.1);
        private double[] _x = LoopData.Uniform(HelperFunctions.Inputs, 15);
        private double[] _dW1 = new double[HelperFunctions.Hidden * HelperFunctions.Inputs];
        private double[] _dB1 = new double[HelperFunctions.Hidden];
        private double[] _dW2 = new double[HelperFunctions.Classes * HelperFunctions.Hidden];
        private double[] _dB2 = new double[HelperFunctions.Classes];

        [Benchmark(Baseline = true)]
        public double Primal() => HelperFunctions.WithHelpers(_w1, _b1, _w2, _b2, _x, 3);

        [Benchmark]
        public double GeneratedThroughHelpers() =>
            HelperFunctions.WithHelpersBackward(_w1, _b1, _w2, _b2, _x, 3, _dW1, _dB1, _dW2, _dB2) + _dW1[0];

        [Benchmark]
        public double GeneratedInlinedByHand() =>
            HelperFunctions.InlinedBackward(_w1, _b1, _w2, _b2, _x, 3, _dW1, _dB1, _dW2, _dB2) + _dW1[0];
    }

    /// <summary>
    /// Recursion through the generated Backward: a recursive Horner of degree 16 against the same polynomial as
    /// a loop. The recursive Backward runs each level's forward pass once per level above it (quadratic).
    /// </summary>
    [MemoryDiagnoser]
    [MedianColumn]
    public class RecursionBenchmarks
    {
        private double[] _c = LoopData.Uniform(RecursionFunctions.Degree, 21);
        private double[] _dC = new double[RecursionFunctions.Degree];
        private double _x = 0.7;

        [Benchmark(Baseline = true)]
        public double Primal() => RecursionFunctions.HornerRecursive(_c, _x, 0);

        [Benchmark]
        public double GeneratedRecursive() => RecursionFunctions.HornerRecursiveBackward(_c, _x, 0, _dC, out double dX) + dX;

        [Benchmark]
        public double GeneratedLoop() => RecursionFunctions.HornerLoopBackward(_c, _x, _dC, out double dX) + dX;
    }
}

