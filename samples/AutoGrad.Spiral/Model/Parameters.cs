using System;

namespace AutoGrad.Spiral
{
    /// <summary>The network's parameters (or a gradient of the same shape).</summary>
    public sealed class Parameters
    {
        /// <summary>Zeroed parameters for <paramref name="hidden"/> hidden units.</summary>
        /// <param name="hidden">The hidden layer's width.</param>
        public Parameters(int hidden)
        {
            if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden));
            W1 = new double[hidden * SpiralNet.Inputs];
            B1 = new double[hidden];
            W2 = new double[SpiralNet.Classes * hidden];
            B2 = new double[SpiralNet.Classes];
        }

        /// <summary>First-layer weights, hidden × 2.</summary>
        public double[] W1 { get; }

        /// <summary>First-layer biases.</summary>
        public double[] B1 { get; }

        /// <summary>Second-layer weights, 3 × hidden.</summary>
        public double[] W2 { get; }

        /// <summary>Second-layer biases.</summary>
        public double[] B2 { get; }

        /// <summary>The hidden layer's width.</summary>
        public int Hidden => B1.Length;

        /// <summary>How many numbers there are in all.</summary>
        public int Count => W1.Length + B1.Length + W2.Length + B2.Length;

        /// <summary>
        /// The course's initialisation: weights drawn from N(0, <paramref name="scale"/>²), biases
        /// <paramref name="biasScale"/> times a normal draw (zero by default).
        /// </summary>
        /// <param name="hidden">The hidden layer's width.</param>
        /// <param name="random">The source of randomness.</param>
        /// <param name="scale">The weights' standard deviation.</param>
        /// <param name="biasScale">The biases' standard deviation.</param>
        /// <returns>The parameters.</returns>
        public static Parameters Random(int hidden, Random random, double scale = 0.01, double biasScale = 0.0)
        {
            ArgumentNullException.ThrowIfNull(random);
            var p = new Parameters(hidden);
            Fill(p.W1, random, scale);
            Fill(p.B1, random, biasScale);
            Fill(p.W2, random, scale);
            Fill(p.B2, random, biasScale);
            return p;
        }

        /// <summary>Sets every number to zero.</summary>
        public void Clear()
        {
            Array.Clear(W1);
            Array.Clear(B1);
            Array.Clear(W2);
            Array.Clear(B2);
        }

        /// <summary>Adds <paramref name="factor"/> times <paramref name="other"/> to these parameters.</summary>
        /// <param name="other">Parameters of the same shape.</param>
        /// <param name="factor">The multiplier.</param>
        public void Add(Parameters other, double factor)
        {
            ArgumentNullException.ThrowIfNull(other);
            AddInto(W1, other.W1, factor);
            AddInto(B1, other.B1, factor);
            AddInto(W2, other.W2, factor);
            AddInto(B2, other.B2, factor);
        }

        /// <summary>All the numbers in one vector: W1, B1, W2, B2.</summary>
        /// <returns>A new array of <see cref="Count"/> numbers.</returns>
        public double[] Flatten()
        {
            var flat = new double[Count];
            int at = 0;
            foreach (var part in new[] { W1, B1, W2, B2 })
            {
                part.CopyTo(flat, at);
                at += part.Length;
            }

            return flat;
        }

        /// <summary>Parameters read back from a vector <see cref="Flatten"/> made.</summary>
        /// <param name="flat">The vector.</param>
        /// <param name="hidden">The hidden layer's width.</param>
        /// <returns>New parameters.</returns>
        public static Parameters Unflatten(ReadOnlySpan<double> flat, int hidden)
        {
            var p = new Parameters(hidden);
            if (flat.Length != p.Count) throw new ArgumentException("Expected " + p.Count + " numbers.", nameof(flat));
            int at = 0;
            foreach (var part in new[] { p.W1, p.B1, p.W2, p.B2 })
            {
                flat.Slice(at, part.Length).CopyTo(part);
                at += part.Length;
            }

            return p;
        }

        private static void Fill(double[] values, Random random, double scale)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = scale * Gaussian(random);
            }
        }

        private static void AddInto(double[] target, double[] source, double factor)
        {
            for (int i = 0; i < target.Length; i++)
            {
                target[i] += factor * source[i];
            }
        }

        /// <summary>A standard normal draw (Box–Muller).</summary>
        /// <param name="random">The source of uniform draws.</param>
        /// <returns>The draw.</returns>
        public static double Gaussian(Random random)
        {
            ArgumentNullException.ThrowIfNull(random);
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }

    /// <summary>Buffers for one forward pass of <see cref="SpiralNet.Predict"/>; one per thread.</summary>
    public sealed class Scratch
    {
        /// <summary>Buffers for a network with <paramref name="hidden"/> hidden units.</summary>
        /// <param name="hidden">The hidden layer's width.</param>
        public Scratch(int hidden)
        {
            Hidden = new double[hidden];
        }

        /// <summary>The input point.</summary>
        public double[] Point { get; } = new double[SpiralNet.Inputs];

        /// <summary>The hidden layer.</summary>
        public double[] Hidden { get; }

        /// <summary>The class scores.</summary>
        public double[] Logits { get; } = new double[SpiralNet.Classes];
    }
}
