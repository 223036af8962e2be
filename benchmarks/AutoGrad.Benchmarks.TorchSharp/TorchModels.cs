using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoGrad.Benchmarks.TorchSharp
{
    /// <summary>
    /// The benchmark functions written with TorchSharp's autograd, as a .NET user holding <c>double[]</c> data would:
    /// leaf tensors with <c>requires_grad</c> built from the arrays, the loss as tensor operations (vectorized for
    /// Rosenbrock and the MLP), <c>backward()</c>, and the gradients copied back into the caller's arrays. Every
    /// tensor made in a call is disposed by the call's dispose scope, so memory does not grow across calls.
    /// Unlike the generated Backward (which ADDS into its gradient buffers), these OVERWRITE the output arrays.
    /// </summary>
    public static class TorchModels
    {
        /// <summary>The sigmoid neuron on five scalar (0-dimensional) float64 tensors.</summary>
        public static double Neuron(double w0, double w1, double w2, double x0, double x1, double[] grad)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor tw0 = tensor(w0, requires_grad: true);
            Tensor tw1 = tensor(w1, requires_grad: true);
            Tensor tw2 = tensor(w2, requires_grad: true);
            Tensor tx0 = tensor(x0, requires_grad: true);
            Tensor tx1 = tensor(x1, requires_grad: true);
            Tensor dot = tw0 * tx0 + tw1 * tx1 + tw2;
            Tensor s = 1.0 / (1.0 + exp(-dot));
            s.backward();
            grad[0] = tw0.grad!.item<double>();
            grad[1] = tw1.grad!.item<double>();
            grad[2] = tw2.grad!.item<double>();
            grad[3] = tx0.grad!.item<double>();
            grad[4] = tx1.grad!.item<double>();
            return s.item<double>();
        }

        /// <summary>Rosenbrock, vectorized: Σ 100(x[1:] − x[:-1]²)² + (1 − x[:-1])².</summary>
        public static double Rosenbrock(double[] x, double[] dX)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor tx = tensor(x, requires_grad: true);
            Tensor loss = RosenbrockLoss(tx);
            loss.backward();
            tx.grad!.data<double>().CopyTo(dX);
            return loss.item<double>();
        }

        /// <summary>The Rosenbrock loss of a 1-D tensor.</summary>
        public static Tensor RosenbrockLoss(Tensor x)
        {
            long n = x.shape[0];
            Tensor head = x.narrow(0, 0, n - 1);
            Tensor a = x.narrow(0, 1, n - 1) - head.square();
            Tensor b = 1.0 - head;
            return (100.0 * a.square() + b.square()).sum();
        }

        /// <summary>
        /// The 64→128→10 ReLU classifier on one example, softmax cross-entropy via log_softmax; w1 (128×64) and
        /// w2 (10×128) are row-major arrays, viewed as matrices.
        /// </summary>
        public static double Mlp64(double[] w1, double[] b1, double[] w2, double[] b2, double[] x, int label,
            double[] dW1, double[] dB1, double[] dW2, double[] dB2)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor tw1 = tensor(w1, new long[] { ModelFunctions.Hidden, ModelFunctions.Inputs }, requires_grad: true);
            Tensor tb1 = tensor(b1, requires_grad: true);
            Tensor tw2 = tensor(w2, new long[] { ModelFunctions.Classes, ModelFunctions.Hidden }, requires_grad: true);
            Tensor tb2 = tensor(b2, requires_grad: true);
            Tensor tx = tensor(x);
            Tensor loss = Mlp64Loss(tw1, tb1, tw2, tb2, tx, label);
            loss.backward();
            tw1.grad!.data<double>().CopyTo(dW1);
            tb1.grad!.data<double>().CopyTo(dB1);
            tw2.grad!.data<double>().CopyTo(dW2);
            tb2.grad!.data<double>().CopyTo(dB2);
            return loss.item<double>();
        }

        /// <summary>The classifier's loss on one example x (64).</summary>
        public static Tensor Mlp64Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor x, int label)
        {
            Tensor hidden = nn.functional.relu(w1.matmul(x) + b1);
            Tensor logits = w2.matmul(hidden) + b2;
            return -nn.functional.log_softmax(logits, 0)[label];
        }
    }
}
