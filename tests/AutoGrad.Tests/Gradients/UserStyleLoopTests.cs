using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// [Differentiable] methods with loops and arrays written the way users write them (numerical integration,
/// fitting losses, splines with an index search, smoothing, LayerNorm, attention, convolution, RNNs, robust
/// losses, early exits on convergence, skipping invalid entries, gathers through int index arrays, local
/// arrays rewritten in several passes, very long loops, empty arrays), each checked element by element
/// against finite differences with <see cref="ArrayGradientChecker"/>.
/// </summary>
public class UserStyleLoopTests
{
    private static Func<ArrayPoint, bool> AwayFrom(double kink, double gap, params string[] arrays) =>
        p => arrays.All(a => p.A(a).All(v => Math.Abs(v - kink) > gap));

    private static Func<ArrayPoint, bool> Distinct(string array, double gap = 0.05) =>
        p =>
        {
            var v = p.A(array);
            for (int i = 0; i < v.Length; i++)
                for (int j = i + 1; j < v.Length; j++)
                    if (Math.Abs(v[i] - v[j]) < gap) return false;
            return true;
        };

    private static readonly double[] Knots = { 0.0, 0.5, 1.2, 2.0, 3.1 };
    private static readonly double[] Xs = { -1.0, -0.4, 0.1, 0.7, 1.3, 1.9 };
    private static readonly double[] Ys = { 2.1, 0.8, 0.3, 0.9, 2.4, 4.2 };

    private static readonly ArrayCase[] Cases =
    {
        // ---------------- numerical integration ----------------
        ArrayCase.Double(
            "TrapezoidGaussian",
            "double a, double b, int n",
            """
            double h = 1.0 / n;
            double s = 0.5 * (1.0 + Math.Exp(-a));
            for (int i = 1; i < n; i++)
            {
                double x = i * h;
                s += Math.Exp(-a * x * x);
            }
            return s * h * b;
            """,
            new ArrayDomain(0.2, 2).Fix("n", 40)),
        ArrayCase.Double(
            "SimpsonOverInterval",
            "double lo, double hi, double k, int n",
            """
            double h = (hi - lo) / n;
            double s = Math.Sin(k * lo) + Math.Sin(k * hi);
            for (int i = 1; i < n; i++)
            {
                double x = lo + i * h;
                double w = (i % 2 == 1) ? 4.0 : 2.0;
                s += w * Math.Sin(k * x);
            }
            return s * h / 3.0;
            """,
            new ArrayDomain().Range("lo", -1, 0).Range("hi", 0.5, 2).Range("k", 0.5, 2).Fix("n", 20)),
        ArrayCase.Double(
            "TrapezoidOverSamples",
            "[NoGrad] double[] t, double[] f",
            """
            double area = 0;
            for (int i = 0; i + 1 < t.Length; i++)
            {
                area += 0.5 * (f[i] + f[i + 1]) * (t[i + 1] - t[i]);
            }
            return area * area;
            """,
            new ArrayDomain().Fix("t", Knots).Length("f", 5)),

        // ---------------- fitting losses ----------------
        ArrayCase.Double(
            "PolynomialFitLoss",
            "double[] c, [NoGrad] double[] xs, [NoGrad] double[] ys",
            """
            double loss = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double p = 0;
                for (int k = c.Length - 1; k >= 0; k--) p = p * xs[i] + c[k];
                double r = p - ys[i];
                loss += r * r;
            }
            return loss / xs.Length;
            """,
            new ArrayDomain().Length("c", 3).Fix("xs", Xs).Fix("ys", Ys)),
        ArrayCase.Double(
            "GaussNewtonExpModel",
            "double a, double b, [NoGrad] double[] t, [NoGrad] double[] y",
            """
            double sse = 0;
            for (int i = 0; i < t.Length; i++)
            {
                double model = a * Math.Exp(b * t[i]);
                double r = y[i] - model;
                sse += r * r;
            }
            return 0.5 * sse;
            """,
            new ArrayDomain(-1, 1).Fix("t", Xs).Fix("y", Ys)),
        ArrayCase.Double(
            "WeightedLeastSquaresLine",
            "double m, double q, [NoGrad] double[] xs, [NoGrad] double[] ys, [NoGrad] double[] wts",
            """
            double num = 0, den = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double e = m * xs[i] + q - ys[i];
                num += wts[i] * e * e;
                den += wts[i];
            }
            return num / den;
            """,
            new ArrayDomain().Fix("xs", Xs).Fix("ys", Ys).Fix("wts", new[] { 1.0, 0.5, 2.0, 1.0, 0.25, 1.5 })),
        ArrayCase.Double(
            "LogisticRegressionFlatX",
            "double[] w, double bias, [NoGrad] double[] X, int[] labels, int d",
            """
            double nll = 0;
            int n = labels.Length;
            for (int i = 0; i < n; i++)
            {
                double z = bias;
                for (int j = 0; j < d; j++) z += w[j] * X[i * d + j];
                double p = 1.0 / (1.0 + Math.Exp(-z));
                p = Math.Clamp(p, 1e-12, 1 - 1e-12);
                nll += labels[i] == 1 ? -Math.Log(p) : -Math.Log(1 - p);
            }
            return nll / n;
            """,
            new ArrayDomain().Length("w", 2).Length("X", 8).Fix("labels", new[] { 1, 0, 0, 1 }).Fix("d", 2)),

        // ---------------- splines and table lookup with an index search ----------------
        ArrayCase.Double(
            "LinearSplineWhileSearch",
            "double x, [NoGrad] double[] knots, double[] vals",
            """
            int n = knots.Length;
            int i = 0;
            while (i < n - 1 && x > knots[i + 1]) i++;
            if (i >= n - 1) i = n - 2;
            double t = (x - knots[i]) / (knots[i + 1] - knots[i]);
            return vals[i] * (1 - t) + vals[i + 1] * t;
            """,
            new ArrayDomain().Range("x", 0.05, 3.0).Fix("knots", Knots).Length("vals", 5)
                .Where(p => Knots.All(k => Math.Abs(p["x"] - k) > 0.03))),
        ArrayCase.Double(
            "CubicHermiteSplineSearch",
            "double x, [NoGrad] double[] knots, double[] y, double[] m",
            """
            int i = 0;
            while (i < knots.Length - 2 && x > knots[i + 1]) i++;
            double h = knots[i + 1] - knots[i];
            double t = (x - knots[i]) / h;
            double t2 = t * t;
            double t3 = t2 * t;
            double h00 = 2 * t3 - 3 * t2 + 1;
            double h10 = t3 - 2 * t2 + t;
            double h01 = -2 * t3 + 3 * t2;
            double h11 = t3 - t2;
            return h00 * y[i] + h10 * h * m[i] + h01 * y[i + 1] + h11 * h * m[i + 1];
            """,
            new ArrayDomain().Range("x", 0.05, 3.0).Fix("knots", Knots).Length("y", 5).Length("m", 5)
                .Where(p => Knots.All(k => Math.Abs(p["x"] - k) > 0.03))),
        ArrayCase.Double(
            "TableLookupForBreak",
            "double x, [NoGrad] double[] knots, double[] vals",
            """
            int seg = knots.Length - 2;
            for (int i = 0; i < knots.Length - 1; i++)
            {
                if (x < knots[i + 1])
                {
                    seg = i;
                    break;
                }
            }
            double w = (x - knots[seg]) / (knots[seg + 1] - knots[seg]);
            double v = vals[seg] + w * (vals[seg + 1] - vals[seg]);
            return v * v;
            """,
            new ArrayDomain().Range("x", 0.05, 3.0).Fix("knots", Knots).Length("vals", 5)
                .Where(p => Knots.All(k => Math.Abs(p["x"] - k) > 0.03))),

        // ---------------- smoothing and running statistics ----------------
        ArrayCase.Double(
            "MovingAverageLocalArray",
            "double[] x, int w",
            """
            int m = x.Length - w + 1;
            double[] ma = new double[m];
            for (int i = 0; i < m; i++)
            {
                double acc = 0;
                for (int j = 0; j < w; j++) acc += x[i + j];
                ma[i] = acc / w;
            }
            double s = 0;
            for (int i = 1; i < m; i++) s += (ma[i] - ma[i - 1]) * (ma[i] - ma[i - 1]);
            return s;
            """,
            new ArrayDomain().Length("x", 8).Fix("w", 3)),
        ArrayCase.Double(
            "ExponentialSmoothingForecastError",
            "double alpha, [NoGrad] double[] series",
            """
            double level = series[0];
            double err = 0;
            for (int t = 1; t < series.Length; t++)
            {
                double e = series[t] - level;
                err += e * e;
                level = alpha * series[t] + (1 - alpha) * level;
            }
            return err;
            """,
            new ArrayDomain().Range("alpha", 0.1, 0.9).Fix("series", Ys)),
        ArrayCase.Double(
            "HoltLinearTrend",
            "double alpha, double beta, [NoGrad] double[] y",
            """
            double level = y[0];
            double trend = y[1] - y[0];
            double sse = 0;
            for (int t = 1; t < y.Length; t++)
            {
                double forecast = level + trend;
                double e = y[t] - forecast;
                sse += e * e;
                double prevLevel = level;
                level = alpha * y[t] + (1 - alpha) * (level + trend);
                trend = beta * (level - prevLevel) + (1 - beta) * trend;
            }
            return sse;
            """,
            new ArrayDomain(0.1, 0.9).Fix("y", Ys)),
        ArrayCase.Double(
            "WelfordVariance",
            "double[] x",
            """
            double mean = 0;
            double m2 = 0;
            int count = 0;
            foreach (double v in x)
            {
                count++;
                double delta = v - mean;
                mean += delta / count;
                m2 += delta * (v - mean);
            }
            return m2 / (count - 1);
            """,
            new ArrayDomain().Length("x", 6)),
        ArrayCase.Double(
            "KahanSum",
            "double[] x",
            """
            double sum = 0;
            double c = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double y = x[i] * x[i] - c;
                double t = sum + y;
                c = (t - sum) - y;
                sum = t;
            }
            return sum;
            """,
            new ArrayDomain().Length("x", 7)),
        ArrayCase.Double(
            "CumulativeProductLocalArray",
            "double[] x",
            """
            double[] cp = new double[x.Length];
            cp[0] = x[0];
            for (int i = 1; i < x.Length; i++) cp[i] = cp[i - 1] * x[i];
            double s = 0;
            for (int i = 0; i < cp.Length; i++) s += cp[i];
            return s;
            """,
            new ArrayDomain(0.5, 1.5).Length("x", 6)),
        ArrayCase.Double(
            "CumulativeProductScalarCarried",
            "double[] x, double scale",
            """
            double prod = 1;
            double total = 0;
            for (int i = 0; i < x.Length; i++)
            {
                prod *= 1 + scale * x[i];
                total += prod;
            }
            return total;
            """,
            new ArrayDomain(-0.5, 0.5).Length("x", 6)),
        ArrayCase.Double(
            "MaxDrawdownPeakTracking",
            "double[] returns",
            """
            double value = 1;
            double peak = 1;
            double worst = 0;
            for (int i = 0; i < returns.Length; i++)
            {
                value *= 1 + returns[i];
                if (value > peak) peak = value;
                double dd = (peak - value) / peak;
                if (dd > worst) worst = dd;
            }
            return worst;
            """,
            new ArrayDomain(-0.3, 0.3).Length("returns", 6).Where(p =>
            {
                // away from every tie between value and peak, and between drawdowns
                double value = 1, peak = 1, worst = 0;
                var dds = new List<double>();
                foreach (var r in p.A("returns"))
                {
                    value *= 1 + r;
                    if (Math.Abs(value - peak) < 0.01) return false;
                    if (value > peak) peak = value;
                    double dd = (peak - value) / peak;
                    if (Math.Abs(dd - worst) < 0.01) return false;
                    if (dd > worst) worst = dd;
                }

                return worst > 0.01;
            })),

        // ---------------- reductions over spans ----------------
        ArrayCase.Double(
            "LogSumExpSpanTwoPass",
            "ReadOnlySpan<double> z",
            """
            double m = double.NegativeInfinity;
            foreach (double v in z) if (v > m) m = v;
            double s = 0;
            for (int i = 0; i < z.Length; i++) s += Math.Exp(z[i] - m);
            return m + Math.Log(s);
            """,
            new ArrayDomain(-3, 3).Length("z", 6).Where(Distinct("z"))),
        ArrayCase.Double(
            "SmoothMaxTemperature",
            "ReadOnlySpan<double> z, double temp",
            """
            double s = 0;
            for (int i = 0; i < z.Length; i++) s += Math.Exp(z[i] / temp);
            return temp * Math.Log(s);
            """,
            new ArrayDomain().Range("temp", 0.5, 2).Length("z", 5)),
        ArrayCase.Double(
            "CosineSimilarity",
            "double[] a, double[] b",
            """
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < a.Length; i++)
            {
                dot += a[i] * b[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
            return dot / (Math.Sqrt(na) * Math.Sqrt(nb) + 1e-12);
            """,
            new ArrayDomain().Length("a", 5).Length("b", 5)),
        ArrayCase.Double(
            "AutocorrelationLags",
            "double[] x, int maxLag",
            """
            double total = 0;
            for (int lag = 1; lag <= maxLag; lag++)
            {
                double r = 0;
                for (int i = 0; i + lag < x.Length; i++) r += x[i] * x[i + lag];
                total += r * r / lag;
            }
            return total;
            """,
            new ArrayDomain().Length("x", 7).Fix("maxLag", 3)),
        ArrayCase.Double(
            "PairwiseDistanceUpperTriangle",
            "double[] px, double[] py",
            """
            double e = 0;
            for (int i = 0; i < px.Length; i++)
            {
                for (int j = i + 1; j < px.Length; j++)
                {
                    double dx = px[i] - px[j];
                    double dy = py[i] - py[j];
                    e += 1.0 / Math.Sqrt(dx * dx + dy * dy + 0.1);
                }
            }
            return e;
            """,
            new ArrayDomain().Length("px", 4).Length("py", 4)),
        ArrayCase.Double(
            "LowerTriangularPackedMatVec",
            "double[] L, double[] v",
            """
            int n = v.Length;
            double s = 0;
            int k = 0;
            for (int i = 0; i < n; i++)
            {
                double row = 0;
                for (int j = 0; j <= i; j++)
                {
                    row += L[k] * v[j];
                    k++;
                }
                s += row * row;
            }
            return s;
            """,
            new ArrayDomain().Length("L", 10).Length("v", 4)),

        // ---------------- neural-network pieces ----------------
        ArrayCase.Double(
            "LayerNormLocalArray",
            "double[] x, double[] gamma, double[] beta, [NoGrad] double[] target",
            """
            int n = x.Length;
            double mean = 0;
            for (int i = 0; i < n; i++) mean += x[i];
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) var += (x[i] - mean) * (x[i] - mean);
            var /= n;
            double inv = 1.0 / Math.Sqrt(var + 1e-5);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) y[i] = (x[i] - mean) * inv * gamma[i] + beta[i];
            double loss = 0;
            for (int i = 0; i < n; i++) loss += (y[i] - target[i]) * (y[i] - target[i]);
            return loss;
            """,
            new ArrayDomain().Length("x", 5).Length("gamma", 5).Length("beta", 5).Fix("target", new[] { 0.5, -1.0, 0.25, 1.0, -0.5 })),
        ArrayCase.Double(
            "AttentionSoftmaxLocalArrays",
            "double[] q, double[] keys, double[] values, int n, int d",
            """
            double[] scores = new double[n];
            double scale = 1.0 / Math.Sqrt(d);
            double max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += q[j] * keys[i * d + j];
                scores[i] = dot * scale;
                max = Math.Max(max, scores[i]);
            }
            double z = 0;
            for (int i = 0; i < n; i++)
            {
                scores[i] = Math.Exp(scores[i] - max);
                z += scores[i];
            }
            double outv = 0;
            for (int i = 0; i < n; i++) outv += scores[i] / z * values[i];
            return outv;
            """,
            new ArrayDomain().Fix("n", 4).Fix("d", 3).Length("q", 3).Length("keys", 12).Length("values", 4).Where(p =>
            {
                var q = p.A("q");
                var k = p.A("keys");
                var s = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 3).Sum(j => q[j] * k[(i * 3) + j])).OrderByDescending(v => v).ToArray();
                return s[0] - s[1] > 0.05;
            })),
        ArrayCase.Double(
            "Conv1DValid",
            "double[] x, double[] kernel, double bias",
            """
            int outLen = x.Length - kernel.Length + 1;
            double[] y = new double[outLen];
            for (int i = 0; i < outLen; i++)
            {
                double acc = bias;
                for (int k = 0; k < kernel.Length; k++) acc += x[i + k] * kernel[k];
                y[i] = Math.Tanh(acc);
            }
            double s = 0;
            for (int i = 0; i < outLen; i++) s += y[i] * y[i] * (i + 1);
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 8).Length("kernel", 3)),
        ArrayCase.Double(
            "Conv1DSamePaddingBranches",
            "double[] x, double[] kernel",
            """
            int half = kernel.Length / 2;
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double acc = 0;
                for (int k = 0; k < kernel.Length; k++)
                {
                    int j = i + k - half;
                    if (j < 0 || j >= x.Length) continue;
                    acc += x[j] * kernel[k];
                }
                s += acc * acc;
            }
            return s;
            """,
            new ArrayDomain().Length("x", 6).Length("kernel", 3)),
        ArrayCase.Double(
            "TinyRnnUnrolled",
            "double w, double u, double b, [NoGrad] double[] xs, [NoGrad] double target",
            """
            double h = 0;
            for (int t = 0; t < xs.Length; t++) h = Math.Tanh(w * h + u * xs[t] + b);
            double e = h - target;
            return e * e;
            """,
            new ArrayDomain(-1, 1).Fix("xs", Xs).Fix("target", 0.3)),
        ArrayCase.Double(
            "RnnTwoUnitsLocalArrays",
            "double[] W, double[] U, [NoGrad] double[] xs",
            """
            double[] h = new double[2];
            double[] next = new double[2];
            double loss = 0;
            for (int t = 0; t < xs.Length; t++)
            {
                for (int i = 0; i < 2; i++)
                {
                    double a = U[i] * xs[t];
                    for (int j = 0; j < 2; j++) a += W[i * 2 + j] * h[j];
                    next[i] = Math.Tanh(a);
                }
                for (int i = 0; i < 2; i++) h[i] = next[i];
                loss += h[0] * h[1];
            }
            return loss;
            """,
            new ArrayDomain(-1, 1).Length("W", 4).Length("U", 2).Fix("xs", Xs)),
        ArrayCase.Float(
            "FloatMlpHiddenLocalArray",
            "float[] W1, float[] b1, float[] w2, [NoGrad] float[] x",
            """
            int hidden = b1.Length;
            float[] h = new float[hidden];
            for (int i = 0; i < hidden; i++)
            {
                float a = b1[i];
                for (int j = 0; j < x.Length; j++) a += W1[i * x.Length + j] * x[j];
                h[i] = MathF.Tanh(a);
            }
            float y = 0f;
            for (int i = 0; i < hidden; i++) y += w2[i] * h[i];
            return 0.5f * (y - 1f) * (y - 1f);
            """,
            new ArrayDomain(-1, 1).Length("W1", 6).Length("b1", 3).Length("w2", 3).Fix("x", new[] { 0.5f, -0.25f })),
        ArrayCase.Double(
            "SoftmaxCrossEntropyIntLabel",
            "double[] logits, int label",
            """
            double m = logits[0];
            for (int i = 1; i < logits.Length; i++) m = Math.Max(m, logits[i]);
            double sum = 0;
            for (int i = 0; i < logits.Length; i++) sum += Math.Exp(logits[i] - m);
            return -(logits[label] - m - Math.Log(sum));
            """,
            new ArrayDomain(-3, 3).Length("logits", 5).Fix("label", 2).Where(Distinct("logits"))),
        ArrayCase.Double(
            "EmbeddingGatherIntIndices",
            "double[] emb, double[] w, int[] tokens, int d",
            """
            double score = 0;
            for (int t = 0; t < tokens.Length; t++)
            {
                int row = tokens[t] * d;
                for (int j = 0; j < d; j++) score += emb[row + j] * w[j];
            }
            return Math.Tanh(score / tokens.Length);
            """,
            new ArrayDomain(-1, 1).Length("emb", 12).Length("w", 3).Fix("tokens", new[] { 2, 0, 2, 3 }).Fix("d", 3)),
        ArrayCase.Double(
            "ScatterAddIntoLocalBins",
            "double[] x, int[] bucket",
            """
            double[] sums = new double[3];
            double[] counts = new double[3];
            for (int i = 0; i < x.Length; i++)
            {
                sums[bucket[i]] += x[i];
                counts[bucket[i]] += 1;
            }
            double v = 0;
            for (int b = 0; b < 3; b++)
            {
                double mean = sums[b] / counts[b];
                v += mean * mean;
            }
            return v;
            """,
            new ArrayDomain().Length("x", 6).Fix("bucket", new[] { 2, 0, 1, 0, 2, 2 })),

        // ---------------- robust losses and regularisation ----------------
        ArrayCase.Double(
            "HuberLossArray",
            "double[] pred, [NoGrad] double[] target, double delta",
            """
            double loss = 0;
            for (int i = 0; i < pred.Length; i++)
            {
                double r = pred[i] - target[i];
                double a = Math.Abs(r);
                if (a <= delta) loss += 0.5 * r * r;
                else loss += delta * (a - 0.5 * delta);
            }
            return loss / pred.Length;
            """,
            new ArrayDomain().Range("delta", 0.5, 1).Length("pred", 6).Fix("target", new[] { 0.0, 0.5, -0.5, 1.0, -1.0, 0.25 }).Where(p =>
            {
                var pr = p.A("pred");
                var t = new[] { 0.0, 0.5, -0.5, 1.0, -1.0, 0.25 };
                return pr.Select((v, i) => Math.Abs(v - t[i])).All(a => a > 0.05 && Math.Abs(a - p["delta"]) > 0.05);
            })),
        ArrayCase.Double(
            "ElasticNetPenalty",
            "double[] w, [NoGrad] double[] x, [NoGrad] double y, double lambda1, double lambda2",
            """
            double pred = 0;
            for (int i = 0; i < w.Length; i++) pred += w[i] * x[i];
            double l1 = 0, l2 = 0;
            for (int i = 0; i < w.Length; i++)
            {
                l1 += Math.Abs(w[i]);
                l2 += w[i] * w[i];
            }
            return (pred - y) * (pred - y) + lambda1 * l1 + 0.5 * lambda2 * l2;
            """,
            new ArrayDomain().Length("w", 4).Fix("x", new[] { 1.0, -0.5, 0.25, 2.0 }).Fix("y", 0.7).Range("lambda1", 0, 1).Range("lambda2", 0, 1)
                .Where(AwayFrom(0, 0.05, "w"))),
        ArrayCase.Double(
            "HingeLossWithMargin",
            "double[] w, [NoGrad] double[] X, [NoGrad] double[] y",
            """
            int d = w.Length;
            int n = y.Length;
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += w[j] * X[i * d + j];
                double margin = 1 - y[i] * s;
                if (margin > 0) loss += margin;
            }
            return loss + 0.01 * w[0] * w[0];
            """,
            new ArrayDomain().Length("w", 2).Fix("X", new[] { 1.0, 0.5, -0.5, 1.0, 0.25, -1.0, -1.0, -0.25 }).Fix("y", new[] { 1.0, -1.0, 1.0, -1.0 })
                .Where(p =>
                {
                    var w = p.A("w");
                    var X = new[] { 1.0, 0.5, -0.5, 1.0, 0.25, -1.0, -1.0, -0.25 };
                    var y = new[] { 1.0, -1.0, 1.0, -1.0 };
                    return Enumerable.Range(0, 4).All(i => Math.Abs(1 - (y[i] * ((w[0] * X[i * 2]) + (w[1] * X[(i * 2) + 1])))) > 0.05);
                })),
        ArrayCase.Double(
            "BinaryCrossEntropyClampInLoop",
            "double[] p, [NoGrad] double[] y",
            """
            double loss = 0;
            for (int i = 0; i < p.Length; i++)
            {
                double q = Math.Clamp(p[i], 1e-7, 1 - 1e-7);
                loss -= y[i] * Math.Log(q) + (1 - y[i]) * Math.Log(1 - q);
            }
            return loss;
            """,
            new ArrayDomain(0.05, 0.95).Length("p", 4).Fix("y", new[] { 1.0, 0.0, 1.0, 0.0 })),

        // ---------------- max/min tracking with indices ----------------
        ArrayCase.Double(
            "ArgMinAndMinTracking",
            "double[] x, double y",
            """
            double best = x[0];
            int bestIndex = 0;
            for (int i = 1; i < x.Length; i++)
            {
                if (x[i] < best)
                {
                    best = x[i];
                    bestIndex = i;
                }
            }
            return best * y + bestIndex * y * y;
            """,
            new ArrayDomain().Length("x", 6).Where(Distinct("x"))),
        ArrayCase.Double(
            "TopTwoTracking",
            "double[] x",
            """
            double first = double.NegativeInfinity;
            double second = double.NegativeInfinity;
            foreach (double v in x)
            {
                if (v > first)
                {
                    second = first;
                    first = v;
                }
                else if (v > second)
                {
                    second = v;
                }
            }
            return first * 2 + second * second;
            """,
            new ArrayDomain().Length("x", 6).Where(Distinct("x"))),
        ArrayCase.Double(
            "RangeMaxMinusMin",
            "double[] x",
            """
            double lo = double.MaxValue, hi = double.MinValue;
            for (int i = 0; i < x.Length; i++)
            {
                lo = Math.Min(lo, x[i]);
                hi = Math.Max(hi, x[i]);
            }
            return (hi - lo) * (hi + lo);
            """,
            new ArrayDomain().Length("x", 5).Where(Distinct("x"))),

        // ---------------- early exit on convergence ----------------
        ArrayCase.Double(
            "NewtonSqrtBreakConverged",
            "double a",
            """
            double x = a;
            for (int it = 0; it < 100; it++)
            {
                double next = 0.5 * (x + a / x);
                double delta = next - x;
                x = next;
                if (Math.Abs(delta) < 1e-9) break;
            }
            return x;
            """,
            new ArrayDomain(0.5, 4)),
        ArrayCase.Double(
            "FixedPointCosWhileConverged",
            "double k",
            """
            double x = 0.5;
            double delta = 1;
            int it = 0;
            while (Math.Abs(delta) > 1e-12 && it < 500)
            {
                double next = Math.Cos(k * x);
                delta = next - x;
                x = next;
                it++;
            }
            return x;
            """,
            new ArrayDomain(0.3, 0.9), 1e-5),
        ArrayCase.Double(
            "GradientDescentUnrolled",
            "double a, double lr, int steps",
            """
            double x = 0;
            for (int s = 0; s < steps; s++)
            {
                double g = 2 * (x - a) + 0.1 * Math.Sin(x);
                x -= lr * g;
            }
            return x * x;
            """,
            new ArrayDomain().Range("lr", 0.05, 0.2).Fix("steps", 50)),
        ArrayCase.Double(
            "SeriesUntilTermSmall",
            "double x",
            """
            double term = 1;
            double sum = 1;
            int n = 1;
            do
            {
                term *= x / n;
                sum += term;
                n++;
            }
            while (Math.Abs(term) > 1e-15 && n < 200);
            return sum;
            """,
            new ArrayDomain(-2, 2)),

        // ---------------- continue to skip invalid entries ----------------
        ArrayCase.Double(
            "ContinueSkipsNaN",
            "double[] w, [NoGrad] double[] x",
            """
            double s = 0;
            int used = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (double.IsNaN(x[i])) continue;
                s += w[i] * x[i] * x[i];
                used++;
            }
            return s / used;
            """,
            new ArrayDomain().Length("w", 6).Fix("x", new[] { 0.5, double.NaN, -1.25, 2.0, double.NaN, 0.75 })),
        ArrayCase.Double(
            "ContinueSkipsNonPositiveLogs",
            "double[] x, double k",
            """
            double s = 0;
            foreach (double v in x)
            {
                if (v <= 0) continue;
                s += Math.Log(v) * k;
            }
            return s * s;
            """,
            new ArrayDomain().Length("x", 6).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "ContinueWithMaskArray",
            "double[] x, [NoGrad] int[] mask",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (mask[i] == 0)
                {
                    continue;
                }
                double v = x[i] * x[i];
                s += v * v;
            }
            return Math.Sqrt(s + 1);
            """,
            new ArrayDomain().Length("x", 5).Fix("mask", new[] { 1, 0, 1, 1, 0 })),

        // ---------------- loop shapes ----------------
        ArrayCase.Double(
            "ClenshawCountDown",
            "double[] c, double x",
            """
            double b1 = 0, b2 = 0;
            for (int k = c.Length - 1; k >= 1; k--)
            {
                double b0 = c[k] + 2 * x * b1 - b2;
                b2 = b1;
                b1 = b0;
            }
            return c[0] + x * b1 - b2;
            """,
            new ArrayDomain(-1, 1).Length("c", 6)),
        ArrayCase.Double(
            "DiscountedReturnCountDown",
            "[NoGrad] double[] rewards, double gamma",
            """
            double g = 0;
            int t = rewards.Length;
            while (t > 0)
            {
                t--;
                g = rewards[t] + gamma * g;
            }
            return g;
            """,
            new ArrayDomain().Fix("rewards", Ys).Range("gamma", 0.5, 0.99)),
        ArrayCase.Double(
            "GaeAdvantagesLocalArray",
            "double[] values, [NoGrad] double[] rewards, double gamma, double lambda",
            """
            int n = rewards.Length;
            double[] adv = new double[n];
            double last = 0;
            for (int t = n - 1; t >= 0; t--)
            {
                double nextValue = t + 1 < n ? values[t + 1] : 0.0;
                double delta = rewards[t] + gamma * nextValue - values[t];
                last = delta + gamma * lambda * last;
                adv[t] = last;
            }
            double loss = 0;
            for (int t = 0; t < n; t++) loss += adv[t] * adv[t];
            return loss;
            """,
            new ArrayDomain().Length("values", 6).Fix("rewards", Ys).Range("gamma", 0.8, 0.99).Range("lambda", 0.8, 0.99)),
        ArrayCase.Double(
            "StepThreeTriples",
            "double[] xyz",
            """
            double s = 0;
            for (int i = 0; i + 2 < xyz.Length; i += 3)
            {
                s += Math.Sqrt(xyz[i] * xyz[i] + xyz[i + 1] * xyz[i + 1] + xyz[i + 2] * xyz[i + 2] + 1e-3);
            }
            return s;
            """,
            new ArrayDomain().Length("xyz", 9)),
        ArrayCase.Double(
            "TwoCountersMeetInMiddle",
            "double[] x",
            """
            double s = 0;
            for (int i = 0, j = x.Length - 1; i < j; i++, j--)
            {
                s += x[i] * x[j];
            }
            return s;
            """,
            new ArrayDomain().Length("x", 7)),
        ArrayCase.Double(
            "ForeverLoopWithBreak",
            "double[] x, double decay",
            """
            double s = 0;
            int i = 0;
            for (;;)
            {
                if (i >= x.Length) break;
                s = s * decay + x[i];
                i++;
            }
            return s * s;
            """,
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "WhileCompoundConditionBudget",
            "double[] costs, double budget",
            """
            double spent = 0;
            double value = 0;
            int i = 0;
            while (i < costs.Length && spent + costs[i] * costs[i] < budget)
            {
                spent += costs[i] * costs[i];
                value += Math.Sqrt(costs[i] * costs[i] + 1) * budget;
                i++;
            }
            return value + spent;
            """,
            new ArrayDomain(-1, 1).Length("costs", 6).Range("budget", 0.5, 3).Where(p =>
            {
                double spent = 0;
                foreach (var c in p.A("costs"))
                {
                    if (Math.Abs(spent + (c * c) - p["budget"]) < 0.05) return false;
                    if (spent + (c * c) >= p["budget"]) break;
                    spent += c * c;
                }

                return true;
            })),
        ArrayCase.Double(
            "WhileOrCondition",
            "double[] x",
            """
            double s = 0;
            int i = 0;
            while (i < 2 || (i < x.Length && s < 3))
            {
                s += x[i] * x[i];
                i++;
            }
            return s;
            """,
            new ArrayDomain().Length("x", 6).Where(p =>
            {
                double s = 0;
                var x = p.A("x");
                for (int i = 0; i < x.Length; i++)
                {
                    if (i >= 2 && Math.Abs(s - 3) < 0.05) return false;
                    if (i >= 2 && s >= 3) break;
                    s += x[i] * x[i];
                }

                return true;
            })),
        ArrayCase.Double(
            "DoLoopOverPairs",
            "double[] x",
            """
            int i = 0;
            double acc = 0;
            do
            {
                acc += Math.Sin(x[i]) * Math.Cos(x[i + 1]);
                i += 2;
            }
            while (i + 1 < x.Length);
            return acc;
            """,
            new ArrayDomain().Length("x", 6)),
        ArrayCase.Double(
            "NestedTriangularCountDown",
            "double[] x",
            """
            double s = 0;
            for (int i = x.Length - 1; i >= 0; i--)
            {
                for (int j = i; j >= 0; j--)
                {
                    s += x[i] * x[j] / (1 + i - j);
                }
            }
            return s;
            """,
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "NestedWhileInnerBreak",
            "double[] x, double limit",
            """
            double total = 0;
            int i = 0;
            while (i < x.Length)
            {
                double run = 0;
                int j = i;
                while (j < x.Length)
                {
                    run += x[j] * x[j];
                    if (run > limit) break;
                    j++;
                }
                total += run;
                i += 2;
            }
            return total;
            """,
            new ArrayDomain(-1, 1).Length("x", 6).Range("limit", 0.5, 1.5).Where(p =>
            {
                var x = p.A("x");
                for (int i = 0; i < x.Length; i += 2)
                {
                    double run = 0;
                    for (int j = i; j < x.Length; j++)
                    {
                        run += x[j] * x[j];
                        if (Math.Abs(run - p["limit"]) < 0.05) return false;
                        if (run > p["limit"]) break;
                    }
                }

                return true;
            })),
        ArrayCase.Double(
            "CounterDeclaredOutsideReusedTwice",
            "double[] a, double[] b",
            """
            int i;
            double s = 0;
            for (i = 0; i < a.Length; i++) s += a[i];
            double t = 0;
            for (i = 0; i < b.Length; i++) t += b[i] * s;
            return t * i;
            """,
            new ArrayDomain().Length("a", 3).Length("b", 4)),
        ArrayCase.Double(
            "LongCounterLoop",
            "double[] x, long n",
            """
            double s = 0;
            for (long k = 0; k < n; k++) s += x[(int)(k % x.Length)] * (k + 1);
            return s * s;
            """,
            new ArrayDomain().Length("x", 3).Fix("n", 7L)),

        // ---------------- local arrays rewritten in several passes ----------------
        ArrayCase.Double(
            "LocalArrayNormalizeInPlacePasses",
            "double[] x",
            """
            double[] a = new double[x.Length];
            for (int i = 0; i < a.Length; i++) a[i] = x[i] * x[i] + 0.1;
            for (int i = 1; i < a.Length; i++) a[i] += a[i - 1];
            double total = a[a.Length - 1];
            for (int i = 0; i < a.Length; i++) a[i] /= total;
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += a[i] * (i + 1);
            return s;
            """,
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "JacobiSmoothingPasses",
            "double[] x, int sweeps",
            """
            int n = x.Length;
            double[] u = new double[n];
            double[] tmp = new double[n];
            for (int i = 0; i < n; i++) u[i] = x[i];
            for (int s = 0; s < sweeps; s++)
            {
                for (int i = 1; i < n - 1; i++) tmp[i] = 0.25 * u[i - 1] + 0.5 * u[i] + 0.25 * u[i + 1] + 0.1 * u[i] * u[i];
                for (int i = 1; i < n - 1; i++) u[i] = tmp[i];
            }
            double e = 0;
            for (int i = 0; i < n; i++) e += u[i] * u[i];
            return e;
            """,
            new ArrayDomain(-1, 1).Length("x", 6).Fix("sweeps", 4)),
        ArrayCase.Double(
            "SoftmaxInPlaceLocalArray",
            "double[] z, [NoGrad] double[] target",
            """
            double[] p = new double[z.Length];
            for (int i = 0; i < z.Length; i++) p[i] = z[i];
            double m = p[0];
            for (int i = 1; i < p.Length; i++) if (p[i] > m) m = p[i];
            double sum = 0;
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = Math.Exp(p[i] - m);
                sum += p[i];
            }
            for (int i = 0; i < p.Length; i++) p[i] /= sum;
            double loss = 0;
            for (int i = 0; i < p.Length; i++) loss += (p[i] - target[i]) * (p[i] - target[i]);
            return loss;
            """,
            new ArrayDomain().Length("z", 4).Fix("target", new[] { 0.1, 0.2, 0.3, 0.4 }).Where(Distinct("z"))),
        ArrayCase.Double(
            "StackallocFiniteDifferenceStencil",
            "double[] u, double dx",
            """
            Span<double> lap = stackalloc double[u.Length];
            for (int i = 1; i < u.Length - 1; i++) lap[i] = (u[i - 1] - 2 * u[i] + u[i + 1]) / (dx * dx);
            double e = 0;
            for (int i = 1; i < u.Length - 1; i++) e += lap[i] * lap[i] * dx;
            return e;
            """,
            new ArrayDomain().Length("u", 6).Range("dx", 0.5, 1.5)),
        ArrayCase.Double(
            "LocalArrayConditionalRewrite",
            "double[] x, double threshold",
            """
            double[] v = new double[x.Length];
            for (int i = 0; i < x.Length; i++) v[i] = x[i] * 2;
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] > threshold) v[i] = threshold + Math.Log(1 + v[i] - threshold);
            }
            for (int i = 0; i < v.Length; i++)
            {
                if (i % 2 == 1) v[i] = v[i] * v[i - 1];
            }
            double s = 0;
            foreach (double t in v) s += t;
            return s;
            """,
            new ArrayDomain().Length("x", 6).Where(p => p.A("x").All(v => Math.Abs((2 * v) - p["threshold"]) > 0.05))),

        // ---------------- loops inside branches, early returns before loops ----------------
        ArrayCase.Double(
            "LoopsInIfElseByFlag",
            "double[] x, double y, bool useL1",
            """
            double s = 0;
            if (useL1)
            {
                for (int i = 0; i < x.Length; i++) s += Math.Abs(x[i] - y);
            }
            else
            {
                for (int i = 0; i < x.Length; i++) s += (x[i] - y) * (x[i] - y);
            }
            return s;
            """,
            new ArrayDomain().Length("x", 5).Fix("useL1", true).Where(p => p.A("x").All(v => Math.Abs(v - p["y"]) > 0.05))),
        ArrayCase.Double(
            "LoopsInIfElseByFlagL2",
            "double[] x, double y, bool useL1",
            """
            double s = 0;
            if (useL1)
            {
                for (int i = 0; i < x.Length; i++) s += Math.Abs(x[i] - y);
            }
            else
            {
                for (int i = 0; i < x.Length; i++) s += (x[i] - y) * (x[i] - y);
            }
            return s;
            """,
            new ArrayDomain().Length("x", 5).Fix("useL1", false)),
        ArrayCase.Double(
            "EarlyReturnOnEmptyBeforeLoop",
            "double[] x, double bias",
            """
            if (x.Length == 0) return bias * bias;
            double s = bias;
            for (int i = 0; i < x.Length; i++) s += x[i] * bias;
            return s;
            """,
            new ArrayDomain().Length("x", 0)),
        ArrayCase.Double(
            "EarlyReturnOnEmptyNonEmpty",
            "double[] x, double bias",
            """
            if (x.Length == 0) return bias * bias;
            double s = bias;
            for (int i = 0; i < x.Length; i++) s += x[i] * bias;
            return s;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "EarlyReturnOnValueBeforeTwoLoops",
            "double[] x, double y",
            """
            if (y > 1.5) return y;
            if (y < -1.5)
            {
                return -y * x[0];
            }
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += x[i] * y;
            double p = 1;
            for (int i = 0; i < x.Length; i++) p *= 1 + 0.1 * x[i] * s;
            return p;
            """,
            new ArrayDomain(-2, 2).Length("x", 4).Where(p => Math.Abs(Math.Abs(p["y"]) - 1.5) > 0.05)),

        // ---------------- very long loops and empty arrays ----------------
        ArrayCase.Double(
            "EulerOdeTenThousandSteps",
            "double k, double y0",
            """
            double y = y0;
            double dt = 1e-4;
            for (int i = 0; i < 10_000; i++)
            {
                double t = i * dt;
                y += dt * (-k * y + Math.Sin(3 * t));
            }
            return y * y;
            """,
            new ArrayDomain(0.5, 2)),
        ArrayCase.Double(
            "ThreeThousandElementsWithBranch",
            "double[] x, double a",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i] * a;
                if (v > 0) s += v * v;
                else s += Math.Exp(v) - 1;
            }
            return s / x.Length;
            """,
            new ArrayDomain(0.5, 1.5).Length("x", 3000).Range("a", 0.5, 1.5), 1e-5),
        ArrayCase.Double(
            "EmptyArrayWithLocalArray",
            "double[] x, double b",
            """
            double[] t = new double[x.Length];
            for (int i = 0; i < x.Length; i++) t[i] = x[i] * b;
            double s = b;
            for (int i = 0; i < t.Length; i++) s += t[i] * t[i];
            return s * b;
            """,
            new ArrayDomain().Length("x", 0)),
        ArrayCase.Double(
            "EmptySpanForeachNested",
            "ReadOnlySpan<double> x, double[] y",
            """
            double s = 1;
            foreach (double a in x)
                for (int j = 0; j < y.Length; j++)
                    s += a * y[j];
            for (int j = 0; j < y.Length; j++) s *= 1 + 0.1 * y[j];
            return s;
            """,
            new ArrayDomain().Length("x", 0).Length("y", 3)),

        // ---------------- float with MathF, mixed scalars/arrays/spans ----------------
        ArrayCase.Float(
            "FloatSoftplusSumMathF",
            "float[] x, float beta",
            """
            float s = 0f;
            for (int i = 0; i < x.Length; i++) s += MathF.Log(1f + MathF.Exp(beta * x[i])) / beta;
            return s;
            """,
            new ArrayDomain().Length("x", 5).Range("beta", 0.5, 2)),
        ArrayCase.Float(
            "FloatLayerNormSpan",
            "ReadOnlySpan<float> x, float g",
            """
            float mean = 0f;
            for (int i = 0; i < x.Length; i++) mean += x[i];
            mean /= x.Length;
            float var = 0f;
            foreach (float v in x) var += (v - mean) * (v - mean);
            var /= x.Length;
            float s = 0f;
            for (int i = 0; i < x.Length; i++)
            {
                float z = (x[i] - mean) / MathF.Sqrt(var + 1e-3f) * g;
                s += z * z * z;
            }
            return s;
            """,
            new ArrayDomain().Length("x", 5), 5e-2),
        ArrayCase.Float(
            "FloatCosineWithStackalloc",
            "float[] a, float[] b",
            """
            Span<float> prod = stackalloc float[a.Length];
            for (int i = 0; i < a.Length; i++) prod[i] = a[i] * b[i];
            float dot = 0f, na = 0f, nb = 0f;
            for (int i = 0; i < a.Length; i++)
            {
                dot += prod[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
            return dot / MathF.Sqrt(na * nb);
            """,
            new ArrayDomain(0.2, 2).Length("a", 4).Length("b", 4)),
        ArrayCase.Double(
            "MixedSpanArrayScalarIntParams",
            "ReadOnlySpan<double> a, double[] w, double s, int stride, [NoGrad] ReadOnlySpan<double> bias",
            """
            double acc = 0;
            for (int i = 0; i < w.Length; i++)
            {
                int j = (i * stride) % a.Length;
                acc += w[i] * a[j] * s + bias[i];
            }
            return acc * acc / (1 + s * s);
            """,
            new ArrayDomain().Length("a", 5).Length("w", 4).Fix("stride", 2).Length("bias", 4)),
        ArrayCase.Double(
            "DoubleMethodFloatSpanMixed",
            "ReadOnlySpan<float> x, double w",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                float f = x[i] * 2f;
                s += Math.Sin(f * w);
            }
            return s;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "ParameterReassignedAcrossLoops",
            "double[] x, double y",
            """
            for (int i = 0; i < x.Length; i++) y += x[i] * 0.5;
            y *= y;
            for (int i = 0; i < x.Length; i++) y -= x[i] * x[i] * 0.1;
            return y;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "SpringChainEnergy",
            "double[] pos, double k, double rest",
            """
            double e = 0;
            for (int i = 1; i < pos.Length; i++)
            {
                double stretch = pos[i] - pos[i - 1] - rest;
                e += 0.5 * k * stretch * stretch;
            }
            return e;
            """,
            new ArrayDomain().Length("pos", 5)),
        ArrayCase.Double(
            "ContinuedFractionCountDown",
            "double[] a, double x",
            """
            double f = a[a.Length - 1];
            for (int i = a.Length - 2; i >= 0; i--) f = a[i] + x / f;
            return f;
            """,
            new ArrayDomain(1, 2).Length("a", 5)),
        ArrayCase.Double(
            "PolynomialAndDerivativeHorner",
            "double[] c, double x",
            """
            double p = 0;
            double dp = 0;
            foreach (double ci in c)
            {
                dp = dp * x + p;
                p = p * x + ci;
            }
            return p * p + dp;
            """,
            new ArrayDomain(-1, 1).Length("c", 5)),

        // ---------------- counters that do not move by a constant step ----------------
        ArrayCase.Double(
            "DataDependentStride",
            "double[] x",
            """
            double s = 0;
            int i = 0;
            while (i < x.Length)
            {
                s += x[i] * x[i] * (i + 1);
                if (x[i] > 0) i += 2;
                else i++;
            }
            return s;
            """,
            new ArrayDomain().Length("x", 8).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "StrideFromParameter",
            "double[] x, int start, int step",
            """
            double s = 0;
            for (int i = start; i < x.Length; i += step) s += Math.Sin(x[i]) * i;
            return s * s;
            """,
            new ArrayDomain().Length("x", 10).Fix("start", 1).Fix("step", 3)),
        ArrayCase.Double(
            "DoublingIndex",
            "double[] x",
            """
            double s = 0;
            for (int i = 1; i < x.Length; i *= 2) s = s * 0.5 + x[i] * x[i - 1];
            return s;
            """,
            new ArrayDomain().Length("x", 9)),
        ArrayCase.Double(
            "HalvingIndexWhile",
            "double[] x",
            """
            double s = 1;
            int i = x.Length - 1;
            while (i > 0)
            {
                s *= 1 + 0.5 * x[i];
                i /= 2;
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 9)),
        ArrayCase.Double(
            "LinkedListTraversal",
            "double[] val, int[] next, int head",
            """
            double s = 0;
            int cur = head;
            int steps = 0;
            while (cur >= 0 && steps < 10)
            {
                s = s * 0.9 + val[cur] * val[cur];
                cur = next[cur];
                steps++;
            }
            return s;
            """,
            new ArrayDomain().Length("val", 5).Fix("next", new[] { 3, -1, 0, 4, 1 }).Fix("head", 2)),
        ArrayCase.Double(
            "PermutationWalkModulo",
            "double[] x",
            """
            double s = 0;
            int idx = 0;
            for (int k = 0; k < x.Length; k++)
            {
                s += x[idx] * (k + 1);
                idx = (idx * 3 + 1) % x.Length;
            }
            return s * s;
            """,
            new ArrayDomain().Length("x", 7)),
        ArrayCase.Double(
            "CountPositivesCarriedInt",
            "double[] x, double y",
            """
            int count = 0;
            double lastPositive = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] * y > 0)
                {
                    count++;
                    lastPositive = x[i];
                }
            }
            return count * y + lastPositive * lastPositive;
            """,
            new ArrayDomain().Length("x", 6).Where(AwayFrom(0, 0.05, "x")).Where(p => Math.Abs(p["y"]) > 0.05)),

        // ---------------- continue and break in every loop form ----------------
        ArrayCase.Double(
            "ContinueInDoWhile",
            "double[] x",
            """
            double s = 0;
            int i = 0;
            do
            {
                double v = x[i];
                i++;
                if (v < 0) continue;
                s += v * v * i;
            }
            while (i < x.Length);
            return s;
            """,
            new ArrayDomain().Length("x", 6).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "ContinueInWhileIncrementFirst",
            "double[] x, double y",
            """
            double s = y;
            int i = -1;
            while (i < x.Length - 1)
            {
                i++;
                if (i % 3 == 1) continue;
                s = s * x[i] + y;
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 7)),
        ArrayCase.Double(
            "BreakFromInnerThenUseInnerCounter",
            "double[] x, double limit",
            """
            double total = 0;
            for (int i = 0; i < 3; i++)
            {
                int j;
                double run = 0;
                for (j = 0; j < x.Length; j++)
                {
                    run += x[j] * x[j] * (i + 1);
                    if (run > limit) break;
                }
                total += run * j;
            }
            return total;
            """,
            new ArrayDomain(-1, 1).Length("x", 5).Range("limit", 0.5, 2.5).Where(p =>
            {
                var x = p.A("x");
                for (int i = 0; i < 3; i++)
                {
                    double run = 0;
                    foreach (var v in x)
                    {
                        run += v * v * (i + 1);
                        if (Math.Abs(run - p["limit"]) < 0.05) return false;
                        if (run > p["limit"]) break;
                    }
                }

                return true;
            })),
        ArrayCase.Double(
            "TwoBreaksAndContinue",
            "double[] x, double cap",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] < -1.5) break;
                if (x[i] < 0) continue;
                s += x[i];
                if (s > cap) break;
                s *= 1.1;
            }
            return s * cap;
            """,
            new ArrayDomain().Length("x", 8).Range("cap", 1, 3).Where(AwayFrom(0, 0.05, "x")).Where(AwayFrom(-1.5, 0.05, "x")).Where(p =>
            {
                double s = 0;
                foreach (var v in p.A("x"))
                {
                    if (v < -1.5) break;
                    if (v < 0) continue;
                    s += v;
                    if (Math.Abs(s - p["cap"]) < 0.05) return false;
                    if (s > p["cap"]) break;
                    s *= 1.1;
                }

                return true;
            })),
        ArrayCase.Double(
            "ForeachLocalArrayWithBreak",
            "double[] x",
            """
            double[] sq = new double[x.Length];
            for (int i = 0; i < x.Length; i++) sq[i] = x[i] * x[i];
            double s = 0;
            foreach (double v in sq)
            {
                if (v > 2) break;
                s += Math.Sqrt(v + 1);
            }
            return s;
            """,
            new ArrayDomain().Length("x", 6).Where(p => p.A("x").All(v => Math.Abs((v * v) - 2) > 0.05))),
        ArrayCase.Double(
            "InnerWhileOnDifferentiableValue",
            "double[] x, double step",
            """
            double total = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i];
                int k = 0;
                while (v < 2 && k < 20)
                {
                    v += step * (1 + 0.1 * v * v);
                    k++;
                }
                total += v * (k + 1);
            }
            return total;
            """,
            new ArrayDomain(-1, 1).Length("x", 4).Range("step", 0.3, 0.7).Where(p =>
            {
                foreach (var x in p.A("x"))
                {
                    double v = x;
                    for (int k = 0; k < 20; k++)
                    {
                        if (Math.Abs(v - 2) < 0.02) return false;
                        if (v >= 2) break;
                        v += p["step"] * (1 + (0.1 * v * v));
                    }
                }

                return true;
            })),

        // ---------------- local arrays: swaps, sorting, max pooling ----------------
        ArrayCase.Double(
            "BubbleSortOrderedWeightedAverage",
            "double[] x, [NoGrad] double[] weights",
            """
            int n = x.Length;
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = x[i];
            for (int pass = 0; pass < n - 1; pass++)
            {
                for (int j = 0; j < n - 1 - pass; j++)
                {
                    if (a[j] > a[j + 1])
                    {
                        double tmp = a[j];
                        a[j] = a[j + 1];
                        a[j + 1] = tmp;
                    }
                }
            }
            double s = 0;
            for (int i = 0; i < n; i++) s += weights[i] * a[i] * a[i];
            return s;
            """,
            new ArrayDomain().Length("x", 5).Fix("weights", new[] { 0.1, 0.2, 0.3, 0.4, 0.5 }).Where(Distinct("x"))),
        ArrayCase.Double(
            "InsertionSortMedian",
            "double[] x",
            """
            int n = x.Length;
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = x[i];
            for (int i = 1; i < n; i++)
            {
                double key = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > key)
                {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = key;
            }
            return a[n / 2] * a[n / 2] + a[0];
            """,
            new ArrayDomain().Length("x", 5).Where(Distinct("x"))),
        ArrayCase.Double(
            "MaxPool1DIntoLocalArray",
            "double[] x, int pool",
            """
            int m = x.Length / pool;
            double[] pooled = new double[m];
            for (int i = 0; i < m; i++)
            {
                pooled[i] = x[i * pool];
                for (int k = 1; k < pool; k++) pooled[i] = Math.Max(pooled[i], x[i * pool + k]);
            }
            double s = 0;
            for (int i = 0; i < m; i++) s += pooled[i] * (i + 1);
            return s * s;
            """,
            new ArrayDomain().Length("x", 8).Fix("pool", 2).Where(p =>
            {
                var x = p.A("x");
                for (int i = 0; i < 8; i += 2) if (Math.Abs(x[i] - x[i + 1]) < 0.05) return false;
                return true;
            })),
        ArrayCase.Double(
            "LocalArrayElementIncrementDecrement",
            "double[] x",
            """
            double[] a = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                a[i] = x[i];
                a[i]++;
                a[i] *= a[i];
                a[i]--;
            }
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += a[i];
            return s;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "LocalArrayElementCompoundOps",
            "double[] x",
            """
            double[] a = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                a[i] = x[i];
                a[i] += 1;
                a[i] *= a[i];
                a[i] -= 1;
                a[i] /= 1 + x[i] * x[i];
            }
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += a[i];
            return s;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "LocalArrayModularWriteIndex",
            "double[] x",
            """
            int n = x.Length;
            double[] r = new double[n];
            for (int i = 0; i < n; i++) r[(i + 1) % n] += x[i] * x[i];
            for (int i = 0; i < n; i++) r[(i + 2) % n] -= 0.5 * r[i] * x[i];
            double s = 0;
            for (int i = 0; i < n; i++) s += r[i] * r[i];
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 5)),
        ArrayCase.Double(
            "LocalArrayReadInCondition",
            "double[] x, double y",
            """
            double[] a = new double[x.Length];
            for (int i = 0; i < x.Length; i++) a[i] = x[i] + y;
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] > 0) a[i] = a[i] * a[i];
                else a[i] = 0.1 * a[i];
                s += a[i];
            }
            return s + a[0] * a[a.Length - 1];
            """,
            new ArrayDomain().Length("x", 5).Where(p => p.A("x").All(v => Math.Abs(v + p["y"]) > 0.05))),
        ArrayCase.Double(
            "PowerIterationLocalVectors",
            "double[] A, int n, int iters",
            """
            double[] v = new double[n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) v[i] = 1.0 / Math.Sqrt(n);
            double lambda = 0;
            for (int it = 0; it < iters; it++)
            {
                for (int i = 0; i < n; i++)
                {
                    w[i] = 0;
                    for (int j = 0; j < n; j++) w[i] += A[i * n + j] * v[j];
                }
                double norm = 0;
                for (int i = 0; i < n; i++) norm += w[i] * w[i];
                norm = Math.Sqrt(norm);
                lambda = 0;
                for (int i = 0; i < n; i++)
                {
                    lambda += v[i] * w[i];
                    v[i] = w[i] / norm;
                }
            }
            return lambda;
            """,
            new ArrayDomain(0.2, 1).Length("A", 9).Fix("n", 3).Fix("iters", 5)),
        ArrayCase.Double(
            "MatrixPowerIntoLocalFlatArray",
            "double[] M, int n",
            """
            double[] P = new double[n * n];
            double[] Q = new double[n * n];
            for (int i = 0; i < n * n; i++) P[i] = M[i];
            for (int step = 0; step < 2; step++)
            {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double acc = 0;
                        for (int k = 0; k < n; k++) acc += P[i * n + k] * M[k * n + j];
                        Q[i * n + j] = acc;
                    }
                for (int i = 0; i < n * n; i++) P[i] = Q[i];
            }
            double tr = 0;
            for (int i = 0; i < n; i++) tr += P[i * n + i];
            return tr;
            """,
            new ArrayDomain(-1, 1).Length("M", 4).Fix("n", 2)),

        // ---------------- names users pick that the generator also uses ----------------
        ArrayCase.Double(
            "LocalsNamedLikeGeneratedCode",
            "double[] x, double t0",
            """
            double result = 0;
            int iterations = 0;
            double t1 = t0;
            double s_1 = 1;
            for (int i = 0; i < x.Length; i++)
            {
                double t2 = x[i] * t1;
                result += t2 * s_1;
                s_1 *= 0.5;
                iterations++;
            }
            return result * iterations + t1;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "LocalsNamedLikeTapesAndFlags",
            "double[] x, double y",
            """
            double tapeDouble = y;
            bool broke_1 = false;
            bool cond0 = true;
            double dS_1 = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] > 0) cond0 = !cond0;
                dS_1 += cond0 ? x[i] * tapeDouble : x[i] * x[i];
                if (dS_1 > 100) broke_1 = true;
                if (broke_1) break;
            }
            return dS_1;
            """,
            new ArrayDomain().Length("x", 6).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "ParametersNamedLikeGradients",
            "double[] x, double dY, double dx",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += x[i] * dY + dx * x[i] * x[i];
            return s;
            """,
            new ArrayDomain().Length("x", 4)),

        // ---------------- misc user habits ----------------
        ArrayCase.Double(
            "PowWithLoopIndexExponent",
            "double[] c, double x",
            """
            double s = 0;
            for (int k = 0; k < c.Length; k++) s += c[k] * Math.Pow(x, k);
            return s;
            """,
            new ArrayDomain(0.3, 2).Length("c", 5)),
        ArrayCase.Double(
            "LogWithBaseInLoop",
            "double[] x, double b",
            """
            double s = 0;
            foreach (var v in x) s += Math.Log(v, b) + Math.Log2(v) * Math.Log10(b);
            return s;
            """,
            new ArrayDomain(0.5, 3).Length("x", 4).Where(p => Math.Abs(p["b"] - 1) > 0.1)),
        ArrayCase.Double(
            "TernaryIndexInLoop",
            "double[] x, double[] y",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                int j = i < y.Length ? i : y.Length - 1;
                s += x[i] * y[j] + (i % 2 == 0 ? x[i] : y[j]);
            }
            return s * s;
            """,
            new ArrayDomain().Length("x", 5).Length("y", 3)),
        ArrayCase.Double(
            "ArrayElementInLoopCondition",
            "double[] x, [NoGrad] double[] limits",
            """
            double s = 0;
            int i = 0;
            while (i < limits.Length && limits[i] > 0)
            {
                s += x[i] * limits[i];
                i++;
            }
            return s * s;
            """,
            new ArrayDomain().Length("x", 5).Fix("limits", new[] { 1.0, 2.0, 0.5, -1.0, 3.0 })),
        ArrayCase.Double(
            "ScalarLoopBeforeArrayLoop",
            "double a, double[] x, int n",
            """
            double p = 1;
            for (int k = 0; k < n; k++) p *= a;
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += p * x[i];
            return s;
            """,
            new ArrayDomain().Length("x", 3).Fix("n", 4)),
        ArrayCase.Double(
            "CarriedReassignedInBothBranchesAndAfter",
            "double[] x, double y",
            """
            double a = y;
            double b = 1;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] > 0)
                {
                    a = a * x[i];
                    b += a;
                }
                else
                {
                    b = b * x[i];
                    a -= b;
                }
                a *= 0.9;
            }
            return a + b;
            """,
            new ArrayDomain(-1, 1).Length("x", 6).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "BlockScopedTempsSameName",
            "double[] x",
            """
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double t = x[i] * 2;
                s += t * t;
            }
            for (int i = 0; i < x.Length; i++)
            {
                double t = Math.Sin(x[i]);
                s += t;
            }
            {
                double t = s * 0.5;
                s = t * t;
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 4)),
        ArrayCase.Float(
            "FloatStackallocRnn",
            "float[] xs, float w, float u",
            """
            Span<float> h = stackalloc float[xs.Length + 1];
            h[0] = 0f;
            for (int t = 0; t < xs.Length; t++) h[t + 1] = MathF.Tanh(w * h[t] + u * xs[t]);
            float s = 0f;
            for (int t = 1; t <= xs.Length; t++) s += h[t] * h[t];
            return s;
            """,
            new ArrayDomain(-1, 1).Length("xs", 5)),
        ArrayCase.Double(
            "ParameterScalarUpdatedInsideNestedLoops",
            "double[] w, double x, int n",
            """
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    x = x + 0.1 * w[i * n + j] * Math.Sin(x);
                    if (j == i) continue;
                    x *= 0.95;
                }
            }
            return x;
            """,
            new ArrayDomain().Length("w", 9).Fix("n", 3)),

        ArrayCase.Double(
            "LocalArrayPreIncrementStraightLine",
            "double x",
            """
            double[] a = new double[2];
            a[0] = x;
            ++a[0];
            return a[0] * a[0];
            """,
            new ArrayDomain()),
        ArrayCase.Double(
            "VarAndMultipleDeclaratorLocalArrays",
            "double[] x",
            """
            var a = new double[x.Length];
            double[] b = new double[x.Length], c = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                a[i] = x[i];
                b[i] = a[i] * 2;
                c[i] = b[i] * a[i];
            }
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += c[i] * b[i];
            return s;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "ForeachWithManualIndex",
            "double[] x, double[] w",
            """
            double s = 0;
            int i = 0;
            foreach (var v in x)
            {
                s += v * w[i];
                i++;
            }
            return s * s;
            """,
            new ArrayDomain().Length("x", 4).Length("w", 4)),
        ArrayCase.Double(
            "DoubleLoopCounterEuler",
            "double k, double dt",
            """
            double y = 1;
            for (double t = 0; t < 1; t += dt) y += dt * (-k * y + t);
            return y;
            """,
            new ArrayDomain().Range("k", 0.5, 2).Range("dt", 0.105, 0.11)),
        ArrayCase.Double(
            "ContinueInForeachOverSpanWithBreak",
            "ReadOnlySpan<double> x, double y",
            """
            double s = 0;
            int seen = 0;
            foreach (double v in x)
            {
                seen++;
                if (seen % 2 == 0) continue;
                if (seen > 5) break;
                s += v * y * seen;
            }
            return s * s;
            """,
            new ArrayDomain().Length("x", 8)),
        ArrayCase.Double(
            "LoopInLoopInIfInLoop",
            "double[] x, double y",
            """
            double s = 0;
            for (int i = 0; i < 3; i++)
            {
                if (x[i] > 0)
                {
                    for (int j = 0; j < x.Length; j++)
                    {
                        double p = 1;
                        for (int k = 0; k <= j; k++) p *= 0.5 + 0.1 * x[k] * y;
                        s += p;
                    }
                }
                else
                {
                    s -= x[i] * y;
                }
            }
            return s;
            """,
            new ArrayDomain(-1, 1).Length("x", 4).Where(AwayFrom(0, 0.05, "x"))),

        ArrayCase.Double(
            "MinLengthHelperInCondition",
            "double[] x, double[] y",
            """
            double s = 0;
            for (int i = 0; i < Math.Min(x.Length, y.Length); i++) s += (x[i] - y[i]) * (x[i] + 2 * y[i]);
            return s;
            """,
            new ArrayDomain().Length("x", 5).Length("y", 3)),
        ArrayCase.Double(
            "ArgMaxOverLocalArrayThenGather",
            "double[] x, double[] w",
            """
            double[] score = new double[x.Length];
            for (int i = 0; i < x.Length; i++) score[i] = x[i] * w[i];
            int best = 0;
            for (int i = 1; i < score.Length; i++) if (score[i] > score[best]) best = i;
            return score[best] + x[best] * w[(best + 1) % w.Length];
            """,
            new ArrayDomain().Length("x", 5).Length("w", 5).Where(p =>
            {
                var x = p.A("x");
                var w = p.A("w");
                var sc = x.Zip(w, (a, b) => a * b).OrderByDescending(v => v).ToArray();
                return sc[0] - sc[1] > 0.05;
            })),
        ArrayCase.Double(
            "NestedEarlyReturnsBeforeLoops",
            "double[] x, double y, double z",
            """
            if (y > 0)
            {
                if (z > 1) return y * z;
                double s = 0;
                for (int i = 0; i < x.Length; i++) s += x[i] * z;
                return s * y;
            }
            double p = 1;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] < 0) continue;
                p *= 1 + x[i] * y;
            }
            return p + z;
            """,
            new ArrayDomain(-1.5, 1.5).Length("x", 4).Where(p => Math.Abs(p["y"]) > 0.05 && Math.Abs(p["z"] - 1) > 0.05).Where(AwayFrom(0, 0.05, "x"))),
        ArrayCase.Double(
            "MaxOfTwoLocalElementsInLoop",
            "double[] x",
            """
            double[] a = new double[x.Length];
            for (int i = 0; i < x.Length; i++) a[i] = Math.Sin(3 * x[i]);
            double s = 0;
            for (int i = 0; i + 1 < a.Length; i++) s += Math.Max(a[i], a[i + 1]) * (i + 1);
            return s;
            """,
            new ArrayDomain().Length("x", 5).Where(p =>
            {
                var a = p.A("x").Select(v => Math.Sin(3 * v)).ToArray();
                for (int i = 0; i + 1 < a.Length; i++) if (Math.Abs(a[i] - a[i + 1]) < 0.05) return false;
                return true;
            })),
    };

    private static readonly ArrayCaseSet Set = new("UserStyleLoops", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Newton_sqrt_gradient_is_one_over_two_sqrt()
    {
        var method = Set.Get("NewtonSqrtBreakConverged");
        var result = method.InvokeBackward(method.Arguments(2.0));
        Assert.Equal(Math.Sqrt(2.0), result.Value, 12);
        Assert.Equal(0.5 / Math.Sqrt(2.0), result.Gradients[0][0], 8);
    }

    [Fact]
    public void NaN_entries_skipped_by_continue_get_zero_gradient()
    {
        var method = Set.Get("ContinueSkipsNaN");
        var x = new[] { 0.5, double.NaN, -1.25, 2.0, double.NaN, 0.75 };
        var result = method.InvokeBackward(method.Arguments(new[] { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 }, x));
        Assert.Equal(0.0, result.Gradients[0][1]);
        Assert.Equal(0.0, result.Gradients[0][4]);
        Assert.Equal(0.5 * 0.5 / 4, result.Gradients[0][0], 12);
    }
}
