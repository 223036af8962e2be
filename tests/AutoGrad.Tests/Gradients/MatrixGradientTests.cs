using System;
using System.Collections.Generic;
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
    };

    private static readonly MatrixCaseSet Set = new("MatrixCases", Cases);

    public static IEnumerable<object[]> Names()
    {
        foreach (var c in Cases) yield return new object[] { c.Name };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => MatrixGradientChecker.Check(Set, name);

    [Fact]
    public void Show() => Assert.Fail(Set.Generated("LeastSquares"));
}
