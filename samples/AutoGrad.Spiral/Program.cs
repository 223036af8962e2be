using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Spectre.Console;

namespace AutoGrad.Spiral
{
    /// <summary>
    /// Trains the course's two-layer network on the spiral data set with gradients from generated code,
    /// showing progress, then writes a picture of the decision regions.
    /// </summary>
    public static class Program
    {
        /// <summary>Runs the sample. Arguments: <c>--out FILE.png</c>, <c>--steps N</c>, <c>--hidden H</c>, <c>--chunks C</c> (parallel tasks; one per core by default).</summary>
        /// <param name="args">The command line.</param>
        /// <returns>0 on success; 1 if the gradient check fails or the accuracy is below 97%; 2 for bad arguments.</returns>
        public static int Main(string[] args)
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            string output = "spiral.png";
            var options = new TrainingOptions();
            // Every option takes a value: --out a path, the others a positive count.
            for (int i = 0; i < args.Length; i += 2)
            {
                string? value = i + 1 < args.Length ? args[i + 1] : null;
                int count = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 0;
                switch (args[i])
                {
                    case "--out" when value is not null: output = value; break;
                    case "--steps" when count > 0: options = options with { Steps = count }; break;
                    case "--hidden" when count > 0: options = options with { Hidden = count }; break;
                    case "--chunks" when count > 0: options = options with { Chunks = count }; break;
                    default:
                        Console.Error.WriteLine("usage: AutoGrad.Spiral [--out FILE.png] [--steps N] [--hidden H] [--chunks C]");
                        return 2;
                }
            }

            var data = SpiralData.Generate();
            AnsiConsole.MarkupLine($"[bold]Spiral[/]: {data.Count} points in {SpiralNet.Classes} arms");
            AnsiConsole.MarkupLine(
                $"Network 2 → {options.Hidden} ReLU → {SpiralNet.Classes}, softmax cross-entropy + L2 {options.Regularization}");
            AnsiConsole.MarkupLine($"{options.Steps} full-batch gradient descent steps of size {options.LearningRate}");

            var check = Trainer.CheckGradient(data, options.Hidden, options.Regularization).WithTolerance(Trainer.GradientTolerance);
            AnsiConsole.MarkupLine(
                $"Gradient check of LossBackward ({data.Subset(10).Count} points, {check.Analytic.Count} parameters): " +
                (check.Passed ? "[green]passed[/]" : "[red]FAILED[/]"));
            AnsiConsole.MarkupLine(
                $"  worst relative error {check.MaxRelativeError:E2} at {Markup.Escape(check.WorstName ?? "-")} (tolerance {check.Tolerance:G3})");
            if (!check.Passed)
            {
                Console.WriteLine(check.ToString());
                return 1;
            }

            var trainer = new Trainer(data, options);
            AnsiConsole.MarkupLine($"Training: the batch in {trainer.Chunks} chunk(s), in parallel on {Environment.ProcessorCount} core(s)");
            var clock = Stopwatch.StartNew();
            TrainingProgress final = default;
            AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Describe(new TrainingProgress(0, options.Steps, double.NaN, 0)), maxValue: options.Steps);
                    final = trainer.Train(progress =>
                    {
                        task.Description = Describe(progress);
                        task.Value = progress.Step;
                    });
                });
            clock.Stop();

            var path = Path.GetFullPath(output);
            DecisionPlot.Save(trainer.Model, data, path, $"Two-layer net, {options.Hidden} hidden units: training accuracy {100 * final.Accuracy:F1}%");

            var table = new Table().AddColumns("", "");
            table.HideHeaders();
            table.AddRow("final loss", final.Loss.ToString("F4", CultureInfo.InvariantCulture));
            table.AddRow("training accuracy", $"[bold]{100 * final.Accuracy:F1}%[/]");
            table.AddRow("training time", $"{clock.Elapsed.TotalSeconds:F1} s");
            table.AddRow("decision regions", Markup.Escape(path));
            AnsiConsole.Write(table);
            // The plain line, for scripts and logs.
            Console.WriteLine($"training accuracy: {100 * final.Accuracy:F1}%");
            Console.WriteLine($"decision regions written to {path}");
            return final.Accuracy >= 0.97 ? 0 : 1;
        }

        private static string Describe(TrainingProgress p) =>
            double.IsNaN(p.Loss)
                ? $"step {p.Step,5}/{p.Steps}"
                : $"step {p.Step,5}/{p.Steps}  loss {p.Loss:F4}  accuracy {100 * p.Accuracy,5:F1}%";
    }
}
