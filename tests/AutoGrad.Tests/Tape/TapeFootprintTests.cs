using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Tape;

/// <summary>
/// How many bytes each loop of the issue's MLP and GMM examples saves on the tape per iteration, read from
/// the generated code (each Push adds the size of its tape's type), and that a call allocates nothing on the
/// managed heap. Changing what is taped changes these numbers: update them on purpose.
/// </summary>
public sealed class TapeFootprintTests
{
    private const string Source = """
using System;
using AutoGrad;


public static partial class Examples
{
    // Two-layer ReLU network, squared loss on one example. W1: h x d, b1: h, w2: h, b2 scalar.
    [Differentiable]
    public static double Mlp(double[] W1, double[] b1, double[] w2, double b2, [NoGrad] double[] x, [NoGrad] double y, int h)
    {
        int d = x.Length;
        Span<double> hidden = stackalloc double[h];
        for (int j = 0; j < h; j++)
        {
            double z = b1[j];
            for (int i = 0; i < d; i++) z += W1[j * d + i] * x[i];
            hidden[j] = Math.Max(z, 0.0);
        }
        double o = b2;
        for (int j = 0; j < h; j++) o += w2[j] * hidden[j];
        double e = o - y;
        return 0.5 * e * e;
    }

    // ADBench GMM objective (without the Wishart prior): alphas K, means K*d, icf K*(d + d(d-1)/2).
    [Differentiable]
    public static double Gmm(double[] alphas, double[] means, double[] icf, [NoGrad] double[] x, int d, int k, int n)
    {
        int icfSize = d * (d + 1) / 2;
        Span<double> xcentered = stackalloc double[d];
        Span<double> qxc = stackalloc double[d];
        Span<double> mainTerm = stackalloc double[k];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                double sumQ = 0;
                for (int id = 0; id < d; id++) sumQ += icf[ik * icfSize + id];
                for (int id = 0; id < d; id++) xcentered[id] = x[ix * d + id] - means[ik * d + id];
                // Qxcentered: upper-triangular Q = diag(exp(q)) + L
                for (int id = 0; id < d; id++) qxc[id] = Math.Exp(icf[ik * icfSize + id]) * xcentered[id];
                int lparamsIdx = d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qxc[j] = qxc[j] + icf[ik * icfSize + lparamsIdx] * xcentered[i];
                        lparamsIdx++;
                    }
                }
                double sq = 0;
                for (int id = 0; id < d; id++) sq += qxc[id] * qxc[id];
                mainTerm[ik] = alphas[ik] + sumQ - 0.5 * sq;
            }
            double mx = mainTerm[0];
            for (int ik = 1; ik < k; ik++) if (mainTerm[ik] > mx) mx = mainTerm[ik];
            double se = 0;
            for (int ik = 0; ik < k; ik++) se += Math.Exp(mainTerm[ik] - mx);
            slse += Math.Log(se) + mx;
        }
        double amax = alphas[0];
        for (int ik = 1; ik < k; ik++) if (alphas[ik] > amax) amax = alphas[ik];
        double ase = 0;
        for (int ik = 0; ik < k; ik++) ase += Math.Exp(alphas[ik] - amax);
        double lseAlphas = Math.Log(ase) + amax;
        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - n * lseAlphas;
    }
}

public static class Measure
{
    /// <summary>Managed bytes allocated by 100 calls of the generated MlpBackward, after one warm-up call.</summary>
    public static long MlpBackwardAllocations(double[] W1, double[] b1, double[] w2, double[] x, int h)
    {
        var dW1 = new double[W1.Length];
        var db1 = new double[b1.Length];
        var dw2 = new double[w2.Length];
        Examples.MlpBackward(W1, b1, w2, 0.1, x, 0.5, h, dW1, db1, dw2, out double db2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Examples.MlpBackward(W1, b1, w2, 0.1, x, 0.5, h, dW1, db1, dw2, out db2);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

""";

    private static readonly Lazy<GeneratorRun> Run = new(() => TestCompiler.RunClean(new[] { Source }));

    private readonly ITestOutputHelper _output;

    public TapeFootprintTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Mlp_tapes_12_bytes_per_hidden_unit_and_8_per_output_term()
    {
        var perLoop = BytesPerIteration("Mlp");
        _output.WriteLine("MLP bytes per iteration, loops in source order: " + string.Join(", ", perLoop));
        // hidden units (z before the ReLU; the inner loop's trip count is computed again), the inner dot
        // product (nothing: its counter and index arithmetic are recomputed, W1 and x are read again), the
        // output sum (nothing: nothing writes `hidden` after the first loop, so its elements are read again).
        Assert.Equal(new[] { 8, 0, 0 }, perLoop);
    }

    [Fact]
    public void Gmm_tape_per_loop()
    {
        var perLoop = BytesPerIteration("Gmm");
        _output.WriteLine("GMM bytes per iteration, loops in source order: " + string.Join(", ", perLoop));
        // The per-point loop is checkpointed: its forward pass tapes nothing inside it and saves, per point,
        // only what the point starts from (the three scratch arrays whole, the running sum and the counter:
        // 12 bytes plus (2d + k) values), and its reverse runs each point's forward again, taping as below, just
        // before that point's reverse. So the tape holds one point's worth at a time, not n points' worth.
        // The loops after it (the alphas' log-sum-exp) tape as usual.
        // The rerun (loops 13 on): the per-component loop saves xcentered and qxc whole once per component (d
        // values each), so the loops nested in it read their elements again instead of taping each read: the
        // Q·x loop and the squared-norm loop tape nothing, the exp loop only the exponential.
        var forward = new[] { 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 8 };
        var rerun = new[] { 0, 0, 0, 8, 4, 0, 0, 1, 8 };
        Assert.Equal(forward.Concat(rerun), perLoop);
        var forwardArrays = new[] { "xcentered qxc mainTerm", "", "", "", "", "", "", "", "", "", "", "" };
        var rerunArrays = new[] { "qxc xcentered", "", "", "", "", "", "", "", "" };
        Assert.Equal(forwardArrays.Concat(rerunArrays), WholeArraysPerIteration("Gmm"));
    }

    [Fact]
    public void A_call_allocates_nothing_on_the_managed_heap()
    {
        using var program = LoadedProgram.Load(Run.Value, new[] { Source });
        var measure = program.Assembly.GetType("Measure")!.GetMethod("MlpBackwardAllocations")!;
        var random = new Random(7);
        double[] R(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        // 64 hidden units: the tapes grow past their stack buffers into pooled arrays.
        const int H = 64, D = 8;
        long bytes = (long)measure.Invoke(null, new object[] { R(H * D), R(H), R(H), R(D), H })!;
        Assert.Equal(0, bytes);
    }

    /// <summary>For each forward loop (<c>while (true)</c>) in the method's generated code, the arrays its own body saves whole.</summary>
    private static string[] WholeArraysPerIteration(string method)
    {
        string text = Run.Value.GeneratedFor(method);
        var lines = text.Split('\n');
        var result = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "while (true)") continue;
            string indent = lines[i].Substring(0, lines[i].IndexOf('w'));
            var arrays = new List<string>();
            for (int j = i + 2; j < lines.Length && lines[j] != indent + "}"; j++)
            {
                var push = Regex.Match(lines[j], "^" + indent + "    tape\\w+\\.PushAll\\((\\w+)\\)");
                if (push.Success) arrays.Add(push.Groups[1].Value);
            }

            result.Add(string.Join(" ", arrays));
        }

        return result.ToArray();
    }

    /// <summary>For each forward loop (<c>while (true)</c>) in the method's generated code, the bytes its own body pushes.</summary>
    private static int[] BytesPerIteration(string method)
    {
        string text = Run.Value.GeneratedFor(method);
        var lines = text.Split('\n');
        var result = new List<int>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "while (true)") continue;
            string indent = lines[i].Substring(0, lines[i].IndexOf('w'));
            int bytes = 0;
            for (int j = i + 2; j < lines.Length && lines[j] != indent + "}"; j++)
            {
                var push = Regex.Match(lines[j], "^" + indent + "    tape(\\w+)\\.Push\\(");
                if (!push.Success) continue;
                bytes += push.Groups[1].Value switch
                {
                    "Double" or "Long" => 8,
                    "Float" or "Int" => 4,
                    "Bool" => 1,
                    _ => throw new InvalidOperationException("Unknown tape " + push.Groups[1].Value),
                };
            }

            result.Add(bytes);
        }

        return result.ToArray();
    }
}
