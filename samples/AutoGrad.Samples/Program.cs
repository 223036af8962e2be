using System;
using System.Globalization;

namespace AutoGrad.Samples
{
    /// <summary>
    /// Prints the lecture notes' worked examples, computed by the generated Backward methods, each beside a
    /// central finite-difference estimate of the same gradient.
    /// </summary>
    public static class Program
    {
        public static int Main()
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            int failures = 0;

            Console.WriteLine("AutoGrad.Gen samples: gradients from generated code vs. central finite differences");
            Console.WriteLine();

            // f(x, y, z) = (x + y) * z at x = -2, y = 5, z = -4.
            double circuit = Circuits.CircuitBackward(-2, 5, -4, out double dx, out double dy, out double dz);
            failures += Report(
                "Circuit f = (x + y) * z at x=-2, y=5, z=-4",
                circuit,
                new[] { ("x", dx), ("y", dy), ("z", dz) },
                p => Circuits.Circuit(p[0], p[1], p[2]),
                new double[] { -2, 5, -4 });

            // The sigmoid neuron with w = [2, -3, -3] and x = [-1, -2].
            double neuron = Circuits.NeuronBackward(2, -3, -3, -1, -2, out double dw0, out double dw1, out double dw2, out double dx0, out double dx1);
            failures += Report(
                "Sigmoid neuron 1 / (1 + e^-(w0*x0 + w1*x1 + w2)) at w=[2,-3,-3], x=[-1,-2]",
                neuron,
                new[] { ("w0", dw0), ("w1", dw1), ("w2", dw2), ("x0", dx0), ("x1", dx1) },
                p => Circuits.Neuron(p[0], p[1], p[2], p[3], p[4]),
                new double[] { 2, -3, -3, -1, -2 });

            // The squared loss (w*x - y)^2 at w = 1, x = 1, y = 2; x and y are [NoGrad] data.
            double loss = Circuits.SquaredLossBackward(1, 1, 2, out double dw);
            failures += Report(
                "Squared loss (w*x - y)^2 at w=1, x=1, y=2",
                loss,
                new[] { ("w", dw) },
                p => Circuits.SquaredLoss(p[0], 1, 2),
                new double[] { 1 });

            // A leaky ReLU: the branch not taken and the max gate route the gradient.
            double relu = Circuits.LeakyReluBackward(0.5, -2, 0.25, out double rw, out double rx, out double rb);
            failures += Report(
                "Leaky ReLU max(w*x + b, 0.01*(w*x + b)) at w=0.5, x=-2, b=0.25",
                relu,
                new[] { ("w", rw), ("x", rx), ("b", rb) },
                p => Circuits.LeakyRelu(p[0], p[1], p[2]),
                new double[] { 0.5, -2, 0.25 });

            // Black–Scholes: helper calls, and a custom derivative for the normal CDF helper.
            double price = Options.CallBackward(100, 0.2, 0.05, 105, 0.5, out double delta, out double vega, out double rho);
            failures += Report(
                "Black-Scholes call at S=100, sigma=0.2, r=0.05, K=105, T=0.5 (delta, vega, rho); NormalCdf has a [DerivativeOf]",
                price,
                new[] { ("S", delta), ("sig", vega), ("r", rho) },
                p => Options.Call(p[0], p[1], p[2], 105, 0.5),
                new double[] { 100, 0.2, 0.05 },
                tolerance: 1e-5); // the custom derivative is the exact density; finite differences see the approximation
            var check = GradientCheck.Check(Options.NormalCdf, Options.NormalCdfDerivative, 0.3).WithTolerance(1e-5);
            Console.WriteLine("GradientCheck of the custom derivative NormalCdfDerivative at x = 0.3: " + (check.Passed ? "passed" : "FAILED"));
            Console.WriteLine();
            if (!check.Passed) failures++;

            failures += TrainLogisticRegression();

            Console.WriteLine(failures == 0 ? "All gradients agree with finite differences." : failures + " gradient(s) disagree!");
            return failures == 0 ? 0 : 1;
        }

        /// <summary>Gradient descent on a logistic loss whose gradient comes from the generated loops.</summary>
        private static int TrainLogisticRegression()
        {
            // Two features; the label is 1 when x0 + 2 x1 > 0.5.
            var random = new Random(42);
            const int N = 200, D = 2;
            var x = new double[N * D];
            var labels = new int[N];
            for (int i = 0; i < N; i++)
            {
                x[i * D] = random.NextDouble() * 2 - 1;
                x[i * D + 1] = random.NextDouble() * 2 - 1;
                labels[i] = x[i * D] + 2 * x[i * D + 1] > 0.5 ? 1 : 0;
            }

            var w = new double[D];
            double b = 0;
            var dw = new double[D];
            Console.WriteLine("Logistic regression on 200 points, 2 features (loops over arrays)");
            for (int step = 0; step <= 300; step++)
            {
                Array.Clear(dw);
                double loss = Regression.MeanLogisticLossBackward(w, b, x, labels, dw, out double db);
                if (step % 100 == 0) Console.WriteLine($"  step {step,3}: loss {loss:0.0000}, w = [{w[0]:0.00}, {w[1]:0.00}], b = {b:0.00}");
                for (int j = 0; j < D; j++) w[j] -= 2.0 * dw[j];
                b -= 2.0 * db;
            }

            // The gradient at the trained point, beside finite differences.
            Array.Clear(dw);
            double final = Regression.MeanLogisticLossBackward(w, b, x, labels, dw, out double dbFinal);
            var point = new[] { w[0], w[1], b };
            return Report(
                "  gradient at the trained weights",
                final,
                new[] { ("w0", dw[0]), ("w1", dw[1]), ("b", dbFinal) },
                p => Regression.MeanLogisticLoss(new[] { p[0], p[1] }, p[2], x, labels),
                point);
        }

        private static int Report(string title, double value, (string Name, double Gradient)[] gradients, Func<double[], double> f, double[] point, double tolerance = 1e-6)
        {
            double[] numerical = GradientCheck.Numerical(f, point);
            Console.WriteLine(title);
            Console.WriteLine($"  value {value,10:0.####}");
            int failures = 0;
            for (int i = 0; i < gradients.Length; i++)
            {
                double error = GradientCheck.RelativeError(gradients[i].Gradient, numerical[i]);
                bool ok = error < tolerance;
                if (!ok) failures++;
                Console.WriteLine($"  d/d{gradients[i].Name,-3} {gradients[i].Gradient,10:0.####}   finite differences {numerical[i],10:0.####}   {(ok ? "ok" : "MISMATCH")}");
            }

            Console.WriteLine();
            return failures;
        }
    }
}
