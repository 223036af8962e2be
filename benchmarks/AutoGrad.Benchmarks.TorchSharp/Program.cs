using System;
using System.Globalization;
using System.IO;
using BenchmarkDotNet.Running;
using static TorchSharp.torch;

namespace AutoGrad.Benchmarks.TorchSharp
{
    public static class Program
    {
        private const double Tolerance = 1e-9;

        public static int Main(string[] args)
        {
            if (Array.IndexOf(args, "--check") >= 0)
            {
                return Check();
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(WithDefaultArtifacts(args));
            return 0;
        }

        // Reports go next to this project (BenchmarkDotNet.Artifacts, git-ignored) unless --artifacts is given.
        private static string[] WithDefaultArtifacts(string[] args)
        {
            if (Array.IndexOf(args, "--artifacts") >= 0)
            {
                return args;
            }

            DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AutoGrad.Benchmarks.TorchSharp.csproj")))
            {
                dir = dir.Parent;
            }

            return dir == null ? args : [.. args, "--artifacts", Path.Combine(dir.FullName, "BenchmarkDotNet.Artifacts")];
        }

        /// <summary>
        /// TorchSharp's value and gradients equal the generated Backward's (relative difference ≤ 1e-9) on the
        /// benchmark inputs, both for the per-call path and for the resident-tensor path the benchmarks time.
        /// </summary>
        private static int Check()
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Console.WriteLine($"TorchSharp {typeof(Tensor).Assembly.GetName().Version}, libtorch loaded, " +
                              $"default threads {get_num_threads()}");
            var report = new Report();

            double[][] neuronPoints =
            {
                new[] { 2.0, -3.0, -3.0, -1.0, -2.0 },
                new[] { 0.1, 0.2, 0.3, 0.4, 0.5 },
                new[] { -1.5, 2.5, 0.75, 3.0, -0.25 },
            };
            foreach (double[] p in neuronPoints)
            {
                var gen = new double[5];
                var torchGrad = new double[5];
                double fg = Functions.NeuronBackward(p[0], p[1], p[2], p[3], p[4],
                    out gen[0], out gen[1], out gen[2], out gen[3], out gen[4]);
                double ft = TorchModels.Neuron(p[0], p[1], p[2], p[3], p[4], torchGrad);
                report.Compare("Neuron", fg, ft, gen, torchGrad);
            }

            double[] x = Data.RosenbrockX();
            var dGen = new double[x.Length];
            var dTorch = new double[x.Length];
            double rg = ModelFunctions.RosenbrockBackward(x, dGen);
            double rt = TorchModels.Rosenbrock(x, dTorch);
            report.Compare("Rosenbrock", rg, rt, dGen, dTorch);
            using (NewDisposeScope())
            {
                Tensor tx = tensor(x, requires_grad: true);
                for (int call = 0; call < 2; call++)
                {
                    // As the resident benchmark does: zero the kept gradient, then forward and backward again.
                    tx.grad?.zero_();
                    Tensor loss = TorchModels.RosenbrockLoss(tx);
                    loss.backward();
                    report.Compare($"Rosenbrock resident, call {call + 1}", rg, loss.item<double>(), dGen,
                        tx.grad!.data<double>().ToArray());
                }
            }

            double[][] w = Data.Mlp64Weights();
            double[] input = Data.Mlp64Input();
            int label = Data.Mlp64Label();
            double[][] gGen = Array.ConvertAll(w, a => new double[a.Length]);
            double[][] gTorch = Array.ConvertAll(w, a => new double[a.Length]);
            double mg = ModelFunctions.Mlp64Backward(w[0], w[1], w[2], w[3], input, label, gGen[0], gGen[1], gGen[2], gGen[3]);
            double mt = TorchModels.Mlp64(w[0], w[1], w[2], w[3], input, label, gTorch[0], gTorch[1], gTorch[2], gTorch[3]);
            string[] names = { "dW1", "dB1", "dW2", "dB2" };
            for (int i = 0; i < 4; i++)
            {
                report.Compare($"Mlp64 {names[i]}", mg, mt, gGen[i], gTorch[i]);
            }

            Console.WriteLine(report.Failures == 0
                ? $"check: OK ({report.Comparisons} values compared, TorchSharp == generated to {Tolerance:0e0} relative; " +
                  $"largest relative difference {report.Largest:e2})"
                : $"check: {report.Failures} mismatch(es)");
            return report.Failures == 0 ? 0 : 1;
        }

        private sealed class Report
        {
            public int Failures;
            public int Comparisons;
            public double Largest;

            public void Compare(string name, double fGen, double fTorch, double[] gen, double[] torchGrad)
            {
                Check($"{name} value", fGen, fTorch);
                for (int i = 0; i < gen.Length; i++)
                {
                    Check($"{name} d[{i}]", gen[i], torchGrad[i]);
                }
            }

            private void Check(string at, double gen, double torchValue)
            {
                Comparisons++;
                double rel = gen == torchValue ? 0.0 : Math.Abs(gen - torchValue) / Math.Max(Math.Abs(gen), Math.Abs(torchValue));
                Largest = Math.Max(Largest, rel);
                if (rel > Tolerance)
                {
                    Console.WriteLine($"MISMATCH {at}: generated {gen:R}, TorchSharp {torchValue:R}, rel {rel:e2}");
                    Failures++;
                }
            }
        }
    }
}
