using System;
using System.Buffers;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>The <c>lstm</c> API the GradBench tool calls: the objective, the generated and the hand-written gradient.</summary>
    public static partial class Lstm
    {
        /// <summary>GradBench's <c>objective</c>.</summary>
        public static double Objective(LstmInput input) =>
            Loss(input.MainParams, input.ExtraParams, input.State, input.Sequence, input.L, input.C, input.B);

        /// <summary>
        /// GradBench's <c>jacobian</c> from the generated <c>LossBackward</c>: <c>[8·l·b + 3·b]</c>, the main
        /// parameters row by row, then the extra parameters.
        /// </summary>
        public static double[] Gradient(LstmInput input)
        {
            var gradient = new double[8 * input.L * input.B + 3 * input.B];
            Gradient(input, gradient);
            return gradient;
        }

        /// <summary>The generated gradient into <paramref name="gradient"/> (cleared first); returns the objective.</summary>
        public static double Gradient(LstmInput input, double[] gradient)
        {
            Array.Clear(gradient);
            int mainLength = input.MainParams.Length;
            return LossBackward(input.MainParams, input.ExtraParams, input.State, input.Sequence, input.L, input.C, input.B,
                gradient.AsSpan(0, mainLength), gradient.AsSpan(mainLength));
        }

        /// <summary>GradBench's <c>jacobian</c>, hand-written (same layout as <see cref="Gradient(LstmInput)"/>).</summary>
        public static double[] HandGradient(LstmInput input)
        {
            var gradient = new double[8 * input.L * input.B + 3 * input.B];
            HandGradient(input, gradient);
            return gradient;
        }

        // What the hand-written forward pass keeps per step, layer and bit, side by side.
        private const int Forget = 0, Ingate = 1, Outgate = 2, Change = 3, Cell = 4, TanhCell = 5, Saved = 6;

        /// <summary>
        /// The hand-written gradient into <paramref name="gradient"/> (overwritten); returns the objective. The
        /// forward pass keeps each step's gates and new cell state (one pooled array); the reverse pass walks the
        /// steps last first, carrying the hidden and cell states' gradients, and the layers top down. A layer's
        /// input and old state are read back from the neighbouring records.
        /// </summary>
        public static double HandGradient(LstmInput input, double[] gradient)
        {
            int l = input.L, c = input.C, b = input.B;
            double[] main = input.MainParams, extra = input.ExtraParams, sequence = input.Sequence, state = input.State;
            Array.Clear(gradient);
            int steps = c - 1;
            int recordsPerStep = l * b * Saved;
            double[] saved = ArrayPool<double>.Shared.Rent(steps * recordsPerStep);
            double[] ys = ArrayPool<double>.Shared.Rent(steps * b + steps);
            try
            {
                double total = 0;
                for (int t = 0; t < steps; t++)
                {
                    for (int layer = 0; layer < l; layer++)
                    {
                        int w = 8 * b * layer, bias = w + 4 * b;
                        for (int j = 0; j < b; j++)
                        {
                            int at = ((t * l + layer) * b + j) * Saved;
                            double x = LayerInput(saved, sequence, extra, t, layer, j, l, b);
                            double h = t == 0 ? state[2 * layer * b + j] : Hidden(saved, at - recordsPerStep);
                            double cOld = t == 0 ? state[2 * layer * b + b + j] : saved[at - recordsPerStep + Cell];
                            double f = 1.0 / (1.0 + Math.Exp(-(x * main[w + j] + main[bias + j])));
                            double i = 1.0 / (1.0 + Math.Exp(-(h * main[w + b + j] + main[bias + b + j])));
                            double o = 1.0 / (1.0 + Math.Exp(-(x * main[w + 2 * b + j] + main[bias + 2 * b + j])));
                            double ch = Math.Tanh(h * main[w + 3 * b + j] + main[bias + 3 * b + j]);
                            double cNew = cOld * f + i * ch;
                            saved[at + Forget] = f;
                            saved[at + Ingate] = i;
                            saved[at + Outgate] = o;
                            saved[at + Change] = ch;
                            saved[at + Cell] = cNew;
                            saved[at + TanhCell] = Math.Tanh(cNew);
                        }
                    }

                    double sum = 0;
                    int top = (t * l + l - 1) * b * Saved;
                    for (int j = 0; j < b; j++)
                    {
                        double y = Hidden(saved, top + j * Saved) * extra[b + j] + extra[2 * b + j];
                        ys[t * b + j] = y;
                        sum += Math.Exp(y);
                    }

                    double lse = Math.Log(sum + 2);
                    ys[steps * b + t] = lse;
                    for (int j = 0; j < b; j++)
                    {
                        total += sequence[(t + 1) * b + j] * (ys[t * b + j] - lse);
                    }
                }

                int count = steps * b;
                double dTotal = -1.0 / count;
                int extraAt = 8 * l * b;
                Span<double> dHidden = l * b <= 256 ? stackalloc double[l * b] : new double[l * b];
                Span<double> dCell = l * b <= 256 ? stackalloc double[l * b] : new double[l * b];
                dHidden.Clear();
                dCell.Clear();
                for (int t = steps - 1; t >= 0; t--)
                {
                    // total += Σ g (y − lse): dy = dTotal (g − (Σ g) exp(y − lse)).
                    double goldSum = 0;
                    for (int j = 0; j < b; j++) goldSum += sequence[(t + 1) * b + j];
                    int top = (t * l + l - 1) * b * Saved;
                    double lse = ys[steps * b + t];
                    for (int j = 0; j < b; j++)
                    {
                        double dy = dTotal * (sequence[(t + 1) * b + j] - goldSum * Math.Exp(ys[t * b + j] - lse));
                        gradient[extraAt + b + j] += dy * Hidden(saved, top + j * Saved);
                        gradient[extraAt + 2 * b + j] += dy;
                        dHidden[(l - 1) * b + j] += dy * extra[b + j];
                    }

                    for (int layer = l - 1; layer >= 0; layer--)
                    {
                        int w = 8 * b * layer, bias = w + 4 * b;
                        for (int j = 0; j < b; j++)
                        {
                            int s = layer * b + j;
                            int at = ((t * l + layer) * b + j) * Saved;
                            double f = saved[at + Forget], i = saved[at + Ingate], o = saved[at + Outgate];
                            double ch = saved[at + Change], tc = saved[at + TanhCell];
                            double x = LayerInput(saved, sequence, extra, t, layer, j, l, b);
                            double h = t == 0 ? state[2 * layer * b + j] : Hidden(saved, at - recordsPerStep);
                            double cOld = t == 0 ? state[2 * layer * b + b + j] : saved[at - recordsPerStep + Cell];
                            double dh = dHidden[s];
                            double dC = dCell[s] + dh * o * (1 - tc * tc);
                            double dzf = dC * cOld * f * (1 - f);
                            double dzi = dC * ch * i * (1 - i);
                            double dzo = dh * tc * o * (1 - o);
                            double dzc = dC * i * (1 - ch * ch);
                            gradient[w + j] += dzf * x;
                            gradient[bias + j] += dzf;
                            gradient[w + b + j] += dzi * h;
                            gradient[bias + b + j] += dzi;
                            gradient[w + 2 * b + j] += dzo * x;
                            gradient[bias + 2 * b + j] += dzo;
                            gradient[w + 3 * b + j] += dzc * h;
                            gradient[bias + 3 * b + j] += dzc;
                            dCell[s] = dC * f;
                            dHidden[s] = dzi * main[w + b + j] + dzc * main[w + 3 * b + j];
                            double dx = dzf * main[w + j] + dzo * main[w + 2 * b + j];
                            if (layer > 0)
                            {
                                dHidden[s - b] += dx;
                            }
                            else
                            {
                                gradient[extraAt + j] += dx * sequence[t * b + j];
                            }
                        }
                    }
                }

                return -total / count;
            }
            finally
            {
                ArrayPool<double>.Shared.Return(saved);
                ArrayPool<double>.Shared.Return(ys);
            }
        }

        /// <summary>The new hidden state <c>o · tanh(cell)</c> of the record at <paramref name="at"/>.</summary>
        private static double Hidden(double[] saved, int at) => saved[at + Outgate] * saved[at + TanhCell];

        /// <summary>Layer <paramref name="layer"/>'s input at step <paramref name="t"/>: the scaled character, or the new hidden state below.</summary>
        private static double LayerInput(double[] saved, double[] sequence, double[] extra, int t, int layer, int j, int l, int b) =>
            layer == 0 ? sequence[t * b + j] * extra[j] : Hidden(saved, ((t * l + layer - 1) * b + j) * Saved);
    }
}
