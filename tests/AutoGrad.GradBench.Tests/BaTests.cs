using System;
using System.IO;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

/// <summary>ba: the generated Jacobian block against the hand-written one and central differences; the CSR layout.</summary>
public class BaTests
{
    // The first lines of GradBench's evals/ba/data/ba1_n49_m7776_p31843.txt.
    private const string Ba1Header =
        "49 7776 31843\n" +
        "-0.758453 -1.109613 -0.845551 34.556073 39.676747 53.881673 419.194514 5.864426 -8.518870 0.087812 0.002739 \n" +
        "7.203245 0.001144 3.023326 \n" +
        "0.417022 \n" +
        "271.760969 834.209256\n";

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Generated_block_equals_hand_written_and_finite_differences(int seed, bool zeroRotation)
    {
        var (cam, point, w, feat) = RandomObservation(seed, zeroRotation);
        var input = new BaInput(1, 1, 1, cam, point, w, feat);
        double[] generated = Block(Ba.Jacobian(input));
        double[] hand = Block(Ba.HandJacobian(input));
        GmmLstmBaAssert.Same(hand, generated);

        for (int row = 0; row < 2; row++)
        {
            int component = row;
            var analytic = new double[BaJacobian.RowEntries];
            for (int j = 0; j < analytic.Length; j++) analytic[j] = generated[2 * j + row];
            GmmLstmBaAssert.MatchesFiniteDifferences(analytic,
                all => Ba.ReprojectionError(all.AsSpan(0, 11), all.AsSpan(11, 3), all[14], feat, component),
                [.. cam, .. point, w]);
        }
    }

    [Fact]
    public void Objective_and_jacobian_of_the_ba1_observation()
    {
        var one = BaInput.Parse(new StringReader(Ba1Header));
        Assert.Equal((49, 7776, 31843), (one.N, one.M, one.P));

        // The same observation with small counts, so the test stays fast.
        var input = new BaInput(3, 4, 12, one.Cams[..11], one.Points[..3], one.Weights[0], one.Features[..2]);
        BaObjective objective = Ba.Objective(input);
        Assert.Equal(12, objective.Repeated);
        Assert.Equal(1 - 0.417022 * 0.417022, objective.WElement, 1e-15);
        Assert.All(objective.WError, e => Assert.Equal(objective.WElement, e));
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(objective.ReprojElements[0], objective.ReprojError[2 * i]);
            Assert.Equal(objective.ReprojElements[1], objective.ReprojError[2 * i + 1]);
        }

        BaJacobian generated = Ba.Jacobian(input);
        BaJacobian hand = Ba.HandJacobian(input);
        Assert.Equal(hand.Rows, generated.Rows);
        Assert.Equal(hand.Cols, generated.Cols);
        GmmLstmBaAssert.Same(hand.Vals, generated.Vals);
    }

    [Fact]
    public void Csr_layout_and_summary_follow_the_reference()
    {
        var (cam, point, w, feat) = RandomObservation(4, false);
        int n = 3, m = 4, p = 16;   // 2p > 30: the first 30 row starts are all reprojection rows
        var jacobian = Ba.Jacobian(new BaInput(n, m, p, cam, point, w, feat));
        int weightColumn0 = 11 * n + 3 * m;

        Assert.Equal(3 * p + 1, jacobian.Rows.Length);
        for (int r = 0; r <= 2 * p; r++) Assert.Equal(15 * r, jacobian.Rows[r]);
        for (int r = 2 * p; r <= 3 * p; r++) Assert.Equal(30 * p + (r - 2 * p), jacobian.Rows[r]);

        // Observation 5 sees camera 5 mod 3 = 2 and point 5 mod 4 = 1; both of its rows list the same columns.
        for (int row = 10; row < 12; row++)
        {
            int at = jacobian.Rows[row];
            for (int i = 0; i < 11; i++) Assert.Equal(11 * 2 + i, jacobian.Cols[at + i]);
            for (int i = 0; i < 3; i++) Assert.Equal(11 * n + 3 * 1 + i, jacobian.Cols[at + 11 + i]);
            Assert.Equal(weightColumn0 + 5, jacobian.Cols[at + 14]);
        }

        var (rows, cols, vals) = jacobian.Summary();
        Assert.Equal(31, rows.Length);
        Assert.Equal(31, cols.Length);
        Assert.Equal(31, vals.Length);
        Assert.Equal(31 * p, rows[30]);
        Assert.Equal(15 * 29, rows[29]);
        Assert.Equal(weightColumn0 + p - 1, cols[30]);
        Assert.Equal(-2 * w, vals[30]);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 33, 34, 35, weightColumn0 }, cols[..15]);
        Assert.Equal(cols[..15], cols[15..30]);
    }

    private static double[] Block(BaJacobian jacobian)
    {
        // Observation 0's two rows back to the column-major 2×15 block.
        var block = new double[2 * BaJacobian.RowEntries];
        for (int row = 0; row < 2; row++)
            for (int j = 0; j < BaJacobian.RowEntries; j++)
                block[2 * j + row] = jacobian.Vals[row * BaJacobian.RowEntries + j];
        return block;
    }

    private static (double[] Cam, double[] Point, double W, double[] Feat) RandomObservation(int seed, bool zeroRotation)
    {
        var random = new Random(seed);
        double U(double lo, double hi) => lo + (hi - lo) * random.NextDouble();
        double[] cam =
        [
            zeroRotation ? 0 : U(-1.5, 1.5), zeroRotation ? 0 : U(-1.5, 1.5), zeroRotation ? 0 : U(-1.5, 1.5),
            U(-1, 1), U(-1, 1), U(-1, 1),
            U(0.5, 2), U(-0.3, 0.3), U(-0.3, 0.3), U(-0.1, 0.1), U(-0.05, 0.05),
        ];

        // A point in front of the camera: along the rotated optical axis, with some spread.
        double[] point = [cam[3] + U(-1, 1), cam[4] + U(-1, 1), cam[5] + U(3, 5)];
        if (!zeroRotation)
        {
            // Rotate the offset back so the camera still sees the point at positive depth.
            var offset = new[] { point[0] - cam[3], point[1] - cam[4], point[2] - cam[5] };
            var back = Rotate([-cam[0], -cam[1], -cam[2]], offset);
            point = [cam[3] + back[0], cam[4] + back[1], cam[5] + back[2]];
        }

        return (cam, point, U(0.3, 1.5), [U(-1, 1), U(-1, 1)]);
    }

    private static double[] Rotate(double[] r, double[] v)
    {
        double theta = Math.Sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        double[] k = [r[0] / theta, r[1] / theta, r[2] / theta];
        double[] cross = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
        double dot = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
        var result = new double[3];
        for (int i = 0; i < 3; i++) result[i] = v[i] * Math.Cos(theta) + cross[i] * Math.Sin(theta) + k[i] * dot * (1 - Math.Cos(theta));
        return result;
    }
}
