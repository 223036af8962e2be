using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;
using static AutoGrad.Tests.Infrastructure.MatrixSample;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Rectangular matrix parameters (<c>double[,]</c>, <c>float[,]</c>), differentiable and [NoGrad], written the way
/// numeric C# is written: GetLength, Length, W[i, j], foreach, helpers taking a matrix, several matrices, odd
/// shapes (1×n, n×1, 0×n), checked against central finite differences, with the gradient added into the caller's
/// buffer and a buffer of the wrong shape rejected.
/// </summary>
public sealed class MatrixGradientTests
{
    private static readonly MatrixCase[] Cases =
    {
        // The example: least squares of a matrix-vector product.
        MatrixCase.Double(
            "LeastSquares",
            "double[,] W, [NoGrad] double[] x, [NoGrad] double[] y",
            """
            double loss = 0;
            for (int i = 0; i < W.GetLength(0); i++) {
                double s = 0;
                for (int j = 0; j < W.GetLength(1); j++) s += W[i, j] * x[j];
                loss += (s - y[i]) * (s - y[i]);
            }
            return loss;
            """,
            r => new object[] { Matrix(r, 3, 4), Vector(r, 4), Vector(r, 3) }),

        // Odd spacing, var, a vector that is differentiated too, a non-square shape.
        MatrixCase.Double(
            "MatVecBoth",
            "double[,] A,double[] v",
            """
            var rows=A.GetLength(0);  var cols =A.GetLength( 1 );
            double total=0.0;
            for(var r=0;r<rows;r++)
            {
              var acc = 0.0;
              for (var c = 0; c < cols; ++c) { acc += A[r,c]*v[c]; }
              total += Math.Tanh(acc);
            }
            return total;
            """,
            r => new object[] { Matrix(r, 2, 5), Vector(r, 5) }),

        // The quadratic form xᵀAx: both A and x differentiated.
        MatrixCase.Double(
            "QuadraticForm",
            "double[,] A, double[] x",
            """
            int n = x.Length;
            double q = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    q += x[i] * A[i, j] * x[j];
            return q;
            """,
            r => new object[] { Matrix(r, 3, 3), Vector(r, 3) }),

        // Float throughout.
        MatrixCase.Float(
            "FloatQuadraticForm",
            "float[,] A, float[] x",
            """
            float q = 0f;
            for (int i = 0; i < x.Length; i++)
            {
                for (int j = 0; j < x.Length; j++) q += x[i] * A[i, j] * x[j];
            }
            return q;
            """,
            r => new object[] { MatrixF(r, 4, 4), VectorF(r, 4) }),

        // A two-layer network: W1 (hidden × inputs) and W2 (outputs × hidden), tanh hidden layer, squared error.
        MatrixCase.Double(
            "TwoLayerNet",
            "double[,] W1, double[,] W2, [NoGrad] double[] x, [NoGrad] double[] target",
            """
            int hidden = W1.GetLength(0), inputs = W1.GetLength(1), outputs = W2.GetLength(0);
            var h = new double[hidden];
            for (int k = 0; k < hidden; k++)
            {
                double z = 0;
                for (int j = 0; j < inputs; j++) z += W1[k, j] * x[j];
                h[k] = Math.Tanh(z);
            }

            double loss = 0;
            for (int o = 0; o < outputs; o++)
            {
                double y = 0;
                for (int k = 0; k < hidden; k++) y += W2[o, k] * h[k];
                double e = y - target[o];
                loss += 0.5 * e * e;
            }

            return loss;
            """,
            r => new object[] { Matrix(r, 4, 3), Matrix(r, 2, 4), Vector(r, 3), Vector(r, 2) }),

        // The same network in float, with the layers in nested helpers that take matrices.
        MatrixCase.Float(
            "FloatNetWithHelpers",
            "float[,] W1, float[,] W2, [NoGrad] float[] x",
            """
            var h = new float[W1.GetLength(0)];
            Layer(W1, x, h);
            return Output(W2, h);
            """,
            r => new object[] { MatrixF(r, 3, 2), MatrixF(r, 1, 3), VectorF(r, 2) }) with
        {
            Helpers = """
                static void Layer(float[,] W, float[] input, float[] output)
                {
                    for (int k = 0; k < W.GetLength(0); k++) output[k] = MathF.Tanh(Row(W, k, input));
                }

                static float Row(float[,] W, int k, float[] v)
                {
                    float s = 0f;
                    for (int j = 0; j < W.GetLength(1); j++) s += W[k, j] * v[j];
                    return s;
                }

                static float Output(float[,] W, float[] h) => Row(W, 0, h) * Row(W, 0, h);
                """,
        },

        // A [NoGrad] data matrix (rows are samples) with differentiable weights: logistic regression.
        MatrixCase.Double(
            "LogisticData",
            "double[] w, double b, [NoGrad] double[,] X, [NoGrad] double[] labels",
            """
            int n = X.GetLength(0), d = X.GetLength(1);
            double nll = 0;
            for (int i = 0; i < n; i++)
            {
                double z = b;
                for (int j = 0; j < d; j++) z += w[j] * X[i, j];
                nll += Math.Log(1 + Math.Exp(-labels[i] * z));
            }
            return nll / n;
            """,
            r => new object[] { Vector(r, 3), Scalar(r), Matrix(r, 5, 3), new[] { 1.0, -1.0, 1.0, 1.0, -1.0 } }),

        // W.Length and foreach: every element in row-major order.
        MatrixCase.Double(
            "LengthAndForeach",
            "double[,] W",
            """
            double sum = 0, squares = 0;
            foreach (var v in W) { sum += v; squares += v * v; }
            return squares / W.Length - (sum / W.Length) * (sum / W.Length);
            """,
            r => new object[] { Matrix(r, 2, 3) }),

        // Indices the loops do not prove in range (a reversed column, a while loop): checked, and still right.
        MatrixCase.Double(
            "ReversedColumns",
            "double[,] A, [NoGrad] double[,] B",
            """
            int rows = A.GetLength(0), cols = A.GetLength(1);
            double s = 0;
            int i = 0;
            while (i < rows)
            {
                for (int j = 0; j < cols; j++) s += A[i, cols - 1 - j] * B[i, j] + A[i, j] * A[i, 0];
                i++;
            }
            return s;
            """,
            r => new object[] { Matrix(r, 3, 2), Matrix(r, 3, 2) }),

        // Shapes at the edges: a row vector (1×n), a column vector (n×1) and an empty matrix (0×n).
        MatrixCase.Double(
            "RowTimesColumn",
            "double[,] row, double[,] column, double[,] empty",
            """
            double s = 0;
            for (int j = 0; j < row.GetLength(1); j++) s += row[0, j] * column[j, 0];
            for (int i = 0; i < empty.GetLength(0); i++)
                for (int j = 0; j < empty.GetLength(1); j++) s += empty[i, j];
            return s * s + empty.Length;
            """,
            r => new object[] { Matrix(r, 1, 4), Matrix(r, 4, 1), Matrix(r, 0, 3) }),

        // A matrix and a scalar parameter together, with a branch on the data.
        MatrixCase.Float(
            "FloatClippedFrobenius",
            "float[,] M, float scale",
            """
            float total = 0f;
            for (int i = 0; i < M.GetLength(0); i++)
            {
                for (int j = 0; j < M.GetLength(1); j++)
                {
                    float v = scale * M[i, j];
                    if (v > 1f) v = 1f;
                    total += v * v;
                }
            }
            return total;
            """,
            r => new object[] { MatrixF(r, 2, 3, -0.9, 0.9), (float)Scalar(r, 0.5, 1.0) }),
    };

    private static readonly MatrixCaseSet Set = new("MatrixCases", Cases);

    public static IEnumerable<object[]> Names()
    {
        foreach (var c in Cases) yield return new object[] { c.Name };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => MatrixGradientChecker.Check(Set, name);

    private static readonly MatrixCaseSet Throwing = new("MatrixThrowing", new[]
    {
        MatrixCase.Double(
            "ColumnPastTheEnd",
            "double[,] W, int k",
            """
            double s = 0;
            for (int j = 0; j <= W.GetLength(1); j++) s += W[0, j];
            return s + W[0, k];
            """,
            _ => new object[] { new double[2, 2], 0 }),
        MatrixCase.Double(
            "ColumnSetNegativeByDeconstruction",
            "double[,] W, int k",
            """
            double s = 0;
            for (int j = 0; j < W.GetLength(1); j++)
            {
                s += W[1, j];
                if (j == 1 && k == 0) (j, k) = (-2, 1);
            }
            return s;
            """,
            _ => new object[] { new double[2, 2], 0 }),
        MatrixCase.Double(
            "RowPastTheEnd",
            "double[][] J",
            """
            double s = 0;
            for (int i = 0; i <= J.Length; i++) s += J[i][0];
            return s;
            """,
            _ => new object[] { new[] { new[] { 1.0 }, new[] { 2.0 } } }),
    });

    /// <summary>
    /// A column past the end of a row (or a row past the last) throws in the Backward as in the method, rather than
    /// reading the next row of the flat view: the loop's test (j &lt;= GetLength(1)) does not prove it in range.
    /// </summary>
    [Theory]
    [InlineData("ColumnPastTheEnd")]
    [InlineData("ColumnSetNegativeByDeconstruction")]
    [InlineData("RowPastTheEnd")]
    public void An_index_past_the_end_throws_as_in_the_method(string name)
    {
        var (@case, method, backward, _) = Throwing.Get(name);
        var args = @case.Sample(new Random(1));
        var primal = Assert.Throws<System.Reflection.TargetInvocationException>(() => method.Invoke(null, args));
        Assert.IsType<IndexOutOfRangeException>(primal.InnerException);
        object gradient = args[0] is double[,] w ? new double[w.GetLength(0), w.GetLength(1)] : new[] { new double[1], new double[1] };
        var call = args.Append(gradient).Append(1.0).ToArray();
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => backward.Invoke(null, call));
        Assert.IsType<IndexOutOfRangeException>(thrown.InnerException);
    }
}
