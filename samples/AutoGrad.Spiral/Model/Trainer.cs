using System;
using System.Threading.Tasks;

namespace AutoGrad.Spiral
{
    /// <summary>How to train: the course's settings by default.</summary>
    /// <param name="Hidden">The hidden layer's width.</param>
    /// <param name="Steps">Full-batch gradient descent steps.</param>
    /// <param name="LearningRate">The step size.</param>
    /// <param name="Regularization">The L2 strength.</param>
    /// <param name="Seed">The seed of the initial weights.</param>
    /// <param name="Chunks">Chunks the batch is split into, one task each; 0 for one per core.</param>
    public sealed record TrainingOptions(
        int Hidden = 100,
        int Steps = 10000,
        double LearningRate = 1.0,
        double Regularization = 1e-3,
        int Seed = 1,
        int Chunks = 0);

    /// <summary>Where training is: reported every few steps.</summary>
    /// <param name="Step">Steps done.</param>
    /// <param name="Steps">Steps in all.</param>
    /// <param name="Loss">The objective before the last step (mean cross-entropy plus the penalty).</param>
    /// <param name="Accuracy">The fraction of training points classified correctly.</param>
    public readonly record struct TrainingProgress(int Step, int Steps, double Loss, double Accuracy);

    /// <summary>
    /// Full-batch gradient descent on <see cref="SpiralNet.Loss"/>, its gradient computed on all cores: the
    /// examples are split into chunks, each task calls the generated <c>DataLossBackward</c> on its chunk
    /// with gradient buffers of its own (which it adds into), and the buffers are then summed.
    /// </summary>
    public sealed class Trainer
    {
        private readonly SpiralData _data;
        private readonly TrainingOptions _options;
        private readonly Parameters[] _chunkGradients;
        private readonly double[] _chunkLosses;
        private readonly Parameters _gradient;
        private readonly int[] _bounds;

        /// <summary>A trainer of a freshly initialised network on <paramref name="data"/>.</summary>
        /// <param name="data">The training set.</param>
        /// <param name="options">The settings.</param>
        public Trainer(SpiralData data, TrainingOptions options)
        {
            _data = data ?? throw new ArgumentNullException(nameof(data));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            Model = Parameters.Random(options.Hidden, new Random(options.Seed));
            int chunks = options.Chunks > 0 ? options.Chunks : Environment.ProcessorCount;
            chunks = Math.Clamp(chunks, 1, data.Count);
            _bounds = new int[chunks + 1];
            for (int c = 0; c <= chunks; c++) _bounds[c] = (int)((long)data.Count * c / chunks);
            _chunkGradients = new Parameters[chunks];
            for (int c = 0; c < chunks; c++) _chunkGradients[c] = new Parameters(options.Hidden);
            _chunkLosses = new double[chunks];
            _gradient = new Parameters(options.Hidden);
        }

        /// <summary>The parameters being trained.</summary>
        public Parameters Model { get; }

        /// <summary>How many chunks (parallel tasks) the batch is split into.</summary>
        public int Chunks => _chunkGradients.Length;

        /// <summary>
        /// The objective at the current parameters, and its gradient (in <paramref name="gradient"/>,
        /// overwritten), every part of it from generated code.
        /// </summary>
        /// <param name="gradient">Receives the gradient.</param>
        /// <returns>The objective.</returns>
        public double Gradient(Parameters gradient)
        {
            ArgumentNullException.ThrowIfNull(gradient);
            var m = Model;
            double scale = 1.0 / _data.Count;
            Parallel.For(0, Chunks, c =>
            {
                var g = _chunkGradients[c];
                g.Clear();
                _chunkLosses[c] = SpiralNet.DataLossBackward(
                    m.W1, m.B1, m.W2, m.B2, _data.X, _data.Labels, _bounds[c], _bounds[c + 1], scale,
                    g.W1, g.B1, g.W2, g.B2);
            });

            gradient.Clear();
            double loss = SpiralNet.L2PenaltyBackward(m.W1, m.W2, _options.Regularization, gradient.W1, gradient.W2);
            for (int c = 0; c < Chunks; c++)
            {
                gradient.Add(_chunkGradients[c], 1.0);
                loss += _chunkLosses[c];
            }

            return loss;
        }

        /// <summary>One gradient descent step.</summary>
        /// <returns>The objective before the step.</returns>
        public double Step()
        {
            double loss = Gradient(_gradient);
            Model.Add(_gradient, -_options.LearningRate);
            return loss;
        }

        /// <summary>Runs all the steps, reporting every <paramref name="every"/> steps and after the last.</summary>
        /// <param name="report">Receives the progress.</param>
        /// <param name="every">Steps between reports.</param>
        /// <returns>The last report.</returns>
        public TrainingProgress Train(Action<TrainingProgress>? report = null, int every = 100)
        {
            if (every < 1) throw new ArgumentOutOfRangeException(nameof(every));
            var last = new TrainingProgress(0, _options.Steps, double.NaN, Accuracy(Model, _data));
            for (int step = 1; step <= _options.Steps; step++)
            {
                double loss = Step();
                if (step % every == 0 || step == _options.Steps)
                {
                    last = new TrainingProgress(step, _options.Steps, loss, Accuracy(Model, _data));
                    report?.Invoke(last);
                }
            }

            return last;
        }

        /// <summary>The fraction of <paramref name="data"/>'s points that <paramref name="model"/> classifies correctly.</summary>
        /// <param name="model">The parameters.</param>
        /// <param name="data">The points.</param>
        /// <returns>A number from 0 to 1.</returns>
        public static double Accuracy(Parameters model, SpiralData data)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(data);
            var scratch = new Scratch(model.Hidden);
            int correct = 0;
            for (int i = 0; i < data.Count; i++)
            {
                if (SpiralNet.Predict(model, data.X[2 * i], data.X[2 * i + 1], scratch) == data.Labels[i]) correct++;
            }

            return (double)correct / data.Count;
        }

        /// <summary>
        /// The largest relative error <see cref="CheckGradient"/> accepts. Central differences of a loss of
        /// order 1 with a step of 1e-6 carry an absolute error of about 1e-10, which is a relative error
        /// near 1e-5 for the smallest of the 603 components (a few 1e-6); a wrong gradient is off by far more.
        /// </summary>
        public const double GradientTolerance = 1e-4;

        /// <summary>
        /// Checks the generated <c>LossBackward</c> (the whole objective, through every helper) against central
        /// finite differences, with respect to all parameters flattened into one vector, on every
        /// <paramref name="stride"/>-th point of <paramref name="data"/> at random parameters.
        /// </summary>
        /// <param name="data">The data set.</param>
        /// <param name="hidden">The hidden layer's width.</param>
        /// <param name="regularization">The L2 strength.</param>
        /// <param name="stride">The spacing of the points used.</param>
        /// <param name="seed">The seed of the parameters.</param>
        /// <returns>The comparison, component by component.</returns>
        public static GradientCheckResult CheckGradient(SpiralData data, int hidden, double regularization, int stride = 10, int seed = 7)
        {
            ArgumentNullException.ThrowIfNull(data);
            var subset = data.Subset(stride);
            // Weights large enough that every unit matters, and biases away from zero, so that no ReLU sits
            // within a finite-difference step of its kink.
            var point = Parameters.Random(hidden, new Random(seed), scale: 1.0, biasScale: 0.5).Flatten();
            return GradientCheck.Check(
                theta =>
                {
                    var p = Parameters.Unflatten(theta, hidden);
                    return SpiralNet.Loss(p.W1, p.B1, p.W2, p.B2, subset.X, subset.Labels, regularization);
                },
                (theta, dTheta, seed) =>
                {
                    var p = Parameters.Unflatten(theta, hidden);
                    var g = new Parameters(hidden);
                    double value = SpiralNet.LossBackward(
                        p.W1, p.B1, p.W2, p.B2, subset.X, subset.Labels, regularization, g.W1, g.B1, g.W2, g.B2, seed);
                    var flat = g.Flatten();
                    for (int i = 0; i < flat.Length; i++) dTheta[i] += flat[i];
                    return value;
                },
                point);
        }
    }
}
