using System;
using AutoGrad;

namespace AutoGrad.Samples
{
    /// <summary>The worked examples of the backpropagation lecture notes.</summary>
    public static partial class Circuits
    {
        /// <summary>The circuit f(x, y, z) = (x + y) · z: an add gate feeding a multiply gate.</summary>
        [Differentiable]
        public static double Circuit(double x, double y, double z)
        {
            double q = x + y;
            return q * z;
        }

        /// <summary>A sigmoid neuron: 1 / (1 + e^-(w0·x0 + w1·x1 + w2)).</summary>
        [Differentiable]
        public static double Neuron(double w0, double w1, double w2, double x0, double x1)
        {
            double dot = w0 * x0 + w1 * x1 + w2;
            return 1.0 / (1.0 + Math.Exp(-dot));
        }

        /// <summary>The squared loss of a one-weight linear model: (w·x − y)².</summary>
        [Differentiable]
        public static double SquaredLoss(double w, [NoGrad] double x, [NoGrad] double y)
        {
            double error = w * x - y;
            return error * error;
        }

        /// <summary>A ReLU unit with a leaky slope: a branch and a max gate.</summary>
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
}
