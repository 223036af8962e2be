using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks
{
    // Inputs live in (non-readonly) fields so the JIT cannot constant-fold them; every benchmark returns
    // the sum of the value and all gradients so nothing is dead-code eliminated. Ratio is against Primal.

    [MemoryDiagnoser]
    [MedianColumn]
    public class NeuronBenchmarks
    {
        private double _w0 = 2.0, _w1 = -3.0, _w2 = -3.0, _x0 = -1.0, _x1 = -2.0;

        [Benchmark(Baseline = true)]
        public double Primal() => Functions.Neuron(_w0, _w1, _w2, _x0, _x1);

        [Benchmark]
        public double Generated()
        {
            double f = Functions.NeuronBackward(_w0, _w1, _w2, _x0, _x1,
                out double a, out double b, out double c, out double d, out double e);
            return f + a + b + c + d + e;
        }

        [Benchmark]
        public double HandWritten()
        {
            double f = Functions.NeuronHand(_w0, _w1, _w2, _x0, _x1,
                out double a, out double b, out double c, out double d, out double e);
            return f + a + b + c + d + e;
        }
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class TwoLayerHuberBenchmarks
    {
        // At this point r ≈ 0.49: the quadratic branch of the Huber loss.
        private double _w00 = 0.5, _w01 = -0.3, _w10 = 0.8, _w11 = 0.2, _b0 = 0.1, _b1 = -0.2;
        private double _v0 = 1.5, _v1 = -0.7, _c = 0.05, _x0 = 0.9, _x1 = -1.1, _y = 0.3;

        [Benchmark(Baseline = true)]
        public double Primal() =>
            Functions.TwoLayerHuber(_w00, _w01, _w10, _w11, _b0, _b1, _v0, _v1, _c, _x0, _x1, _y);

        [Benchmark]
        public double Generated()
        {
            double f = Functions.TwoLayerHuberBackward(_w00, _w01, _w10, _w11, _b0, _b1, _v0, _v1, _c, _x0, _x1, _y,
                out double g0, out double g1, out double g2, out double g3, out double g4,
                out double g5, out double g6, out double g7, out double g8);
            return f + g0 + g1 + g2 + g3 + g4 + g5 + g6 + g7 + g8;
        }

        [Benchmark]
        public double HandWritten()
        {
            double f = Functions.TwoLayerHuberHand(_w00, _w01, _w10, _w11, _b0, _b1, _v0, _v1, _c, _x0, _x1, _y,
                out double g0, out double g1, out double g2, out double g3, out double g4,
                out double g5, out double g6, out double g7, out double g8);
            return f + g0 + g1 + g2 + g3 + g4 + g5 + g6 + g7 + g8;
        }
    }

    [MemoryDiagnoser]
    [MedianColumn]
    public class PowLogSqrtBenchmarks
    {
        private double _x = 0.7, _y = -1.3, _p = 1.7;

        [Benchmark(Baseline = true)]
        public double Primal() => Functions.PowLogSqrt(_x, _y, _p);

        [Benchmark]
        public double Generated()
        {
            double f = Functions.PowLogSqrtBackward(_x, _y, _p, out double a, out double b, out double c);
            return f + a + b + c;
        }

        [Benchmark]
        public double HandWritten()
        {
            double f = Functions.PowLogSqrtHand(_x, _y, _p, out double a, out double b, out double c);
            return f + a + b + c;
        }
    }
}
