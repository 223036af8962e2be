using System;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>The <c>ba</c> API the GradBench tool calls: the objective, the generated and the hand-written Jacobian.</summary>
    public static partial class Ba
    {
        /// <summary>GradBench's <c>objective</c>: every observation's reprojection error and every weight error.</summary>
        public static BaObjective Objective(BaInput input)
        {
            var result = new BaObjective(input.P);
            Objective(input, result);
            return result;
        }

        /// <summary>The objective into <paramref name="result"/> (every entry overwritten), to reuse its arrays.</summary>
        public static void Objective(BaInput input, BaObjective result)
        {
            if (result.Repeated != input.P)
            {
                throw new ArgumentException($"The objective holds {result.Repeated} observations, the input has {input.P}.", nameof(result));
            }

            for (int i = 0; i < input.P; i++)
            {
                ReadOnlySpan<double> cam = Camera(input, i);
                ReadOnlySpan<double> point = Point(input, i);
                ReadOnlySpan<double> feat = input.Features.AsSpan(2 * i, 2);
                result.ReprojError[2 * i] = ReprojectionError(cam, point, input.Weights[i], feat, 0);
                result.ReprojError[2 * i + 1] = ReprojectionError(cam, point, input.Weights[i], feat, 1);
            }

            for (int i = 0; i < input.P; i++)
            {
                result.WError[i] = WeightError(input.Weights[i]);
            }
        }

        /// <summary>
        /// GradBench's <c>jacobian</c> from the generated Backwards: per observation two reverse sweeps of
        /// <c>ReprojectionErrorBackward</c>, one per residual component, then <c>WeightErrorBackward</c> per weight.
        /// </summary>
        public static BaJacobian Jacobian(BaInput input)
        {
            var jacobian = new BaJacobian(input.N, input.M, input.P);
            Jacobian(input, jacobian);
            return jacobian;
        }

        /// <summary>The generated Jacobian into <paramref name="jacobian"/> (every entry overwritten), to reuse its arrays.</summary>
        public static void Jacobian(BaInput input, BaJacobian jacobian)
        {
            CheckShape(input, jacobian);
            Span<double> block = stackalloc double[2 * BaJacobian.RowEntries];
            Span<double> dCam = stackalloc double[CameraParameters];
            Span<double> dPoint = stackalloc double[3];
            for (int i = 0; i < input.P; i++)
            {
                ReadOnlySpan<double> cam = Camera(input, i);
                ReadOnlySpan<double> point = Point(input, i);
                ReadOnlySpan<double> feat = input.Features.AsSpan(2 * i, 2);
                for (int row = 0; row < 2; row++)
                {
                    dCam.Clear();
                    dPoint.Clear();
                    ReprojectionErrorBackward(cam, point, input.Weights[i], feat, row, dCam, dPoint, out double dW);
                    for (int j = 0; j < CameraParameters; j++) block[2 * j + row] = dCam[j];
                    for (int j = 0; j < 3; j++) block[2 * (CameraParameters + j) + row] = dPoint[j];
                    block[2 * (BaJacobian.RowEntries - 1) + row] = dW;
                }

                jacobian.SetReprojectionBlock(i, input.Observations[2 * i], input.Observations[2 * i + 1], block);
            }

            for (int i = 0; i < input.P; i++)
            {
                WeightErrorBackward(input.Weights[i], out double dW);
                jacobian.SetWeightEntry(i, dW);
            }
        }

        /// <summary>GradBench's <c>jacobian</c>, hand-written: per observation one forward pass and two reverse sweeps.</summary>
        public static BaJacobian HandJacobian(BaInput input)
        {
            var jacobian = new BaJacobian(input.N, input.M, input.P);
            HandJacobian(input, jacobian);
            return jacobian;
        }

        /// <summary>The hand-written Jacobian into <paramref name="jacobian"/> (every entry overwritten).</summary>
        public static void HandJacobian(BaInput input, BaJacobian jacobian)
        {
            CheckShape(input, jacobian);
            Span<double> block = stackalloc double[2 * BaJacobian.RowEntries];
            for (int i = 0; i < input.P; i++)
            {
                ReprojectionBlock(Camera(input, i), Point(input, i), input.Weights[i], input.Features.AsSpan(2 * i, 2), block);
                jacobian.SetReprojectionBlock(i, input.Observations[2 * i], input.Observations[2 * i + 1], block);
            }

            for (int i = 0; i < input.P; i++)
            {
                jacobian.SetWeightEntry(i, -2 * input.Weights[i]);
            }
        }

        /// <summary>
        /// The 2×15 Jacobian block of one observation's reprojection error, column-major (<c>block[2·column + row]</c>;
        /// columns: camera 0..10, point 11..13, weight 14), by hand: the forward values once, then the reverse
        /// sweep for each residual component.
        /// </summary>
        public static void ReprojectionBlock(ReadOnlySpan<double> cam, ReadOnlySpan<double> point, double w,
            ReadOnlySpan<double> feat, Span<double> block)
        {
            double xo0 = point[0] - cam[3], xo1 = point[1] - cam[4], xo2 = point[2] - cam[5];
            double r0 = cam[0], r1 = cam[1], r2 = cam[2];
            double sqTheta = r0 * r0 + r1 * r1 + r2 * r2;
            bool rotates = sqTheta != 0;
            double theta = 0, cos = 1, sin = 0, w0 = 0, w1 = 0, w2 = 0, dot = 0, tmp = 0, cr0, cr1, cr2, x0, x1, x2;
            if (rotates)
            {
                theta = Math.Sqrt(sqTheta);
                cos = Math.Cos(theta);
                sin = Math.Sin(theta);
                w0 = r0 / theta;
                w1 = r1 / theta;
                w2 = r2 / theta;
                cr0 = w1 * xo2 - w2 * xo1;
                cr1 = w2 * xo0 - w0 * xo2;
                cr2 = w0 * xo1 - w1 * xo0;
                dot = w0 * xo0 + w1 * xo1 + w2 * xo2;
                tmp = dot * (1 - cos);
                x0 = xo0 * cos + cr0 * sin + w0 * tmp;
                x1 = xo1 * cos + cr1 * sin + w1 * tmp;
                x2 = xo2 * cos + cr2 * sin + w2 * tmp;
            }
            else
            {
                cr0 = r1 * xo2 - r2 * xo1;
                cr1 = r2 * xo0 - r0 * xo2;
                cr2 = r0 * xo1 - r1 * xo0;
                x0 = xo0 + cr0;
                x1 = xo1 + cr1;
                x2 = xo2 + cr2;
            }

            double p0 = x0 / x2, p1 = x1 / x2;
            double rsq = p0 * p0 + p1 * p1;
            double k1 = cam[9], k2 = cam[10], f = cam[6];
            double distortion = 1 + k1 * rsq + k2 * rsq * rsq;
            double d0 = p0 * distortion, d1 = p1 * distortion;
            double e0 = d0 * f + cam[7] - feat[0];
            double e1 = d1 * f + cam[8] - feat[1];

            for (int row = 0; row < 2; row++)
            {
                double g0 = row == 0 ? 1 : 0, g1 = 1 - g0;

                // err = w (proj − feat); proj = distorted · f + principal point.
                double dProj0 = g0 * w, dProj1 = g1 * w;
                double dF = dProj0 * d0 + dProj1 * d1;
                double dD0 = dProj0 * f, dD1 = dProj1 * f;

                // distorted = p · (1 + k1 rsq + k2 rsq²).
                double dL = dD0 * p0 + dD1 * p1;
                double dRsq = dL * (k1 + 2 * k2 * rsq);
                double dP0 = dD0 * distortion + 2 * p0 * dRsq;
                double dP1 = dD1 * distortion + 2 * p1 * dRsq;

                // p = (x0 / x2, x1 / x2).
                double dX0 = dP0 / x2, dX1 = dP1 / x2, dX2 = -(dP0 * p0 + dP1 * p1) / x2;

                double dXo0, dXo1, dXo2, dR0, dR1, dR2;
                if (rotates)
                {
                    // x = xo cos + (ω × xo) sin + ω tmp, tmp = (ω·xo)(1 − cos), ω = r / θ.
                    double dCos = dX0 * xo0 + dX1 * xo1 + dX2 * xo2;
                    double dSin = dX0 * cr0 + dX1 * cr1 + dX2 * cr2;
                    double dTmp = dX0 * w0 + dX1 * w1 + dX2 * w2;
                    double dDot = dTmp * (1 - cos);
                    dCos -= dTmp * dot;
                    double dCr0 = dX0 * sin, dCr1 = dX1 * sin, dCr2 = dX2 * sin;

                    // cr = ω × xo: dω += xo × dCr, dxo += dCr × ω.
                    double dW0 = dX0 * tmp + dDot * xo0 + (xo1 * dCr2 - xo2 * dCr1);
                    double dW1 = dX1 * tmp + dDot * xo1 + (xo2 * dCr0 - xo0 * dCr2);
                    double dW2 = dX2 * tmp + dDot * xo2 + (xo0 * dCr1 - xo1 * dCr0);
                    dXo0 = dX0 * cos + dDot * w0 + (dCr1 * w2 - dCr2 * w1);
                    dXo1 = dX1 * cos + dDot * w1 + (dCr2 * w0 - dCr0 * w2);
                    dXo2 = dX2 * cos + dDot * w2 + (dCr0 * w1 - dCr1 * w0);

                    // ω = r / θ, θ = √(r·r): dr = dω / θ + r (dθ − (dω·r) / θ²) / θ.
                    double dTheta = dSin * cos - dCos * sin - (dW0 * r0 + dW1 * r1 + dW2 * r2) / sqTheta;
                    dR0 = dW0 / theta + r0 * dTheta / theta;
                    dR1 = dW1 / theta + r1 * dTheta / theta;
                    dR2 = dW2 / theta + r2 * dTheta / theta;
                }
                else
                {
                    // x = xo + r × xo.
                    dR0 = xo1 * dX2 - xo2 * dX1;
                    dR1 = xo2 * dX0 - xo0 * dX2;
                    dR2 = xo0 * dX1 - xo1 * dX0;
                    dXo0 = dX0 + (dX1 * r2 - dX2 * r1);
                    dXo1 = dX1 + (dX2 * r0 - dX0 * r2);
                    dXo2 = dX2 + (dX0 * r1 - dX1 * r0);
                }

                // Camera: rotation 0..2, centre 3..5 (xo = X − C), f 6, principal point 7..8, distortion 9..10.
                block[row] = dR0;
                block[2 + row] = dR1;
                block[4 + row] = dR2;
                block[6 + row] = -dXo0;
                block[8 + row] = -dXo1;
                block[10 + row] = -dXo2;
                block[12 + row] = dF;
                block[14 + row] = g0 * w;
                block[16 + row] = g1 * w;
                block[18 + row] = dL * rsq;
                block[20 + row] = dL * rsq * rsq;

                // Point 11..13, weight 14.
                block[22 + row] = dXo0;
                block[24 + row] = dXo1;
                block[26 + row] = dXo2;
                block[28 + row] = row == 0 ? e0 : e1;
            }
        }

        private static void CheckShape(BaInput input, BaJacobian jacobian)
        {
            if (jacobian.N != input.N || jacobian.M != input.M || jacobian.P != input.P)
            {
                throw new ArgumentException($"The Jacobian is for n={jacobian.N}, m={jacobian.M}, p={jacobian.P}; the input has n={input.N}, m={input.M}, p={input.P}.", nameof(jacobian));
            }
        }

        private static ReadOnlySpan<double> Camera(BaInput input, int observation) =>
            input.Cams.AsSpan(CameraParameters * input.Observations[2 * observation], CameraParameters);

        private static ReadOnlySpan<double> Point(BaInput input, int observation) =>
            input.Points.AsSpan(3 * input.Observations[2 * observation + 1], 3);
    }
}
