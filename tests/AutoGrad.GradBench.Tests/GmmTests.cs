using System;
using AutoGrad;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

/// <summary>gmm: generated gradient against the hand-written one and against central differences.</summary>
public class GmmTests
{
    [Theory]
    [InlineData(1, 1.0, 0)]
    [InlineData(2, 1.0, 0)]
    [InlineData(3, 0.7, 2)]
    public void Generated_gradient_equals_hand_written_and_finite_differences(int seed, double gamma, int m)
    {
        var input = GmmInput.Random(d: 2, k: 3, n: 5, seed, gamma, m);
        var generated = new GmmGradient(2, 3);
        double generatedValue = Gmm.Gradient(input, generated);
        var hand = new GmmGradient(2, 3);
        double handValue = Gmm.HandGradient(input, hand);
        double value = Gmm.Objective(input);

        Assert.Equal(value, generatedValue, 1e-12 * Math.Abs(value));
        Assert.Equal(value, handValue, 1e-10 * Math.Abs(value));
        GmmLstmBaAssert.Same(hand.ToVector(), generated.ToVector());
        GmmLstmBaAssert.MatchesFiniteDifferences(generated.ToVector(), point => Gmm.Objective(Unpack(input, point)), Pack(input));
        GmmLstmBaAssert.MatchesFiniteDifferences(hand.ToVector(), point => Gmm.Objective(Unpack(input, point)), Pack(input));
    }

    [Fact]
    public void Gradient_clears_the_buffers_it_is_given()
    {
        var input = GmmInput.Random(d: 3, k: 2, n: 4, seed: 9);
        var gradient = new GmmGradient(3, 2);
        Gmm.Gradient(input, gradient);
        double[] once = gradient.ToVector();
        Gmm.Gradient(input, gradient);
        Assert.Equal(once, gradient.ToVector());
    }

    [Fact]
    public void Objective_matches_the_definition_computed_naively()
    {
        // GradBench's --validate-naive path: Gaussian densities with Σ⁻¹ = QᵀQ and Wishart densities with
        // V = I/γ², n = d + m + 1, with no algebraic simplification.
        var input = GmmInput.Random(d: 3, k: 2, n: 4, seed: 5, gamma: 0.8, m: 1);
        Assert.Equal(NaiveLogPosterior(input), Gmm.Objective(input), 1e-9);
    }

    [Fact]
    public void Nested_output_has_gradbench_shapes()
    {
        var input = GmmInput.Random(d: 4, k: 3, n: 2, seed: 2);
        var (alpha, mu, q, l) = Gmm.Gradient(input).ToNested();
        Assert.Equal(3, alpha.Length);
        Assert.All(mu, row => Assert.Equal(4, row.Length));
        Assert.All(q, row => Assert.Equal(4, row.Length));
        Assert.All(l, row => Assert.Equal(6, row.Length));
        Assert.Equal(3, l.Length);
    }

    [Theory]
    [InlineData(0.5, 0.57236494292470008)]   // log √π
    [InlineData(1.0, 0.0)]
    [InlineData(3.5, 1.2009736023470743)]    // log(15√π / 8)
    [InlineData(10.0, 12.801827480081469)]   // log 9!
    [InlineData(0.1, 2.2527126517342059)]
    public void LogGamma_matches_known_values(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), 1e-13);

    [Fact]
    public void LogMultivariateGamma_of_dimension_two() =>
        // Γ₂(a) = √π Γ(a) Γ(a − 1/2); at a = 2: √π · 1 · Γ(3/2) = π / 2.
        Assert.Equal(Math.Log(Math.PI / 2), SpecialFunctions.LogMultivariateGamma(2.0, 2), 1e-13);

    private static double[] Pack(GmmInput input)
    {
        var all = new double[input.Alpha.Length + input.Mu.Length + input.Q.Length + input.L.Length];
        input.Alpha.CopyTo(all, 0);
        input.Mu.CopyTo(all, input.Alpha.Length);
        input.Q.CopyTo(all, input.Alpha.Length + input.Mu.Length);
        input.L.CopyTo(all, input.Alpha.Length + input.Mu.Length + input.Q.Length);
        return all;
    }

    private static GmmInput Unpack(GmmInput like, double[] all)
    {
        int a = like.Alpha.Length, mu = like.Mu.Length, q = like.Q.Length;
        return new GmmInput(like.D, like.K, like.N, all[..a], all[a..(a + mu)], all[(a + mu)..(a + mu + q)], all[(a + mu + q)..],
            like.X, like.Gamma, like.M);
    }

    private static double NaiveLogPosterior(GmmInput input)
    {
        int d = input.D, k = input.K;
        var precisions = new double[k][,];
        for (int c = 0; c < k; c++)
        {
            var factor = new double[d, d];
            int idx = c * input.LSize;
            for (int col = 0; col < d; col++)
            {
                factor[col, col] = Math.Exp(input.Q[c * d + col]);
                for (int row = col + 1; row < d; row++) factor[row, col] = input.L[idx++];
            }

            var s = new double[d, d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    for (int r = 0; r < d; r++) s[i, j] += factor[r, i] * factor[r, j];
            precisions[c] = s;
        }

        double alphaSum = 0;
        for (int c = 0; c < k; c++) alphaSum += Math.Exp(input.Alpha[c]);

        double logLikelihood = 0;
        for (int i = 0; i < input.N; i++)
        {
            double mixture = 0;
            for (int c = 0; c < k; c++)
            {
                double quad = 0;
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++)
                        quad += (input.X[i * d + a] - input.Mu[c * d + a]) * precisions[c][a, b] * (input.X[i * d + b] - input.Mu[c * d + b]);
                double density = Math.Exp(-0.5 * quad) / Math.Sqrt(Math.Pow(2 * Math.PI, d) / Determinant(precisions[c]));
                mixture += Math.Exp(input.Alpha[c]) / alphaSum * density;
            }

            logLikelihood += Math.Log(mixture);
        }

        int dof = d + input.M + 1;
        double gamma = input.Gamma;
        double logPrior = 0;
        for (int c = 0; c < k; c++)
        {
            double trace = 0;
            for (int a = 0; a < d; a++) trace += precisions[c][a, a];
            logPrior += 0.5 * (dof - d - 1) * Math.Log(Determinant(precisions[c])) - 0.5 * gamma * gamma * trace
                - 0.5 * d * dof * Math.Log(2) - 0.5 * dof * (-2 * d * Math.Log(gamma))
                - SpecialFunctions.LogMultivariateGamma(0.5 * dof, d);
        }

        return logLikelihood + logPrior;
    }

    private static double Determinant(double[,] matrix)
    {
        int size = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        double det = 1;
        for (int p = 0; p < size; p++)
        {
            int pivot = p;
            for (int r = p + 1; r < size; r++) if (Math.Abs(a[r, p]) > Math.Abs(a[pivot, p])) pivot = r;
            if (pivot != p)
            {
                det = -det;
                for (int j = 0; j < size; j++) (a[p, j], a[pivot, j]) = (a[pivot, j], a[p, j]);
            }

            det *= a[p, p];
            for (int r = p + 1; r < size; r++)
            {
                double f = a[r, p] / a[p, p];
                for (int j = p; j < size; j++) a[r, j] -= f * a[p, j];
            }
        }

        return det;
    }
}
