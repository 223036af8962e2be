using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Snapshots;

/// <summary>
/// The generated text of methods that show its shape, compared with reviewed files in <c>Expected/</c>.
/// After an intended change, run the tests with <c>AUTOGRAD_UPDATE_SNAPSHOTS=1</c>, review the diff, commit.
/// </summary>
public sealed partial class SnapshotTests
{
    private const string Header = "using System;\nusing AutoGrad;\n\nnamespace Snapshots\n{\n";

    [Fact]
    public void Circuit() => Verify("Circuit", """
        public static partial class Lecture
        {
            [Differentiable]
            public static double Circuit(double x, double y, double z)
            {
                double q = x + y;
                return q * z;
            }
        }
        """);

    [Fact]
    public void GuardClauses() => Verify("Guarded", """
        public static partial class Checked
        {
            [Differentiable]
            public static double Guarded(double x, double[] w)
            {
                ArgumentNullException.ThrowIfNull(w);
                if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), x, $"x must be positive, was {x}");
                double s = Math.Log(x);
                for (int i = 0; i < w.Length; i++)
                {
                    if (double.IsNaN(w[i])) throw new ArgumentException("NaN at " + i, nameof(w));
                    s += w[i] * x;
                }

                System.Diagnostics.Debug.Assert(s > double.NegativeInfinity);
                return s;
            }
        }
        """);

    [Fact]
    public void Neuron() => Verify("Neuron", """
        public static partial class Lecture
        {
            [Differentiable]
            public static double Neuron(double w0, double w1, double w2, double x0, double x1)
            {
                double dot = w0 * x0 + w1 * x1 + w2;
                return 1.0 / (1.0 + Math.Exp(-dot));
            }
        }
        """);

    [Fact]
    public void SquaredLossWithNoGradData() => Verify("SquaredLoss", """
        public static partial class Lecture
        {
            [Differentiable]
            internal static double SquaredLoss(double w, [NoGrad] double x, [NoGrad] double y)
            {
                double error = w * x - y;
                return error * error;
            }
        }
        """);

    [Fact]
    public void EarlyReturnAndMaxGate() => Verify("LeakyRelu", """
        public static partial class Activations
        {
            [Differentiable]
            public static double LeakyRelu(double w, double x, double b)
            {
                double z = w * x + b;
                if (z > 0)
                {
                    return z;
                }

                return Math.Max(z, 0.01 * z);
            }
        }
        """);

    [Fact]
    public void SwitchExpressionIsAChainOfJoins() => Verify("Piecewise", """
        public static partial class Shapes
        {
            [Differentiable]
            public static double Piecewise(double x) => x switch
            {
                < 0 => -x,
                < 1 => x * x,
                _ => 2 * x - 1,
            };
        }
        """);

    [Fact]
    public void JoinIfWithReassignmentAndConditional() => Verify("Huber", """
        public static partial class Losses
        {
            [Differentiable]
            public static double Huber(double prediction, [NoGrad] double target, [NoGrad] double delta)
            {
                double r = prediction - target;
                double a = Math.Abs(r);
                double loss;
                if (a <= delta)
                {
                    loss = 0.5 * r * r;
                }
                else
                {
                    loss = delta * (a - 0.5 * delta);
                }

                return loss > 1e3 ? 1e3 : loss;
            }
        }
        """);

    [Fact]
    public void ReturnInsideABranchThatFallsThrough() => Verify("Clipped", """
        public static partial class Losses
        {
            [Differentiable]
            public static double Clipped(double x, double y)
            {
                double v = x * y;
                if (x > 0)
                {
                    if (v > 10) return 10;
                    v = v * x;
                }

                return v + y;
            }
        }
        """);

    [Fact]
    public void StoppedUnusedAndConstantValuesHaveNoAdjoints() => Verify("Stopped", """
        public static partial class Losses
        {
            [Differentiable]
            public static double Stopped(double x, double y)
            {
                double scale = Diff.StopGradient(x * y);
                double unused = Math.Sin(x) * y;
                double constant = Math.Exp(2.0) * 3.0;
                return scale * x + constant;
            }
        }
        """);

    [Fact]
    public void ValuesThatDoNotReachTheResultCostNothingInTheReversePass() => Verify("UnusedInLoop", """
        public static partial class Losses
        {
            [Differentiable]
            public static double UnusedInLoop(double[] x, double a)
            {
                double s = 0, energy = 0;
                var trace = new double[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    double t = Math.Sin(x[i] * a);
                    energy += t * t;
                    trace[i] = energy;
                    if (energy > 1) s += x[i] * a;
                    else s -= a;
                }
                return s;
            }
        }
        """);

    [Fact]
    public void RosenbrockRunsEachIterationsReverseRightAfterIt() => Verify("Rosenbrock", """
        public static partial class Objectives
        {
            [Differentiable]
            public static double Rosenbrock(double[] x)
            {
                double s = 0;
                for (int i = 0; i < x.Length - 1; i++)
                {
                    double a = x[i + 1] - x[i] * x[i];
                    double b = 1 - x[i];
                    s += 100 * a * a + b * b;
                }
                return s;
            }
        }
        """);

    [Fact]
    public void APerPointLoopIsCheckpointedNotTaped() => Verify("Checkpoint", """
        public static partial class Mixture
        {
            [Differentiable]
            public static double NearestCenter(double[] centers, [NoGrad] double[] points, int d, int k)
            {
                var diff = new double[d];
                double total = 0;
                for (int p = 0; p < points.Length / d; p++)
                {
                    double soft = 0;
                    for (int c = 0; c < k; c++)
                    {
                        for (int j = 0; j < d; j++) diff[j] = points[p * d + j] - centers[c * d + j];
                        double sq = 0;
                        for (int j = 0; j < d; j++) sq += diff[j] * diff[j];
                        soft += Math.Exp(-sq);
                    }
                    total += Math.Log(soft);
                }
                return total;
            }
        }
        """);

    [Fact]
    public void PowRulesAndDoubleMethods() => Verify("Powers", """
        public static partial class Series
        {
            [Differentiable]
            public static double Powers(double x, double p, int k)
            {
                double a = Math.Pow(x, k) + Math.Pow(x, 0.5) + Math.Pow(x, 2.0);
                return a * Math.Pow(x, p) + double.ExpM1(x) + double.Sqrt(x);
            }
        }
        """);

    [Fact]
    public void DotProductLoop() => Verify("Dot", """
        public static partial class Vectors
        {
            [Differentiable]
            public static double Dot(double[] w, [NoGrad] double[] x)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    s += w[i] * x[i];
                }

                return s;
            }
        }
        """);

    [Fact]
    public void RowsOfAFlattenedMatrixAsSlices() => Verify("MatVecRows", """
        public static partial class Layers
        {
            [Differentiable]
            public static double SquaredError(double[] W, [NoGrad] double[] x, [NoGrad] double[] y)
            {
                int n = x.Length;
                double loss = 0;
                for (int i = 0; i < y.Length; i++)
                {
                    ReadOnlySpan<double> row = W.AsSpan(i * n, n);
                    double r = Dot(row, x) - y[i];
                    loss += r * r;
                }

                return loss;
            }

            private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
                return s;
            }
        }
        """);

    [Fact]
    public void SoftmaxCrossEntropyLoops() => Verify("SoftmaxCrossEntropy", """
        public static partial class Losses
        {
            [Differentiable]
            public static double SoftmaxCrossEntropy(ReadOnlySpan<double> z, int label)
            {
                double max = double.NegativeInfinity;
                foreach (double v in z) max = Math.Max(max, v);
                double sum = 0;
                for (int i = 0; i < z.Length; i++) sum += Math.Exp(z[i] - max);
                return Math.Log(sum) + max - z[label];
            }
        }
        """);

    [Fact]
    public void FloatInNestedGenericTypes() => Verify("Softplus", """
        public partial class Outer<T>
        {
            private partial struct Inner
            {
                [Differentiable]
                private static float Softplus(float x, float scale, int n)
                {
                    x *= scale;
                    return MathF.Log(1f + MathF.Exp(x)) / n;
                }
            }
        }
        """);

    [Fact]
    public void CallsOfHelpersAreInlined() => Verify("HelperCalls", """
        public static partial class Model
        {
            static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

            static double Relu(double z)
            {
                if (z < 0) return 0.0;
                return z;
            }

            [Differentiable]
            public static double Unit(double w, double x, double b)
            {
                double h = Sigmoid(w * x + b);
                return Relu(h - 0.5) * h;
            }
        }
        """);

    [Fact]
    public void RecursionCallsTheBackward() => Verify("RecursivePower", """
        public static partial class Series
        {
            [Differentiable]
            public static double Power(double x, int n)
            {
                if (n == 0) return 1.0;
                return x * Power(x, n - 1);
            }
        }
        """);

    [Fact]
    public void AScratchArrayWhoseLengthFollowsTheLoopIsDeclaredOnceWithItsBound() => Verify("GrowingRow", """
        public static partial class Rows
        {
            [Differentiable]
            public static double Triangle(double[] x, double scale)
            {
                var weights = new[] { scale, 1.0 };
                double total = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    var row = new double[i + 1];
                    for (int k = 0; k < row.Length; k++) row[k] = x[k] * weights[k % 2];
                    total += row[row.Length - 1] * x[i];
                }

                return total;
            }
        }
        """);

    private static void Verify(string name, string source, [CallerFilePath] string thisFile = "")
    {
        var run = TestCompiler.RunClean(new[] { Header + Indent(source) + "\n}\n" });
        var generated = run.GeneratedText.Values.Single();
        string path = Path.Combine(Path.GetDirectoryName(thisFile)!, "Expected", name + ".g.cs.txt");
        if (Environment.GetEnvironmentVariable("AUTOGRAD_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(File.Exists(path), "No snapshot " + path + "; run with AUTOGRAD_UPDATE_SNAPSHOTS=1 and review it.\n" + generated);
        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, generated);
    }

    private static string Indent(string text) =>
        string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(line => line.Length == 0 ? line : "    " + line));
}
