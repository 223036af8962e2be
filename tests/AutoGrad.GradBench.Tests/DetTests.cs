using System;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

public class DetTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(5, 5)]
    public void Generated_and_hand_written_gradients_agree_with_each_other_and_finite_differences(int seed, int ell)
    {
        double[] a = Checks.Random(seed, ell * ell);
        var generated = new double[ell * ell];
        var byHand = new double[ell * ell];
        double value = Det.Gradient(a, ell, generated);
        double valueByHand = Det.GradientByHand(a, ell, byHand);

        Checks.Close(Det.Primal(a, ell), value, 1e-14, "value");
        Checks.Close(Det.Primal(a, ell), valueByHand, 1e-14, "value by hand");
        Checks.Close(byHand, generated, 1e-10, "generated vs hand-written");
        Checks.Close(Checks.FiniteDifferences(p => Det.Primal(p, ell), a), generated, 1e-7, "generated vs finite differences");
    }

    [Theory]
    [InlineData(11, 3)]
    [InlineData(12, 6)]
    public void The_primal_matches_LU_and_the_gradient_is_det_times_the_inverse_transposed(int seed, int ell)
    {
        double[] a = Checks.Random(seed, ell * ell);
        (double det, double[] inverse) = LuDeterminantAndInverse(a, ell);
        Checks.Close(det, Det.Primal(a, ell), 1e-12, "det vs LU");

        var gradient = new double[ell * ell];
        Det.Gradient(a, ell, gradient);
        var expected = new double[ell * ell];
        for (int i = 0; i < ell; i++)
        {
            for (int j = 0; j < ell; j++)
            {
                expected[i * ell + j] = det * inverse[j * ell + i];
            }
        }

        Checks.Close(expected, gradient, 1e-10, "gradient vs det·A⁻ᵀ");
    }

    [Fact]
    public void Known_matrices()
    {
        Assert.Equal(-2.0, Det.Primal([1, 2, 3, 4], 2));
        Assert.Equal(6.0, Det.Primal([2, 0, 1, 1, 3, 2, 1, 1, 2], 3)); // 2(6−2) − 0 + 1(1−3)
        var identity = new double[16];
        for (int i = 0; i < 4; i++)
        {
            identity[i * 5] = 1.0;
        }

        Assert.Equal(1.0, Det.Primal(identity, 4));
        var gradient = new double[16];
        Det.Gradient(identity, 4, gradient);
        Assert.Equal(identity, gradient); // cofactors of I are I
    }

    /// <summary>det A and A⁻¹ by Gaussian elimination with partial pivoting (Gauss–Jordan on [A | I]).</summary>
    static (double Det, double[] Inverse) LuDeterminantAndInverse(double[] a, int n)
    {
        var m = (double[])a.Clone();
        var inv = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            inv[i * n + i] = 1.0;
        }

        double det = 1.0;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r * n + col]) > Math.Abs(m[pivot * n + col]))
                {
                    pivot = r;
                }
            }

            if (pivot != col)
            {
                det = -det;
                for (int c = 0; c < n; c++)
                {
                    (m[col * n + c], m[pivot * n + c]) = (m[pivot * n + c], m[col * n + c]);
                    (inv[col * n + c], inv[pivot * n + c]) = (inv[pivot * n + c], inv[col * n + c]);
                }
            }

            double p = m[col * n + col];
            det *= p;
            for (int c = 0; c < n; c++)
            {
                m[col * n + c] /= p;
                inv[col * n + c] /= p;
            }

            for (int r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                double f = m[r * n + col];
                for (int c = 0; c < n; c++)
                {
                    m[r * n + c] -= f * m[col * n + c];
                    inv[r * n + c] -= f * inv[col * n + c];
                }
            }
        }

        return (det, inv);
    }
}
