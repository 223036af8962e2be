using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// Where to sample a method's arguments: a range per floating-point parameter (a default range for those not
/// named), fixed values for integer, bool (required) or any other parameter, and an optional filter that
/// rejects points near kinks (ties of Max/Min/Abs, branch boundaries).
/// </summary>
internal sealed class Domain
{
    private readonly Dictionary<string, (double Low, double High)> _ranges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _fixed = new(StringComparer.Ordinal);
    private readonly List<Func<Dictionary<string, double>, bool>> _filters = new();

    public Domain(double low = -2, double high = 2)
    {
        DefaultRange = (low, high);
    }

    public (double Low, double High) DefaultRange { get; }

    public Domain Range(string name, double low, double high)
    {
        _ranges[name] = (low, high);
        return this;
    }

    public Domain Fix(string name, object value)
    {
        _fixed[name] = value;
        return this;
    }

    /// <summary>Keeps only points where <paramref name="accept"/> (given the floating-point values by name) is true.</summary>
    public Domain Where(Func<Dictionary<string, double>, bool> accept)
    {
        _filters.Add(accept);
        return this;
    }

    /// <summary>A random point for <paramref name="method"/>, as arguments of the parameters' types.</summary>
    public object?[] Sample(DifferentiableMethod method, Random random)
    {
        for (int attempt = 0; attempt < 10000; attempt++)
        {
            var values = new object?[method.Parameters.Count];
            var named = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int i = 0; i < values.Length; i++)
            {
                var parameter = method.Parameters[i];
                string name = parameter.Name!;
                if (_fixed.TryGetValue(name, out var value))
                {
                    values[i] = method.ConvertArgument(i, value);
                }
                else if (parameter.ParameterType == typeof(double) || parameter.ParameterType == typeof(float))
                {
                    var (low, high) = _ranges.TryGetValue(name, out var range) ? range : DefaultRange;
                    values[i] = method.ConvertArgument(i, low + (random.NextDouble() * (high - low)));
                }
                else
                {
                    throw new InvalidOperationException("Parameter '" + name + "' of " + method.Name + " is " + parameter.ParameterType.Name + ": give it a fixed value with Domain.Fix");
                }

                if (values[i] is double d) named[name] = d;
                else if (values[i] is float f) named[name] = f;
            }

            if (_filters.All(accept => accept(named))) return values;
        }

        throw new InvalidOperationException("Domain filter rejected 10000 points for " + method.Name);
    }
}

/// <summary>
/// Checks a generated Backward against central finite differences of the original method, its returned
/// primal against the original's value, and the scaling of every gradient by <c>seed</c>.
/// </summary>
internal static class GradientChecker
{
    /// <summary>Relative tolerance for double methods (see ad-design-notes §6).</summary>
    public const double DoubleTolerance = 1e-6;

    /// <summary>Relative tolerance for float methods, whose finite differences use a larger step.</summary>
    public const double FloatTolerance = 2e-2;

    /// <summary>Checks a <see cref="GradientCase"/> of a compiled <see cref="CaseSet"/>.</summary>
    public static void Check(CaseSet set, GradientCase gradientCase, int points = 5) =>
        Check(set.Get(gradientCase.Name), gradientCase.Domain, points, tolerance: gradientCase.Tolerance, step: gradientCase.Step);

    /// <summary>Checks <paramref name="points"/> random points drawn from <paramref name="domain"/> with a seeded Random.</summary>
    public static void Check(DifferentiableMethod method, Domain domain, int points = 5, int randomSeed = 20261125, double? tolerance = null, double? step = null)
    {
        var random = new Random(randomSeed);
        var failures = new StringBuilder();
        for (int p = 0; p < points; p++)
        {
            var args = domain.Sample(method, random);
            CheckPoint(method, args, failures, tolerance, step);
        }

        if (failures.Length > 0) Assert.Fail(failures + method.Describe());
    }

    /// <summary>Checks one explicit point, given as values convertible to the parameters' types.</summary>
    public static void CheckAt(DifferentiableMethod method, params object[] values)
    {
        CheckAtWithTolerance(method, null, values);
    }

    /// <summary>Checks one explicit point with a given relative tolerance.</summary>
    public static void CheckAtWithTolerance(DifferentiableMethod method, double? tolerance, params object[] values)
    {
        var failures = new StringBuilder();
        CheckPoint(method, method.Arguments(values), failures, tolerance);
        if (failures.Length > 0) Assert.Fail(failures + method.Describe());
    }

    /// <summary>The finite-difference gradient of <paramref name="method"/> at <paramref name="args"/>, one entry per differentiable parameter.</summary>
    public static double[] Numerical(DifferentiableMethod method, object?[] args, double? step = null)
    {
        var indices = method.DifferentiableIndices;
        var point = indices.Select(i => Convert.ToDouble(args[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (!method.UsesFloat && step is null)
        {
            return GradientCheck.Numerical(x => method.Invoke(With(args, indices, x, method)), point);
        }

        // Float methods: a step of 1e-2·max(1,|x|) (or the caller's), divided by the step actually taken after
        // rounding to the parameter's type.
        double scale = step ?? 1e-2;
        var gradient = new double[point.Length];
        for (int k = 0; k < point.Length; k++)
        {
            double h = scale * Math.Max(1.0, Math.Abs(point[k]));
            var plus = (double[])point.Clone();
            var minus = (double[])point.Clone();
            bool single = method.Parameters[indices[k]].ParameterType == typeof(float);
            plus[k] = single ? (float)(point[k] + h) : point[k] + h;
            minus[k] = single ? (float)(point[k] - h) : point[k] - h;
            gradient[k] = (method.Invoke(With(args, indices, plus, method)) - method.Invoke(With(args, indices, minus, method))) / (plus[k] - minus[k]);
        }

        return gradient;
    }

    private static object?[] With(object?[] args, IReadOnlyList<int> indices, double[] values, DifferentiableMethod method)
    {
        var copy = (object?[])args.Clone();
        for (int k = 0; k < indices.Count; k++)
        {
            copy[indices[k]] = method.ConvertArgument(indices[k], values[k]);
        }

        return copy;
    }

    private static void CheckPoint(DifferentiableMethod method, object?[] args, StringBuilder failures, double? toleranceOverride = null, double? step = null)
    {
        double tolerance = toleranceOverride ?? (method.UsesFloat ? FloatTolerance : DoubleTolerance);
        double primal = method.Invoke(args);
        BackwardResult backward;
        BackwardResult scaled;
        try
        {
            backward = method.InvokeBackward(args, 1.0);
            scaled = method.InvokeBackward(args, 2.5);
        }
        catch (System.Reflection.TargetInvocationException e)
        {
            failures.Append("At ").Append(DescribePoint(method, args)).Append(": Backward threw ").AppendLine(e.InnerException?.ToString());
            return;
        }

        var numerical = Numerical(method, args, step);
        var lines = new StringBuilder();
        bool failed = false;

        // The returned primal is the original's value (up to a rounding from re-association).
        double primalTolerance = method.IsFloat ? 1e-6 : 1e-12;
        if (!(RelativeError(backward.Value, primal) <= primalTolerance) || !(RelativeError(scaled.Value, primal) <= primalTolerance))
        {
            failed = true;
            lines.Append("  primal: Backward returned ").Append(Format.G(backward.Value)).Append(" (seed 2.5: ")
                .Append(Format.G(scaled.Value)).Append("), the method returns ").AppendLine(Format.G(primal));
        }

        // Round-off in a central difference is about eps·|f|/h; below that an absolute error is accepted.
        double absoluteTolerance = (method.UsesFloat || step is not null ? 1e-3 : 1e-8) * Math.Max(1.0, Math.Abs(primal));
        for (int k = 0; k < numerical.Length; k++)
        {
            string name = method.Parameters[method.DifferentiableIndices[k]].Name!;
            double a = backward.Gradients[k];
            double n = numerical[k];
            double error = RelativeError(a, n);
            bool ok = double.IsFinite(a) && (error < tolerance || Math.Abs(a - n) < absoluteTolerance);
            double scaledError = RelativeError(scaled.Gradients[k], 2.5 * a);
            // Float intermediates (float methods, or casts in a double method) round the scaled adjoints to float.
            bool seedOk = scaledError <= (method.UsesFloat || toleranceOverride is not null ? 1e-5 : 1e-12);
            lines.Append("  ").Append(DifferentiableMethod.GradientName(name).PadRight(10))
                .Append(" analytic ").Append(Format.G(a).PadRight(24))
                .Append(" numeric ").Append(Format.G(n).PadRight(24))
                .Append(" rel.err ").Append(error.ToString("E2", System.Globalization.CultureInfo.InvariantCulture))
                .Append(ok ? string.Empty : "  <-- WRONG (tolerance " + tolerance.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")")
                .Append(seedOk ? string.Empty : "  <-- with seed 2.5 got " + Format.G(scaled.Gradients[k]) + ", expected " + Format.G(2.5 * a))
                .AppendLine();
            failed |= !ok || !seedOk;
        }

        if (failed)
        {
            failures.Append(method.Name).Append(" at ").Append(DescribePoint(method, args)).AppendLine(":").Append(lines);
        }
    }

    public static string DescribePoint(DifferentiableMethod method, object?[] args) =>
        "(" + string.Join(", ", method.Parameters.Select((p, i) => p.Name + " = " + Format.G(args[i]))) + ")";

    private static double RelativeError(double a, double b) => GradientCheck.RelativeError(a, b);
}
