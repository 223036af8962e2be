using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// The array and loop examples of the issue, each against finite differences, and where a closed form is known
/// (dot product, logistic loss, softmax cross-entropy, the matrix product rule dW = G·Xᵀ, dX = Wᵀ·G) against it.
/// </summary>
public class ArrayExampleTests
{
    private const int N = 5;
    private const int D = 3;

    private static readonly double[] Labels01 = { 1, 0, 0, 1, 1 };

    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double("Dot", "double[] w, double[] x", "double s = 0;\nfor (int i = 0; i < w.Length; i++) s += w[i] * x[i];\nreturn s;", new ArrayDomain().Length("w", 6).Length("x", 6)),

        // Mean logistic loss of a linear model over a data set X (n×d, row-major) with 0/1 labels y.
        ArrayCase.Double(
            "LogisticLoss",
            "double[] w, double b, [NoGrad] double[] X, [NoGrad] double[] y, int n, int d",
            """
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                double z = b;
                for (int j = 0; j < d; j++) z += w[j] * X[i * d + j];
                double p = 1.0 / (1.0 + Math.Exp(-z));
                loss -= y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p);
            }
            return loss / n;
            """,
            new ArrayDomain().Fix("n", N).Fix("d", D).Length("w", D).Length("X", N * D).Fix("y", Labels01)),

        // The same loss with the data differentiable too (gradients for every X element).
        ArrayCase.Double(
            "LogisticLossAllInputs",
            "ReadOnlySpan<double> w, double b, ReadOnlySpan<double> X, [NoGrad] ReadOnlySpan<double> y, int n, int d",
            """
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                double z = b;
                for (int j = 0; j < d; j++) z += w[j] * X[i * d + j];
                double p = 1.0 / (1.0 + Math.Exp(-z));
                loss -= y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p);
            }
            return loss / n;
            """,
            new ArrayDomain().Fix("n", N).Fix("d", D).Length("w", D).Length("X", N * D).Fix("y", Labels01)),

        ArrayCase.Double(
            "Rosenbrock",
            "double[] x",
            """
            double f = 0;
            for (int i = 0; i + 1 < x.Length; i++)
            {
                double a = x[i + 1] - x[i] * x[i];
                double b = 1 - x[i];
                f += 100 * a * a + b * b;
            }
            return f;
            """,
            new ArrayDomain().Length("x", 6)),

        // Softmax cross-entropy with an integer label, the maximum subtracted first (running max with foreach).
        ArrayCase.Double(
            "SoftmaxCrossEntropy",
            "double[] z, int label",
            """
            double m = double.NegativeInfinity;
            foreach (double v in z) m = Math.Max(m, v);
            double sum = 0;
            for (int i = 0; i < z.Length; i++) sum += Math.Exp(z[i] - m);
            return Math.Log(sum) - (z[label] - m);
            """,
            new ArrayDomain(-3, 3).Length("z", 5).Fix("label", 2).Where(p => Gap(p.A("z")) > 0.05)),

        // The same with `if (z[i] > m) m = z[i];` over a span.
        ArrayCase.Double(
            "SoftmaxCrossEntropyIfMax",
            "ReadOnlySpan<double> z, int label",
            """
            double m = double.NegativeInfinity;
            for (int i = 0; i < z.Length; i++)
            {
                if (z[i] > m) m = z[i];
            }
            double sum = 0;
            for (int i = 0; i < z.Length; i++) sum += Math.Exp(z[i] - m);
            return Math.Log(sum) - z[label] + m;
            """,
            new ArrayDomain(-3, 3).Length("z", 5).Fix("label", 0).Where(p => Gap(p.A("z")) > 0.05)),

        // Horner's rule in a while loop (the returned r is carried through the loop and saved on the tape).
        ArrayCase.Double(
            "HornerWhile",
            "double x, double[] c",
            """
            double r = 0;
            int k = c.Length - 1;
            while (k >= 0)
            {
                r = r * x + c[k];
                k--;
            }
            return r;
            """,
            new ArrayDomain().Length("c", 5)),

        // Two-layer ReLU network on one example, two hidden units written as scalars.
        ArrayCase.Double(
            "TwoLayerReluScalars",
            "double[] W1, double[] b1, double[] W2, double b2, [NoGrad] double[] x, [NoGrad] double target",
            """
            double z0 = b1[0];
            double z1 = b1[1];
            for (int i = 0; i < x.Length; i++)
            {
                z0 += W1[i] * x[i];
                z1 += W1[x.Length + i] * x[i];
            }
            double h0 = Math.Max(0.0, z0);
            double h1 = Math.Max(0.0, z1);
            double o = W2[0] * h0 + W2[1] * h1 + b2;
            double e = o - target;
            return 0.5 * e * e;
            """,
            new ArrayDomain().Length("W1", 2 * D).Length("b1", 2).Length("W2", 2).Length("x", D).Where(p => HiddenAwayFromKink(p, 2))),

        // The same network with a local hidden-layer array (new double[hidden]) and any number of hidden units.
        ArrayCase.Double(
            "TwoLayerReluLocalArray",
            "double[] W1, double[] b1, double[] W2, double b2, [NoGrad] double[] x, [NoGrad] double target, int hidden",
            """
            int d = x.Length;
            double[] h = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                for (int i = 0; i < d; i++) z += W1[j * d + i] * x[i];
                h[j] = Math.Max(0.0, z);
            }
            double o = b2;
            for (int j = 0; j < hidden; j++) o += W2[j] * h[j];
            double e = o - target;
            return 0.5 * e * e;
            """,
            new ArrayDomain().Fix("hidden", 4).Length("W1", 4 * D).Length("b1", 4).Length("W2", 4).Length("x", D).Where(p => HiddenAwayFromKink(p, 4))),

        // D = W·X (W n×k, X k×m, row-major), loss sum(D ∘ G).
        ArrayCase.Double(
            "MatrixProductLoss",
            "double[] W, double[] X, [NoGrad] double[] G, int n, int k, int m",
            """
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double d = 0;
                    for (int p = 0; p < k; p++) d += W[i * k + p] * X[p * m + j];
                    loss += d * G[i * m + j];
                }
            }
            return loss;
            """,
            new ArrayDomain().Fix("n", 2).Fix("k", 3).Fix("m", 4).Length("W", 6).Length("X", 12).Length("G", 8)),

        // The same, with D kept in a local array first.
        ArrayCase.Double(
            "MatrixProductLossLocalArray",
            "double[] W, double[] X, [NoGrad] double[] G, int n, int k, int m",
            """
            double[] D = new double[n * m];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                    for (int p = 0; p < k; p++)
                        D[i * m + j] += W[i * k + p] * X[p * m + j];
            double loss = 0;
            for (int q = 0; q < n * m; q++) loss += D[q] * G[q];
            return loss;
            """,
            new ArrayDomain().Fix("n", 2).Fix("k", 3).Fix("m", 4).Length("W", 6).Length("X", 12).Length("G", 8)),

        // ADBench's GMM objective: K components in d dimensions, n points; icf holds, per component, the d
        // log-diagonal entries of the inverse Cholesky factor Q then its d(d-1)/2 lower-triangular entries
        // (column by column); a Wishart prior with parameters gamma and m; constant = the terms without inputs.
        ArrayCase.Double(
            "GaussianMixture",
            "double[] alphas, double[] means, double[] icf, [NoGrad] double[] x, [NoGrad] double gamma, [NoGrad] double m, [NoGrad] double constant, int d, int K, int n",
            """
            int icfSize = d * (d + 1) / 2;
            double[] sumQs = new double[K];
            for (int k = 0; k < K; k++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += icf[k * icfSize + j];
                sumQs[k] = s;
            }
            double[] xc = new double[d];
            double[] qx = new double[d];
            double[] main = new double[K];
            double slse = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < K; k++)
                {
                    for (int j = 0; j < d; j++) xc[j] = x[i * d + j] - means[k * d + j];
                    for (int j = 0; j < d; j++) qx[j] = Math.Exp(icf[k * icfSize + j]) * xc[j];
                    int l = d;
                    for (int a = 0; a < d; a++)
                    {
                        for (int b = a + 1; b < d; b++)
                        {
                            qx[b] += icf[k * icfSize + l] * xc[a];
                            l++;
                        }
                    }
                    double sq = 0;
                    for (int j = 0; j < d; j++) sq += qx[j] * qx[j];
                    main[k] = alphas[k] + sumQs[k] - 0.5 * sq;
                }
                double mx = main[0];
                for (int k = 1; k < K; k++) mx = Math.Max(mx, main[k]);
                double se = 0;
                for (int k = 0; k < K; k++) se += Math.Exp(main[k] - mx);
                slse += Math.Log(se) + mx;
            }
            double amx = alphas[0];
            for (int k = 1; k < K; k++) amx = Math.Max(amx, alphas[k]);
            double ase = 0;
            for (int k = 0; k < K; k++) ase += Math.Exp(alphas[k] - amx);
            double lseAlphas = Math.Log(ase) + amx;
            double prior = 0;
            for (int k = 0; k < K; k++)
            {
                double frobenius = 0;
                for (int j = 0; j < d; j++)
                {
                    double q = Math.Exp(icf[k * icfSize + j]);
                    frobenius += q * q;
                }
                for (int j = d; j < icfSize; j++) frobenius += icf[k * icfSize + j] * icf[k * icfSize + j];
                prior += 0.5 * gamma * gamma * frobenius - m * sumQs[k];
            }
            return constant + slse - n * lseAlphas + prior;
            """,
            new ArrayDomain(-1, 1).Fix("d", 2).Fix("K", 3).Fix("n", 1).Length("alphas", 3).Length("means", 6).Length("icf", 9).Length("x", 2)
                .Fix("gamma", 1.0).Fix("m", 0.0).Fix("constant", GmmConstant(d: 2, k: 3, n: 1, gamma: 1.0, m: 0))
                .Where(p => Gap(p.A("alphas")) > 0.05 && Gap(GmmMainTerms(p)) > 0.05)),
    };

    private static readonly ArrayCaseSet Set = new("ArrayExamples", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Dot_gradients_are_the_other_vector()
    {
        var method = Set.Get("Dot");
        var w = new[] { 0.5, -1.25, 2.0, 3.0, -0.75, 1.0 };
        var x = new[] { 4.0, 0.25, -2.5, 1.0, 8.0, -3.0 };
        var result = method.InvokeBackward(method.Arguments(w, x));
        Assert.Equal(w.Zip(x, (a, b) => a * b).Sum(), result.Value, 12);
        Assert.Equal(x, result.Gradients[0]);
        Assert.Equal(w, result.Gradients[1]);
    }

    [Fact]
    public void Logistic_loss_gradient_is_the_mean_residual_times_the_features()
    {
        var method = Set.Get("LogisticLoss");
        var random = new Random(7);
        var w = Enumerable.Range(0, D).Select(_ => random.NextDouble() - 0.5).ToArray();
        var X = Enumerable.Range(0, N * D).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
        double b = 0.3;
        var result = method.InvokeBackward(method.Arguments(w, b, X, Labels01, N, D));
        var dw = new double[D];
        double db = 0;
        for (int i = 0; i < N; i++)
        {
            double z = b + Enumerable.Range(0, D).Sum(j => w[j] * X[(i * D) + j]);
            double residual = (1 / (1 + Math.Exp(-z))) - Labels01[i];
            db += residual / N;
            for (int j = 0; j < D; j++) dw[j] += residual * X[(i * D) + j] / N;
        }

        AssertClose(dw, result.Gradients[0], 1e-12, "dW", method);
        AssertClose(new[] { db }, result.Gradients[1], 1e-12, "dB", method);
    }

    [Fact]
    public void Softmax_cross_entropy_gradient_is_probabilities_minus_one_hot()
    {
        foreach (var (name, label) in new[] { ("SoftmaxCrossEntropy", 2), ("SoftmaxCrossEntropyIfMax", 0) })
        {
            var method = Set.Get(name);
            var z = new[] { 1.0, -0.5, 2.5, 0.25, 2.0 };
            var result = method.InvokeBackward(method.Arguments(z, label));
            double max = z.Max();
            double sum = z.Sum(v => Math.Exp(v - max));
            var expected = z.Select((v, i) => (Math.Exp(v - max) / sum) - (i == label ? 1 : 0)).ToArray();
            Assert.Equal(Math.Log(sum) - (z[label] - max), result.Value, 12);
            AssertClose(expected, result.Gradients[0], 1e-12, name + " dZ", method);
        }
    }

    [Fact]
    public void Matrix_product_gradients_are_G_times_X_transposed_and_W_transposed_times_G()
    {
        const int n = 3, k = 4, m = 5;
        var random = new Random(11);
        double[] Rand(int count) => Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
        var W = Rand(n * k);
        var X = Rand(k * m);
        var G = Rand(n * m);

        // The lecture notes' rule, by a plain matrix product: dW = G·Xᵀ (n×k), dX = Wᵀ·G (k×m).
        var dW = new double[n * k];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++)
                for (int j = 0; j < m; j++)
                    dW[(i * k) + p] += G[(i * m) + j] * X[(p * m) + j];
        var dX = new double[k * m];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < n; i++)
                    dX[(p * m) + j] += W[(i * k) + p] * G[(i * m) + j];

        foreach (var name in new[] { "MatrixProductLoss", "MatrixProductLossLocalArray" })
        {
            var method = Set.Get(name);
            var result = method.InvokeBackward(method.Arguments(W, X, G, n, k, m));
            AssertClose(dW, result.Gradients[0], 1e-12, name + " dW", method);
            AssertClose(dX, result.Gradients[1], 1e-12, name + " dX", method);

            // With seed 2.5 and buffers that already hold a gradient: added, scaled.
            var buffers = method.Buffers(method.Arguments(W, X, G, n, k, m), 1.0, -1, 0);
            var scaled = method.InvokeWithBuffers(method.Arguments(W, X, G, n, k, m), buffers, 2.5);
            AssertClose(dW.Select(v => 1 + (2.5 * v)).ToArray(), scaled.Gradients[0], 1e-12, name + " 1 + 2.5·dW", method);
            AssertClose(dX.Select(v => 1 + (2.5 * v)).ToArray(), scaled.Gradients[1], 1e-12, name + " 1 + 2.5·dX", method);
        }
    }

    [Fact]
    public void Two_layer_network_local_array_agrees_with_the_scalar_version()
    {
        var scalars = Set.Get("TwoLayerReluScalars");
        var local = Set.Get("TwoLayerReluLocalArray");
        var W1 = new[] { 0.5, -0.25, 1.0, -0.75, 0.3, 0.8 };
        var b1 = new[] { 0.1, 0.2 };
        var W2 = new[] { 1.5, -2.0 };
        var x = new[] { 1.0, 0.5, -0.25 };
        var a = scalars.InvokeBackward(scalars.Arguments(W1, b1, W2, 0.05, x, 0.7));
        var b = local.InvokeBackward(local.Arguments(W1, b1, W2, 0.05, x, 0.7, 2));
        Assert.Equal(a.Value, b.Value, 14);
        for (int g = 0; g < 4; g++) AssertClose(a.Gradients[g], b.Gradients[g], 1e-13, "gradient " + g, local);
    }

    // ---------------- helpers ----------------

    /// <summary>The smallest difference between two elements (0 for fewer than two).</summary>
    private static double Gap(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        double gap = double.PositiveInfinity;
        for (int i = 1; i < sorted.Length; i++) gap = Math.Min(gap, sorted[i] - sorted[i - 1]);
        return gap;
    }

    /// <summary>Every hidden pre-activation of the two-layer net at least 0.05 from the ReLU's kink.</summary>
    private static bool HiddenAwayFromKink(ArrayPoint p, int hidden)
    {
        var W1 = p.A("W1");
        var b1 = p.A("b1");
        var x = p.A("x");
        for (int j = 0; j < hidden; j++)
        {
            double z = b1[j];
            for (int i = 0; i < x.Length; i++) z += W1[(j * x.Length) + i] * x[i];
            if (Math.Abs(z) < 0.05) return false;
        }

        return true;
    }

    /// <summary>The GMM's per-component terms for the single point (for keeping the max away from ties).</summary>
    private static double[] GmmMainTerms(ArrayPoint p)
    {
        const int d = 2, K = 3, icfSize = 3;
        var alphas = p.A("alphas");
        var means = p.A("means");
        var icf = p.A("icf");
        var x = p.A("x");
        var main = new double[K];
        for (int k = 0; k < K; k++)
        {
            double x0 = x[0] - means[k * d], x1 = x[1] - means[(k * d) + 1];
            double q0 = Math.Exp(icf[k * icfSize]) * x0;
            double q1 = (Math.Exp(icf[(k * icfSize) + 1]) * x1) + (icf[(k * icfSize) + 2] * x0);
            main[k] = alphas[k] + icf[k * icfSize] + icf[(k * icfSize) + 1] - (0.5 * ((q0 * q0) + (q1 * q1)));
        }

        return main;
    }

    /// <summary>ADBench's constant terms: −n·d/2·log 2π − K·(n'·d·(log γ − ½ log 2) − log Γ_d(n'/2)), n' = d + m + 1.</summary>
    private static double GmmConstant(int d, int k, int n, double gamma, int m)
    {
        int nPrime = d + m + 1;
        double logMultiGamma = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= d; j++) logMultiGamma += LogGamma((0.5 * nPrime) + ((1 - j) / 2.0));
        double c = (nPrime * d * (Math.Log(gamma) - (0.5 * Math.Log(2)))) - logMultiGamma;
        return (-n * d * 0.5 * Math.Log(2 * Math.PI)) - (k * c);
    }

    /// <summary>log Γ(x) for x &gt; 0 (Lanczos, g = 7).</summary>
    private static double LogGamma(double x)
    {
        double[] c =
        {
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        };
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(a);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what, ArrayMethod method)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            if (!(error <= tolerance * Math.Max(1.0, Math.Abs(expected[i]))))
            {
                Assert.Fail(what + "[" + i + "]: expected " + Format.G(expected[i]) + ", got " + Format.G(actual[i])
                    + " (difference " + Format.G(error) + ")\n" + method.Describe());
            }
        }
    }
}
