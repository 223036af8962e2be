using System;

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

        /// <summary>
        /// The hand-written gradient into <paramref name="gradient"/> (overwritten); returns the objective. The
        /// forward pass keeps each step's gates, inputs and old state; the reverse pass walks the steps last first,
        /// carrying the hidden and cell states' gradients, and the layers top down.
        /// </summary>
        public static double HandGradient(LstmInput input, double[] gradient)
        {
            int l = input.L, c = input.C, b = input.B;
            double[] main = input.MainParams, extra = input.ExtraParams, sequence = input.Sequence;
            Array.Clear(gradient);
            int steps = c - 1;
            int size = steps * l * b;
            var xs = new double[size];
            var hs = new double[size];
            var cs = new double[size];
            var fs = new double[size];
            var ins = new double[size];
            var os = new double[size];
            var chs = new double[size];
            var tcs = new double[size];
            var ys = new double[steps * b];
            var lses = new double[steps];

            var hidden = new double[l * b];
            var cell = new double[l * b];
            for (int layer = 0; layer < l; layer++)
            {
                Array.Copy(input.State, 2 * layer * b, hidden, layer * b, b);
                Array.Copy(input.State, 2 * layer * b + b, cell, layer * b, b);
            }

            double total = 0;
            for (int t = 0; t < steps; t++)
            {
                for (int layer = 0; layer < l; layer++)
                {
                    int w = 8 * b * layer, bias = w + 4 * b;
                    int at = (t * l + layer) * b;
                    for (int j = 0; j < b; j++)
                    {
                        double x = layer == 0 ? sequence[t * b + j] * extra[j] : hidden[(layer - 1) * b + j];
                        double h = hidden[layer * b + j];
                        double cOld = cell[layer * b + j];
                        double f = 1.0 / (1.0 + Math.Exp(-(x * main[w + j] + main[bias + j])));
                        double i = 1.0 / (1.0 + Math.Exp(-(h * main[w + b + j] + main[bias + b + j])));
                        double o = 1.0 / (1.0 + Math.Exp(-(x * main[w + 2 * b + j] + main[bias + 2 * b + j])));
                        double ch = Math.Tanh(h * main[w + 3 * b + j] + main[bias + 3 * b + j]);
                        double cNew = cOld * f + i * ch;
                        double tc = Math.Tanh(cNew);
                        xs[at + j] = x;
                        hs[at + j] = h;
                        cs[at + j] = cOld;
                        fs[at + j] = f;
                        ins[at + j] = i;
                        os[at + j] = o;
                        chs[at + j] = ch;
                        tcs[at + j] = tc;
                        cell[layer * b + j] = cNew;
                        hidden[layer * b + j] = o * tc;
                    }
                }

                double sum = 0;
                for (int j = 0; j < b; j++)
                {
                    double y = hidden[(l - 1) * b + j] * extra[b + j] + extra[2 * b + j];
                    ys[t * b + j] = y;
                    sum += Math.Exp(y);
                }

                double lse = Math.Log(sum + 2);
                lses[t] = lse;
                for (int j = 0; j < b; j++)
                {
                    total += sequence[(t + 1) * b + j] * (ys[t * b + j] - lse);
                }
            }

            int count = steps * b;
            double dTotal = -1.0 / count;
            int extraAt = 8 * l * b;
            var dHidden = new double[l * b];
            var dCell = new double[l * b];
            for (int t = steps - 1; t >= 0; t--)
            {
                // total += Σ g (y − lse): dy = dTotal (g − (Σ g) exp(y − lse)).
                double goldSum = 0;
                for (int j = 0; j < b; j++) goldSum += sequence[(t + 1) * b + j];
                int top = (t * l + l - 1) * b;
                for (int j = 0; j < b; j++)
                {
                    double dy = dTotal * (sequence[(t + 1) * b + j] - goldSum * Math.Exp(ys[t * b + j] - lses[t]));
                    double hTop = os[top + j] * tcs[top + j];
                    gradient[extraAt + b + j] += dy * hTop;
                    gradient[extraAt + 2 * b + j] += dy;
                    dHidden[(l - 1) * b + j] += dy * extra[b + j];
                }

                for (int layer = l - 1; layer >= 0; layer--)
                {
                    int w = 8 * b * layer, bias = w + 4 * b;
                    int at = (t * l + layer) * b;
                    for (int j = 0; j < b; j++)
                    {
                        int s = layer * b + j;
                        double f = fs[at + j], i = ins[at + j], o = os[at + j], ch = chs[at + j], tc = tcs[at + j];
                        double x = xs[at + j], h = hs[at + j];
                        double dh = dHidden[s];
                        double dC = dCell[s] + dh * o * (1 - tc * tc);
                        double dzf = dC * cs[at + j] * f * (1 - f);
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
    }
}
