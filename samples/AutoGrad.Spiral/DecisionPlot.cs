using System;
using System.Threading.Tasks;
using ScottPlot;

namespace AutoGrad.Spiral
{
    /// <summary>Draws the classifier's decision regions with the training points on top, through ScottPlot.</summary>
    public static class DecisionPlot
    {
        private static readonly Color[] Points = { Color.FromHex("#1f77b4"), Color.FromHex("#d62728"), Color.FromHex("#2ca02c") };
        private static readonly Color[] Regions = { Color.FromHex("#b9d3ea"), Color.FromHex("#f1b9b9"), Color.FromHex("#bfe3bf") };

        /// <summary>Classifies a grid of points covering the data and writes the picture to <paramref name="path"/>.</summary>
        /// <param name="model">The trained parameters.</param>
        /// <param name="data">The training points.</param>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="title">The plot's title.</param>
        /// <param name="resolution">Grid cells along each axis.</param>
        public static void Save(Parameters model, SpiralData data, string path, string title, int resolution = 500)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(data);
            // The regions reach past the axes' limits, which square units may widen.
            const double min = -1.5, max = 1.5, view = 1.1;
            double cell = (max - min) / resolution;

            // Row 0 is the top of the heatmap: the largest y.
            var classes = new double[resolution, resolution];
            Parallel.For(0, resolution, () => new Scratch(model.Hidden), (row, _, scratch) =>
            {
                double y = max - (row + 0.5) * cell;
                for (int col = 0; col < resolution; col++)
                {
                    double x = min + (col + 0.5) * cell;
                    classes[row, col] = SpiralNet.Predict(model, x, y, scratch);
                }

                return scratch;
            }, _ => { });

            using var plot = new Plot();
            var regions = plot.Add.Heatmap(classes);
            regions.Colormap = new ScottPlot.Colormaps.CustomPalette(Regions);
            regions.ManualRange = new ScottPlot.Range(0, Regions.Length - 1);
            regions.Rectangle = new CoordinateRect(min, max, min, max);

            for (int c = 0; c < SpiralNet.Classes; c++)
            {
                int count = 0;
                for (int i = 0; i < data.Count; i++) if (data.Labels[i] == c) count++;
                var xs = new double[count];
                var ys = new double[count];
                int k = 0;
                for (int i = 0; i < data.Count; i++)
                {
                    if (data.Labels[i] != c) continue;
                    xs[k] = data.X[2 * i];
                    ys[k] = data.X[2 * i + 1];
                    k++;
                }

                var points = plot.Add.ScatterPoints(xs, ys, Points[c]);
                points.MarkerSize = 7;
                points.LegendText = "class " + c;
            }

            plot.Axes.SetLimits(-view, view, -view, view);
            plot.Legend.Alignment = Alignment.LowerLeft;
            plot.Axes.SquareUnits();
            plot.Title(title);
            plot.SavePng(path, 700, 700);
        }
    }
}
