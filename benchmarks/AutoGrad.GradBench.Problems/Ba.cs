using System;
using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>
    /// GradBench's <c>ba</c> (bundle adjustment): one observation's weighted reprojection error and the weight's
    /// error <c>1 − w²</c>. A camera is 11 numbers <c>[r1 r2 r3 C1 C2 C3 f u0 v0 k1 k2]</c>: an angle-axis
    /// (Rodrigues) rotation, the camera centre, the focal length, the principal point and two radial
    /// distortion coefficients.
    /// </summary>
    public static partial class Ba
    {
        /// <summary>Parameters per camera.</summary>
        public const int CameraParameters = 11;

        /// <summary>
        /// Component <paramref name="component"/> (0: x, 1: y) of <c>w · (project(cam, point) − feat)</c>, where
        /// <c>project</c> rotates <c>point − C</c>, divides by depth, distorts radially, scales by the focal
        /// length and shifts by the principal point.
        /// </summary>
        [Differentiable]
        public static double ReprojectionError(ReadOnlySpan<double> cam, ReadOnlySpan<double> point, double w,
            [NoGrad] ReadOnlySpan<double> feat, int component)
        {
            Span<double> shifted = stackalloc double[3];
            for (int i = 0; i < 3; i++)
            {
                shifted[i] = point[i] - cam[3 + i];
            }

            Span<double> rotated = stackalloc double[3];
            RodriguesRotate(cam, shifted, rotated);

            double px = rotated[0] / rotated[2];
            double py = rotated[1] / rotated[2];
            double rsq = px * px + py * py;
            double distortion = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq;
            double projected = component == 0
                ? px * distortion * cam[6] + cam[7]
                : py * distortion * cam[6] + cam[8];
            return w * (projected - feat[component]);
        }

        /// <summary>GradBench's weight error <c>1 − w²</c>.</summary>
        [Differentiable]
        public static double WeightError(double w) => 1.0 - w * w;

        /// <summary>
        /// Rotates <paramref name="pt"/> by the angle-axis vector <c>rot[0..2]</c>: Rodrigues' formula, and its
        /// first-order form <c>pt + rot × pt</c> when the angle is exactly zero.
        /// </summary>
        private static void RodriguesRotate(ReadOnlySpan<double> rot, Span<double> pt, Span<double> result)
        {
            double sqTheta = rot[0] * rot[0] + rot[1] * rot[1] + rot[2] * rot[2];
            if (sqTheta != 0)
            {
                double theta = Math.Sqrt(sqTheta);
                double cos = Math.Cos(theta);
                double sin = Math.Sin(theta);
                double w0 = rot[0] / theta, w1 = rot[1] / theta, w2 = rot[2] / theta;
                double tmp = (w0 * pt[0] + w1 * pt[1] + w2 * pt[2]) * (1.0 - cos);
                result[0] = pt[0] * cos + (w1 * pt[2] - w2 * pt[1]) * sin + w0 * tmp;
                result[1] = pt[1] * cos + (w2 * pt[0] - w0 * pt[2]) * sin + w1 * tmp;
                result[2] = pt[2] * cos + (w0 * pt[1] - w1 * pt[0]) * sin + w2 * tmp;
            }
            else
            {
                result[0] = pt[0] + rot[1] * pt[2] - rot[2] * pt[1];
                result[1] = pt[1] + rot[2] * pt[0] - rot[0] * pt[2];
                result[2] = pt[2] + rot[0] * pt[1] - rot[1] * pt[0];
            }
        }
    }
}
