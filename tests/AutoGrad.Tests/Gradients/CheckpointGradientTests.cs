using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Checkpointed loops: an outermost loop whose iterations would tape a product of trip counts runs its forward
/// pass without the tape and, in the reverse pass, each iteration's forward again just before its reverse.
/// The cases are written the way such code is written (a mixture model's per-point loop, a batch with a scratch
/// buffer allocated per example, a recurrent state kept in an array), plus near misses that must stay on the
/// tape (an array the loop writes at its own level, an array written again after the loop) and cases whose
/// rerun must first get back what the iteration started from (stale elements, a state carried in an array).
/// </summary>
public class CheckpointGradientTests
{
    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "MixturePerPointLoop",
            "double[] alpha, double[] mu, double[] q, [NoGrad] double[] x, int d, int k, int n",
            """
            var centered = new double[d];
            var transformed = new double[d];
            var term = new double[k];
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < k; c++)
                {
                    for (int j = 0; j < d; j++) centered[j] = x[i * d + j] - mu[c * d + j];
                    for (int j = 0; j < d; j++)
                    {
                        double t = Math.Exp(q[c * d + j]) * centered[j];
                        for (int r = 0; r < j; r++) t += 0.3 * centered[r];
                        transformed[j] = t;
                    }
                    double sq = 0;
                    for (int j = 0; j < d; j++) sq += transformed[j] * transformed[j];
                    term[c] = alpha[c] + q[c * d] - 0.5 * sq;
                }
                double mx = term[0];
                for (int c = 1; c < k; c++) mx = Math.Max(mx, term[c]);
                double se = 0;
                for (int c = 0; c < k; c++) se += Math.Exp(term[c] - mx);
                total += Math.Log(se) + mx;
            }
            return total;
            """,
            new ArrayDomain(-1, 1).Length("alpha", 3).Length("mu", 6).Length("q", 6).Length("x", 8).Fix("d", 2).Fix("k", 3).Fix("n", 4)),
        ArrayCase.Float(
            "MixturePerPointLoopFloat",
            "float[] mu, float[] q, [NoGrad] float[] x",
            """
            Span<float> centered = stackalloc float[2];
            float total = 0f;
            for (int i = 0; i < 3; i++)
            {
                float best = 0f;
                for (int c = 0; c < 2; c++)
                {
                    for (int j = 0; j < 2; j++) centered[j] = x[i * 2 + j] - mu[c * 2 + j];
                    float sq = 0f;
                    for (int j = 0; j < 2; j++)
                    {
                        float s = MathF.Exp(q[c * 2 + j]) * centered[j];
                        for (int r = 0; r < j; r++) s += q[c * 2 + r] * centered[r];
                        sq += s * s;
                    }
                    best += MathF.Exp(-0.5f * sq);
                }
                total += MathF.Log(best);
            }
            return total;
            """,
            new ArrayDomain(-1, 1).Length("mu", 4).Length("q", 4).Length("x", 6),
            tolerance: 2e-2),
        ArrayCase.Double(
            "MixtureBestComponentDouble",
            "double[] mu, double[] q, [NoGrad] double[] x",
            """
            Span<double> centered = stackalloc double[2];
            double total = 0;
            for (int i = 0; i < 3; i++)
            {
                double best = -1e30;
                for (int c = 0; c < 2; c++)
                {
                    for (int j = 0; j < 2; j++) centered[j] = x[i * 2 + j] - mu[c * 2 + j];
                    double sq = 0;
                    for (int j = 0; j < 2; j++)
                    {
                        double s = Math.Exp(q[c * 2 + j]) * centered[j];
                        for (int r = 0; r < j; r++) s += q[c * 2 + r] * centered[r];
                        sq += s * s;
                    }
                    best = Math.Max(best, -0.5 * sq);
                }
                total += best;
            }
            return total;
            """,
            new ArrayDomain(-1, 1).Length("mu", 4).Length("q", 4).Length("x", 6)),
        ArrayCase.Double(
            "BatchWithAScratchBufferPerExample",
            "double[] w, [NoGrad] double[] xs, int batch",
            """
            double loss = 0;
            for (int e = 0; e < batch; e++)
            {
                var h = new double[3];
                for (int j = 0; j < 3; j++)
                {
                    for (int i = 0; i < 2; i++) h[j] += Math.Exp(w[j * 2 + i] * xs[e * 2 + i]);
                }
                double o = 0;
                for (int j = 0; j < 3; j++) o += h[j] * h[(j + 1) % 3];
                loss += Math.Log(o);
            }
            return loss * loss / batch;
            """,
            new ArrayDomain(-1, 1).Length("w", 6).Length("xs", 8).Fix("batch", 4)),
        ArrayCase.Double(
            "RecurrentStateKeptInAnArray",
            "double[] w, double[] u, [NoGrad] double[] inputs",
            """
            const int H = 3;
            var state = new double[H];
            var next = new double[H];
            double loss = 0;
            for (int t = 0; t < inputs.Length; t++)
            {
                for (int j = 0; j < H; j++)
                {
                    double s = u[j] * inputs[t];
                    for (int k = 0; k < H; k++) s += w[j * H + k] * state[k];
                    next[j] = Math.Tanh(s);
                }
                for (int j = 0; j < H; j++) state[j] = next[j];
                loss += state[0] * state[0] - state[2];
            }
            return loss;
            """,
            new ArrayDomain(-1, 1).Length("w", 9).Length("u", 3).Length("inputs", 4)),
        ArrayCase.Double(
            "StaleElementsFromAnEarlierIteration",
            "double[] x",
            """
            var h = new double[3];
            double s = 0;
            for (int r = 0; r < 4; r++)
            {
                for (int j = 0; j < 3; j++)
                {
                    if ((r + j) % 2 == 0) h[j] = x[j] * r + 1;
                }
                for (int i = 0; i < 3; i++)
                {
                    for (int j = 0; j < 3; j++) s += Math.Exp(0.1 * h[i] * h[j]);
                }
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 3)),
        ArrayCase.Double(
            "DoWhileWithAProductCarried",
            "double[] x",
            """
            var v = new double[2];
            double p = 1;
            int r = 0;
            do
            {
                for (int j = 0; j < 2; j++) v[j] = x[j] * p;
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) p += 0.1 * Math.Sin(v[i] * v[j] * p);
                r++;
            } while (r < 3);
            return p;
            """,
            new ArrayDomain(-1, 1).Length("x", 2)),
        ArrayCase.Double(
            "LoopInsideABranch",
            "double[] x, [NoGrad] double scale",
            """
            var c = new double[2];
            double s = 0;
            if (scale > 0)
            {
                for (int r = 0; r < 3; r++)
                {
                    for (int j = 0; j < 2; j++) c[j] = x[j] - r * scale;
                    for (int i = 0; i < 2; i++)
                        for (int j = 0; j < 2; j++) s += Math.Exp(c[i] * c[j] * 0.5);
                }
            }
            else
            {
                s = x[0] * x[1];
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 2).Fix("scale", 0.5)),
        ArrayCase.Double(
            "TwoCheckpointedLoopsShareAScratchArray",
            "double[] x",
            """
            var c = new double[2];
            double s = 0;
            for (int r = 0; r < 2; r++)
            {
                for (int j = 0; j < 2; j++) c[j] = x[j] * (r + 1);
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) s += Math.Exp(c[i] * c[j] * 0.3);
            }
            double t = 0;
            for (int r = 0; r < 2; r++)
            {
                for (int j = 0; j < 2; j++) c[j] = x[j] + s * 0.01 * r;
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) t += Math.Sqrt(1 + c[i] * c[i] * c[j] * c[j]);
            }
            return s * t;
            """,
            new ArrayDomain(-1, 1).Length("x", 2)),
        ArrayCase.Double(
            "RecursiveHelperInTheNestedLoop",
            "double[] x",
            """
            var h = new double[3];
            double s = 0;
            for (int r = 0; r < 2; r++)
            {
                for (int j = 0; j < 3; j++) h[j] = x[j] * (r + 2);
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 3; j++) s += h[j] * SumFrom(h, j);
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 3))
            with { Helpers = "[Differentiable]\npublic static double SumFrom(double[] v, int k) => k >= v.Length ? 0.0 : v[k] * v[k] + SumFrom(v, k + 1);" },
        ArrayCase.Double(
            "WrittenAtTheLoopsOwnLevelStaysOnTheTape",
            "double[] x",
            """
            var h = new double[4];
            h[0] = x[0];
            double s = 0;
            for (int i = 1; i < 4; i++)
            {
                h[i] = Math.Sin(h[i - 1]) + x[i];
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++) s += Math.Exp(0.1 * h[i] * x[a] * x[b]);
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 4)),
        ArrayCase.Double(
            "WrittenAgainAfterTheLoopStaysOnTheTape",
            "double[] x",
            """
            var c = new double[2];
            for (int j = 0; j < 2; j++) c[j] = x[j] * x[j];
            double s = 0;
            for (int r = 0; r < 3; r++)
            {
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) s += Math.Exp(c[i] * c[j] * 0.1 * r);
            }
            for (int j = 0; j < 2; j++) c[j] = s * x[j];
            return s + c[0] * c[1];
            """,
            new ArrayDomain(-1, 1).Length("x", 2)),
        ArrayCase.Double(
            "NothingTapedPerInnerIterationIsNotCheckpointed",
            "double[] w, [NoGrad] double[] xs",
            """
            var h = new double[2];
            double loss = 0;
            for (int e = 0; e < 3; e++)
            {
                for (int j = 0; j < 2; j++)
                {
                    double z = 0;
                    for (int i = 0; i < 2; i++) z += w[j * 2 + i] * xs[e * 2 + i];
                    h[j] = Math.Tanh(z);
                }
                double o = 0;
                for (int j = 0; j < 2; j++) o += h[j] * h[j];
                loss += o;
            }
            return loss;
            """,
            new ArrayDomain(-1, 1).Length("w", 4).Length("xs", 6)),
    };

    /// <summary>The cases whose outermost loop is checkpointed; the others must keep the tape.</summary>
    private static readonly string[] Checkpointed =
    {
        "BatchWithAScratchBufferPerExample",
        "DoWhileWithAProductCarried",
        "LoopInsideABranch",
        "MixtureBestComponentDouble",
        "MixturePerPointLoop",
        "MixturePerPointLoopFloat",
        "RecursiveHelperInTheNestedLoop",
        "StaleElementsFromAnEarlierIteration",
        "TwoCheckpointedLoopsShareAScratchArray",
    };

    private static readonly ArrayCaseSet Set = new("Checkpoint", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Exactly_the_loops_that_tape_a_product_of_trip_counts_are_checkpointed()
    {
        var checkpointed = Cases.Select(c => c.Name)
            .Where(name => Set.Generated(name).Contains("// checkpoint:", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Checkpointed, checkpointed);
    }

    [Fact]
    public void Two_checkpointed_loops_each_save_what_their_iterations_start_from()
    {
        string text = Set.Generated("TwoCheckpointedLoopsShareAScratchArray");
        Assert.Equal(2, CountOf(text, "// checkpoint:"));
        Assert.Equal(2, CountOf(text, ".PopAll(c);"));
    }

    [Fact]
    public void An_array_allocated_by_each_iteration_is_not_saved()
    {
        string text = Set.Generated("BatchWithAScratchBufferPerExample");
        Assert.DoesNotContain("PushAll(h)", text, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
