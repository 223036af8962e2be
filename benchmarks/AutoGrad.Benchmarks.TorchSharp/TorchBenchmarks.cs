using System;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoGrad.Benchmarks.TorchSharp
{
    // Generated Backward (the baseline: Ratio is TorchSharp / generated) against TorchSharp's autograd on the same
    // inputs as benchmarks/AutoGrad.Benchmarks (same seeds). TorchThreads is passed to torch.set_num_threads in each
    // benchmark process; it does not affect the generated code, which is single-threaded.
    //
    // TorchSharp is the user's per-call path from double[] to double[]: tensors built from the arrays, backward(),
    // gradients copied out. TorchSharpResident is the most favourable case for TorchSharp: the parameters stay
    // tensors across calls (no copy in or out), and each call zeroes their .grad, runs forward and backward and
    // reads the loss, as a training loop does.

    /// <summary>Deterministic inputs: the seeds and ranges of benchmarks/AutoGrad.Benchmarks/ModelBenchmarks.cs.</summary>
    public static class Data
    {
        public static double[] Uniform(int n, int seed, double lo = -1.0, double hi = 1.0)
        {
            var rng = new Random(seed);
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = lo + (hi - lo) * rng.NextDouble();
            }

            return values;
        }

        public static double[] RosenbrockX() => Uniform(ModelFunctions.RosenbrockN, 31, -1.2, 1.2);

        /// <summary>w1, b1, w2, b2 of the 64→128→10 network.</summary>
        public static double[][] Mlp64Weights() => new[]
        {
            Uniform(ModelFunctions.Hidden * ModelFunctions.Inputs, 40, -0.25, 0.25),
            Uniform(ModelFunctions.Hidden, 41, -0.1, 0.1),
            Uniform(ModelFunctions.Classes * ModelFunctions.Hidden, 42, -0.25, 0.25),
            Uniform(ModelFunctions.Classes, 43, -0.1, 0.1),
        };

        public static double[] Mlp64Input() => Uniform(ModelFunctions.Inputs, 41);

        public static int Mlp64Label() => new Random(42).Next(ModelFunctions.Classes);
    }

    public abstract class TorchBenchmarkBase
    {
        [Params(1, 2)]
        public int TorchThreads { get; set; }

        [GlobalSetup]
        public void SetThreads() => set_num_threads(TorchThreads);
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class NeuronTorch : TorchBenchmarkBase
    {
        private double _w0 = 2.0, _w1 = -3.0, _w2 = -3.0, _x0 = -1.0, _x1 = -2.0;
        private readonly double[] _grad = new double[5];

        [Benchmark(Baseline = true)]
        public double Generated()
        {
            double f = Functions.NeuronBackward(_w0, _w1, _w2, _x0, _x1,
                out double a, out double b, out double c, out double d, out double e);
            return f + a + b + c + d + e;
        }

        [Benchmark]
        public double TorchSharp()
        {
            double f = TorchModels.Neuron(_w0, _w1, _w2, _x0, _x1, _grad);
            return f + _grad[0] + _grad[1] + _grad[2] + _grad[3] + _grad[4];
        }
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class RosenbrockTorch : TorchBenchmarkBase
    {
        private readonly double[] _x = Data.RosenbrockX();
        private readonly double[] _dX = new double[ModelFunctions.RosenbrockN];
        private Tensor? _tx;

        [GlobalSetup(Target = nameof(TorchSharpResident))]
        public void SetupResident()
        {
            SetThreads();
            _tx = tensor(_x, requires_grad: true);
        }

        [Benchmark(Baseline = true)]
        public double Generated() => ModelFunctions.RosenbrockBackward(_x, _dX) + _dX[0];

        [Benchmark]
        public double TorchSharp() => TorchModels.Rosenbrock(_x, _dX) + _dX[0];

        [Benchmark]
        public double TorchSharpResident()
        {
            using DisposeScope scope = NewDisposeScope();
            _tx!.grad?.zero_();
            Tensor loss = TorchModels.RosenbrockLoss(_tx);
            loss.backward();
            return loss.item<double>();
        }
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class Mlp64Torch : TorchBenchmarkBase
    {
        private readonly double[] _w1, _b1, _w2, _b2;
        private readonly double[] _x = Data.Mlp64Input();
        private readonly int _label = Data.Mlp64Label();
        private readonly double[] _dW1 = new double[ModelFunctions.Hidden * ModelFunctions.Inputs];
        private readonly double[] _dB1 = new double[ModelFunctions.Hidden];
        private readonly double[] _dW2 = new double[ModelFunctions.Classes * ModelFunctions.Hidden];
        private readonly double[] _dB2 = new double[ModelFunctions.Classes];
        private Tensor[] _params = Array.Empty<Tensor>();
        private Tensor? _tx;

        public Mlp64Torch()
        {
            double[][] w = Data.Mlp64Weights();
            (_w1, _b1, _w2, _b2) = (w[0], w[1], w[2], w[3]);
        }

        [GlobalSetup(Target = nameof(TorchSharpResident))]
        public void SetupResident()
        {
            SetThreads();
            _params = new[]
            {
                tensor(_w1, new long[] { ModelFunctions.Hidden, ModelFunctions.Inputs }, requires_grad: true),
                tensor(_b1, requires_grad: true),
                tensor(_w2, new long[] { ModelFunctions.Classes, ModelFunctions.Hidden }, requires_grad: true),
                tensor(_b2, requires_grad: true),
            };
            _tx = tensor(_x);
        }

        private double GradientSample(double value) => value + _dW1[0] + _dB1[0] + _dW2[0] + _dB2[0];

        [Benchmark(Baseline = true)]
        public double Generated() =>
            GradientSample(ModelFunctions.Mlp64Backward(_w1, _b1, _w2, _b2, _x, _label, _dW1, _dB1, _dW2, _dB2));

        [Benchmark]
        public double TorchSharp() =>
            GradientSample(TorchModels.Mlp64(_w1, _b1, _w2, _b2, _x, _label, _dW1, _dB1, _dW2, _dB2));

        [Benchmark]
        public double TorchSharpResident()
        {
            using DisposeScope scope = NewDisposeScope();
            foreach (Tensor p in _params)
            {
                p.grad?.zero_();
            }

            Tensor loss = TorchModels.Mlp64Loss(_params[0], _params[1], _params[2], _params[3], _tx!, _label);
            loss.backward();
            return loss.item<double>();
        }
    }
}
