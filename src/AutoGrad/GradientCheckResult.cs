using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AutoGrad
{
    /// <summary>
    /// What <see cref="GradientCheck.Check(Func{double, double}, GradientCheck.Backward1, double)"/> found: per
    /// component the analytic gradient, the finite-difference estimate and their relative error
    /// <c>|a - n| / max(|a| + |n|, 1e-8)</c>, and the worst component.
    /// </summary>
    public sealed class GradientCheckResult
    {
        private readonly string[] _names;
        private readonly double[] _analytic;
        private readonly double[] _numerical;
        private readonly double[] _errors;

        internal GradientCheckResult(double value, string[] names, double[] analytic, double[] numerical, double tolerance)
        {
            Value = value;
            _names = names;
            _analytic = analytic;
            _numerical = numerical;
            _errors = new double[analytic.Length];
            Tolerance = tolerance;
            WorstIndex = -1;
            MaxRelativeError = 0;
            for (int i = 0; i < analytic.Length; i++)
            {
                double error = GradientCheck.RelativeError(analytic[i], numerical[i]);
                // A NaN or infinite gradient is as wrong as it gets.
                _errors[i] = double.IsNaN(error) || double.IsInfinity(analytic[i]) ? double.PositiveInfinity : error;
                if (WorstIndex < 0 || _errors[i] > MaxRelativeError)
                {
                    WorstIndex = i;
                    MaxRelativeError = _errors[i];
                }
            }
        }

        /// <summary>The value the Backward method returned.</summary>
        public double Value { get; }

        /// <summary>The component names: the method's parameter names, or <c>w[i]</c> for an array parameter <c>w</c>.</summary>
        public IReadOnlyList<string> Names => _names;

        /// <summary>The gradient the Backward method computed.</summary>
        public IReadOnlyList<double> Analytic => _analytic;

        /// <summary>The central finite-difference estimate (<see cref="GradientCheck.Numerical"/>).</summary>
        public IReadOnlyList<double> Numerical => _numerical;

        /// <summary>The relative error of each component (infinite where the analytic gradient is NaN or infinite).</summary>
        public IReadOnlyList<double> RelativeErrors => _errors;

        /// <summary>The index of the component with the largest relative error; -1 when there are none.</summary>
        public int WorstIndex { get; }

        /// <summary>The name of the component with the largest relative error; null when there are none.</summary>
        public string? WorstName => WorstIndex < 0 ? null : _names[WorstIndex];

        /// <summary>The largest relative error; 0 when there are no components.</summary>
        public double MaxRelativeError { get; }

        /// <summary>The largest relative error <see cref="Passed"/> accepts.</summary>
        public double Tolerance { get; }

        /// <summary>True when every component's relative error is at most <see cref="Tolerance"/>.</summary>
        public bool Passed => MaxRelativeError <= Tolerance;

        /// <summary>The same comparison judged against another tolerance.</summary>
        /// <param name="tolerance">The largest relative error to accept.</param>
        /// <returns>A result whose <see cref="Passed"/> uses <paramref name="tolerance"/>.</returns>
        public GradientCheckResult WithTolerance(double tolerance) => new(Value, _names, _analytic, _numerical, tolerance);

        /// <summary>A report: passed or failed, the worst component by name, and a table of all components.</summary>
        /// <returns>Several lines of text.</returns>
        public override string ToString()
        {
            var culture = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.Append("Gradient check ").Append(Passed ? "passed" : "FAILED")
                .Append(" (tolerance ").Append(Tolerance.ToString("G3", culture)).Append(')');
            if (WorstIndex >= 0)
            {
                text.Append(": worst component '").Append(WorstName).Append("' (index ").Append(WorstIndex)
                    .Append("), relative error ").Append(MaxRelativeError.ToString("E2", culture));
            }

            text.AppendLine();
            int width = 4;
            foreach (var name in _names) width = Math.Max(width, name.Length);
            text.Append("  ").Append("name".PadRight(width)).Append("  ").Append("analytic".PadRight(24)).Append("  ")
                .Append("numerical".PadRight(24)).AppendLine("  rel. error");
            for (int i = 0; i < _names.Length; i++)
            {
                text.Append("  ").Append(_names[i].PadRight(width))
                    .Append("  ").Append(_analytic[i].ToString("R", culture).PadRight(24))
                    .Append("  ").Append(_numerical[i].ToString("R", culture).PadRight(24))
                    .Append("  ").Append(_errors[i].ToString("E2", culture))
                    .Append(_errors[i] > Tolerance ? "  <-- exceeds tolerance" : string.Empty)
                    .AppendLine();
            }

            return text.ToString();
        }
    }
}
