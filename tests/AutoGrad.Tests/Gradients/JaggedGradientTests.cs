using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;
using static AutoGrad.Tests.Infrastructure.MatrixSample;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Jagged array parameters (<c>double[][]</c>, <c>float[][]</c>): [NoGrad] datasets read row by row, and
/// differentiable jagged arrays with rows of different lengths, whose gradient is a jagged buffer of the same shape,
/// added into; checked against central finite differences.
/// </summary>
public sealed class JaggedGradientTests
{
    private static readonly MatrixCase[] Cases =
    {
        // The common use: a dataset, one sample per row, and differentiable weights.
        MatrixCase.Double(
            "LinearRegressionOnRows",
            "double[] w, double bias, [NoGrad] double[][] samples, [NoGrad] double[] targets",
            """
            double loss = 0;
            for (int n = 0; n < samples.Length; n++)
            {
                double[] x = samples[n];
                double prediction = bias;
                for (int j = 0; j < x.Length; j++) prediction += w[j] * x[j];
                double r = prediction - targets[n];
                loss += r * r;
            }
            return loss / samples.Length;
            """,
            r => new object[] { Vector(r, 3), Scalar(r), Jagged(r, 3, 3, 3, 3), Vector(r, 4) }),

        // Rows read in place (samples[n][j]), odd spacing, var, float.
        MatrixCase.Float(
            "FloatLogisticOnRows",
            "float[] w, [NoGrad] float[][] X, [NoGrad] float[] y",
            """
            var total=0f;
            for(var n=0;n<X.Length;n++){
              var z=0f;
              for (var j = 0; j < X[n].Length; j++) z += w[j]*X[n][j];
              total += MathF.Log(1f + MathF.Exp(-y[n] * z));
            }
            return total;
            """,
            r => new object[] { VectorF(r, 2), JaggedF(r, 2, 2, 2), new[] { 1f, -1f, 1f } }),

        // A differentiable jagged array with rows of different lengths (one empty), foreach over a row.
        MatrixCase.Double(
            "RaggedRowNorms",
            "double[][] rows, double scale",
            """
            double s = 0;
            for (int i = 0; i < rows.Length; i++)
            {
                double norm = 0;
                foreach (var v in rows[i]) norm += v * v;
                s += Math.Sqrt(norm + 1) * scale;
            }
            return s;
            """,
            r => new object[] { Jagged(r, 3, 1, 0, 4), Scalar(r) }),

        // Rows passed to a helper (inlined), an index the loops do not prove (the previous row's last element).
        MatrixCase.Float(
            "FloatRowsToHelper",
            "float[][] J, [NoGrad] float[] x",
            """
            float s = 0f;
            for (int i = 0; i < J.Length; i++)
            {
                s += Dot(J[i], x);
                if (i > 0) s += J[i - 1][J[i - 1].Length - 1] * J[i][0];
            }
            return s;
            """,
            r => new object[] { JaggedF(r, 2, 3, 2), VectorF(r, 3) }) with
        {
            Helpers = """
                static float Dot(float[] a, float[] b)
                {
                    float s = 0f;
                    for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
                    return s;
                }
                """,
        },

        // foreach over the rows of a dataset, and the last row read from the end (^1).
        MatrixCase.Double(
            "ForeachRowsAndHat",
            "double[] w, double[][] extra, [NoGrad] double[][] data",
            """
            double s = 0;
            foreach (var row in data)
            {
                for (int j = 0; j < row.Length; j++) s += w[j] * row[j] * row[j];
            }

            foreach (double[] e in extra) s += e[0] * e[^1];
            return s * extra[^1][0];
            """,
            r => new object[] { Vector(r, 2), Jagged(r, 2, 3), Jagged(r, 2, 2, 2) }),
    };

    private static readonly MatrixCaseSet Set = new("JaggedCases", Cases);

    public static IEnumerable<object[]> Names()
    {
        foreach (var c in Cases) yield return new object[] { c.Name };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => MatrixGradientChecker.Check(Set, name);
}
