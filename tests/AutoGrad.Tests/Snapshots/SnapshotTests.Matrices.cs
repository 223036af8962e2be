using Xunit;

namespace AutoGrad.Tests.Snapshots;

/// <summary>A matrix parameter: its flat view, shape and gradient buffer at the start, the store before the return.</summary>
public sealed partial class SnapshotTests
{
    [Fact]
    public void MatrixParameter() => Verify("MatrixLeastSquares", """
        public static partial class Regression
        {
            [Differentiable]
            public static double Loss(double[,] W, [NoGrad] double[] x, [NoGrad] double[] y)
            {
                double loss = 0;
                for (int i = 0; i < W.GetLength(0); i++)
                {
                    double s = 0;
                    for (int j = 0; j < W.GetLength(1); j++) s += W[i, j] * x[j];
                    loss += (s - y[i]) * (s - y[i]);
                }

                return loss;
            }
        }
        """);
}
