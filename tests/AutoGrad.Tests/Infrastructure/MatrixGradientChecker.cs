using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// A <c>[Differentiable]</c> method with matrix parameters (<c>double[,]</c>, <c>float[,]</c>, jagged
/// <c>double[][]</c>) beside arrays and scalars. Arrays pass through reflection as they are, so the method and its
/// Backward are called directly (no wrappers, unlike <see cref="ArrayCase"/>, whose spans need them).
/// </summary>
/// <param name="Sample">The arguments at one random point, in parameter order.</param>
internal sealed record MatrixCase(string Name, string ReturnType, string ParameterList, string Body, Func<Random, object[]> Sample, double? Tolerance = null)
{
    public static MatrixCase Double(string name, string parameters, string body, Func<Random, object[]> sample, double? tolerance = null) =>
        new(name, "double", parameters, body, sample, tolerance);

    public static MatrixCase Float(string name, string parameters, string body, Func<Random, object[]> sample, double? tolerance = null) =>
        new(name, "float", parameters, body, sample, tolerance);

    /// <summary>Other members compiled beside the method, such as the helpers it calls.</summary>
    public string Helpers { get; init; } = string.Empty;

    public IReadOnlyList<ArrayParameter> Parameters { get; } = ParseParameters(ParameterList);

    public string Member() =>
        (Helpers.Length > 0 ? Helpers + "\n\n" : string.Empty) + GradientCase.Declare(ReturnType, Name, ParameterList, Body) + "\n\n" + Wrapper();

    /// <summary>
    /// <c>Name__Backward</c>: the Backward with arrays where it takes spans (reflection cannot pass a span); a
    /// matrix's gradient is a matrix already.
    /// </summary>
    public string Wrapper()
    {
        var inputs = Parameters.Select(p => p.DeclaredType + " " + p.Name).ToList();
        var gradients = Parameters.Where(p => p.Differentiable)
            .Select(p => p.Kind == ArrayParameterKind.FloatingScalar ? "out " + p.ElementKeyword + " " + p.GradientName : p.DeclaredType + " " + p.GradientName)
            .ToList();
        var arguments = Parameters.Select(p => p.Name)
            .Concat(Parameters.Where(p => p.Differentiable).Select(p => (p.Kind == ArrayParameterKind.FloatingScalar ? "out " : string.Empty) + p.GradientName))
            .Append("seed");
        return "public static " + ReturnType + " " + Name + "__Backward(" + string.Join(", ", inputs.Concat(gradients).Append(ReturnType + " seed")) + ")\n"
            + "    => " + Name + "Backward(" + string.Join(", ", arguments) + ");";
    }

    /// <summary>
    /// Parses the parameter list; a matrix or jagged parameter is classified as a floating array with its declared
    /// type kept (<see cref="ArrayParameter.DeclaredType"/>: <c>double[,]</c>, <c>float[][]</c>).
    /// </summary>
    private static IReadOnlyList<ArrayParameter> ParseParameters(string parameters)
    {
        var list = Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseParameterList("(" + parameters + ")");
        var result = new List<ArrayParameter>();
        foreach (var parameter in list.Parameters)
        {
            string type = parameter.Type!.ToString();
            string text = parameter.ToString();
            bool matrix = type.EndsWith("[,]", StringComparison.Ordinal) || type.EndsWith("[][]", StringComparison.Ordinal);
            if (!matrix)
            {
                result.Add(ArrayParameter.Parse(text)[0]);
                continue;
            }

            bool noGrad = parameter.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() == "NoGrad");
            var element = type.StartsWith("float", StringComparison.Ordinal) ? typeof(float) : typeof(double);
            result.Add(new ArrayParameter(parameter.Identifier.ValueText, type, ArrayParameterKind.FloatingArray, element, false, noGrad));
        }

        return result;
    }
}

/// <summary>Random arguments for <see cref="MatrixCase"/>s: matrices, jagged arrays, vectors and scalars of given shapes.</summary>
internal static class MatrixSample
{
    public static double[,] Matrix(Random random, int rows, int columns, double low = -2, double high = 2)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++) m[i, j] = low + ((high - low) * random.NextDouble());
        }

        return m;
    }

    public static float[,] MatrixF(Random random, int rows, int columns, double low = -2, double high = 2)
    {
        var m = Matrix(random, rows, columns, low, high);
        var f = new float[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++) f[i, j] = (float)m[i, j];
        }

        return f;
    }

    public static double[][] Jagged(Random random, params int[] rowLengths) =>
        rowLengths.Select(n => Vector(random, n)).ToArray();

    public static float[][] JaggedF(Random random, params int[] rowLengths) =>
        rowLengths.Select(n => VectorF(random, n)).ToArray();

    public static double[] Vector(Random random, int length, double low = -2, double high = 2) =>
        Enumerable.Range(0, length).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();

    public static float[] VectorF(Random random, int length, double low = -2, double high = 2) =>
        Vector(random, length, low, high).Select(v => (float)v).ToArray();

    public static double Scalar(Random random, double low = -2, double high = 2) => low + ((high - low) * random.NextDouble());
}

/// <summary>Many <see cref="MatrixCase"/>s compiled together through the real generator; each alone if that fails.</summary>
internal sealed class MatrixCaseSet
{
    private readonly string _typeName;
    private readonly Dictionary<string, MatrixCase> _cases;
    private readonly CaseSet _set;
    private readonly Lazy<(LoadedProgram? Program, Exception? Error)> _shared;
    private readonly ConcurrentDictionary<string, LoadedProgram> _single = new(StringComparer.Ordinal);

    public MatrixCaseSet(string typeName, IEnumerable<MatrixCase> cases)
    {
        _typeName = typeName;
        _cases = cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _set = new CaseSet(typeName, _cases.ToDictionary(c => c.Key, c => c.Value.Member()));
        _shared = new Lazy<(LoadedProgram?, Exception?)>(() =>
        {
            try
            {
                return (TestCompiler.CompileAndLoad(_set.Source(_cases.Values.Select(c => c.Member()))), null);
            }
            catch (Exception e)
            {
                return (null, e);
            }
        });
    }

    public MatrixCase Case(string name) => _cases[name];

    /// <summary>The generated Backward of case <paramref name="name"/>.</summary>
    public string Generated(string name) => Program(name).Run.GeneratedFor(name);

    /// <summary>The case's method and its generated Backward, as reflection sees them.</summary>
    public (MatrixCase Case, MethodInfo Method, MethodInfo Backward, Func<string> Describe) Get(string name)
    {
        var program = Program(name);
        var type = program.GetType(CaseSet.Namespace + "." + _typeName);
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var method = type.GetMethod(name, Flags)!;
        var backward = type.GetMethod(name + "__Backward", Flags)!;
        return (_cases[name], method, backward, () => program.Run.Describe(program.Sources, name));
    }

    private LoadedProgram Program(string name)
    {
        var (program, _) = _shared.Value;
        return program ?? _single.GetOrAdd(name, _ => TestCompiler.CompileAndLoad(_set.Source(new[] { _cases[name].Member() })));
    }
}

/// <summary>
/// Checks a generated Backward with matrix parameters: each gradient component (each scalar, each matrix and array
/// element) against central finite differences, the returned primal, scaling by <c>seed</c>, that gradients are
/// added into the caller's buffers, and that a gradient buffer of the wrong shape throws
/// <see cref="ArgumentException"/> naming it before any buffer is written.
/// </summary>
internal static class MatrixGradientChecker
{
    public static void Check(MatrixCaseSet set, string name, int points = 3, int randomSeed = 20261202)
    {
        var (@case, method, backward, describe) = set.Get(name);
        Check(@case, method, backward, describe, points, randomSeed);
    }

    /// <summary>Checks <paramref name="case"/>'s <paramref name="method"/> and its Backward reached through <paramref name="backward"/> (the case's <c>__Backward</c> wrapper).</summary>
    public static void Check(MatrixCase @case, MethodInfo method, MethodInfo backward, Func<string> describe, int points = 3, int randomSeed = 20261202)
    {
        var random = new Random(randomSeed);
        var failures = new StringBuilder();
        object[]? first = null;
        for (int p = 0; p < points; p++)
        {
            var args = @case.Sample(random);
            first ??= args;
            CheckPoint(@case, method, backward, args, failures);
        }

        if (first is not null) CheckWrongShapes(@case, backward, first, failures);
        if (failures.Length > 0) Assert.Fail(failures + describe());
    }

    /// <summary>The settable components of a differentiable argument, in order: a scalar, or each element of an array, matrix or jagged array.</summary>
    private static List<(Func<double> Get, Action<double> Set)> Components(object?[] args, int index)
    {
        var list = new List<(Func<double>, Action<double>)>();
        switch (args[index])
        {
            case Array { Rank: 2 } matrix:
                for (int i = 0; i < matrix.GetLength(0); i++)
                {
                    for (int j = 0; j < matrix.GetLength(1); j++)
                    {
                        int r = i, c = j;
                        list.Add((() => ToDouble(matrix.GetValue(r, c)), v => matrix.SetValue(Like(matrix, v), r, c)));
                    }
                }

                break;
            case Array jagged when jagged.GetType().GetElementType()!.IsArray:
                foreach (Array row in jagged)
                {
                    for (int j = 0; j < row.Length; j++)
                    {
                        int c = j;
                        list.Add((() => ToDouble(row.GetValue(c)), v => row.SetValue(Like(row, v), c)));
                    }
                }

                break;
            case Array vector:
                for (int j = 0; j < vector.Length; j++)
                {
                    int c = j;
                    list.Add((() => ToDouble(vector.GetValue(c)), v => vector.SetValue(Like(vector, v), c)));
                }

                break;
            default:
                bool isFloat = args[index] is float;
                list.Add((() => ToDouble(args[index]), v => args[index] = isFloat ? (object)(float)v : v));
                break;
        }

        return list;
    }

    private static object Like(Array array, double value)
    {
        var element = array.GetType().GetElementType()!;
        while (element.IsArray) element = element.GetElementType()!;
        return element == typeof(float) ? (object)(float)value : value;
    }

    private static double ToDouble(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    /// <summary>A deep copy: arrays (and a jagged array's rows) are cloned.</summary>
    private static object?[] Copy(object?[] args) => args.Select(a => a switch
    {
        Array jagged when jagged.GetType().GetElementType()!.IsArray => (object)jagged.Cast<Array>().Select(r => r.Clone()).ToArray().CastLike(jagged),
        Array array => array.Clone(),
        _ => a,
    }).ToArray();

    private static object CastLike(this object[] rows, Array like)
    {
        var result = Array.CreateInstance(like.GetType().GetElementType()!, rows.Length);
        for (int i = 0; i < rows.Length; i++) result.SetValue(rows[i], i);
        return result;
    }

    /// <summary>A gradient buffer shaped like <paramref name="input"/>, every element <paramref name="fill"/>; <paramref name="reshape"/> changes the shape.</summary>
    private static Array Buffer(Array input, double fill, (int Rows, int Columns)? reshape = null)
    {
        var element = input.GetType().GetElementType()!;
        Array buffer;
        if (input.Rank == 2)
        {
            var (rows, columns) = reshape ?? (input.GetLength(0), input.GetLength(1));
            buffer = Array.CreateInstance(element, rows, columns);
        }
        else if (element.IsArray)
        {
            var rows = input.Cast<Array>().Select(r => r.Length).ToList();
            if (reshape is { } changed) rows = rows.Select((n, i) => i == changed.Rows ? n + changed.Columns : n).ToList();
            buffer = Array.CreateInstance(element, rows.Count);
            for (int i = 0; i < rows.Count; i++) buffer.SetValue(Array.CreateInstance(element.GetElementType()!, rows[i]), i);
        }
        else
        {
            buffer = Array.CreateInstance(element, input.Length + (reshape?.Columns ?? 0));
        }

        var all = new object?[] { buffer };
        foreach (var (_, set) in Components(all, 0)) set(fill);
        return buffer;
    }

    private sealed record Result(double Value, double[][] Gradients, Array?[] Buffers);

    /// <summary>Calls the Backward with fresh buffers (prefilled with <paramref name="prefill"/>) and reads every gradient back.</summary>
    private static Result Invoke(MatrixCase @case, MethodInfo backward, object[] args, double seed, double prefill, int reshapeIndex = -1, (int, int)? reshape = null, Array?[]? buffers = null)
    {
        var parameters = @case.Parameters;
        var call = new List<object?>(args);
        buffers ??= new Array?[parameters.Count];
        var outSlots = new List<int>();
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!parameters[i].Differentiable) continue;
            if (args[i] is Array input)
            {
                buffers[i] = Buffer(input, prefill, i == reshapeIndex ? reshape : null);
                call.Add(buffers[i]);
            }
            else
            {
                outSlots.Add(call.Count);
                call.Add(null);
            }
        }

        call.Add(@case.ReturnType == "float" ? (object)(float)seed : seed);
        var values = call.ToArray();
        double value = ToDouble(backward.Invoke(null, values));
        var gradients = new List<double[]>();
        int outIndex = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!parameters[i].Differentiable) continue;
            gradients.Add(buffers[i] is { } buffer
                ? Components(new object?[] { buffer }, 0).Select(c => c.Get()).ToArray()
                : new[] { ToDouble(values[outSlots[outIndex++]]) });
        }

        return new Result(value, gradients.ToArray(), buffers);
    }

    private static double Primal(MethodInfo method, object?[] args) => ToDouble(method.Invoke(null, Copy(args)));

    private static void CheckPoint(MatrixCase @case, MethodInfo method, MethodInfo backward, object[] args, StringBuilder failures)
    {
        bool usesFloat = @case.ReturnType == "float" || @case.Parameters.Any(p => p.Differentiable && p.IsFloat);
        double tolerance = @case.Tolerance ?? (usesFloat ? ArrayGradientChecker.FloatTolerance : ArrayGradientChecker.DoubleTolerance);
        double exact = usesFloat ? 1e-5 : 1e-12;
        var lines = new StringBuilder();
        double primal = Primal(method, args);
        Result plain, scaled, added;
        try
        {
            plain = Invoke(@case, backward, args, 1.0, 0.0);
            scaled = Invoke(@case, backward, args, 2.5, 0.0);
            added = Invoke(@case, backward, args, 1.0, 1.0);
        }
        catch (TargetInvocationException e)
        {
            failures.Append(@case.Name).Append(": Backward threw ").AppendLine(e.InnerException?.ToString());
            return;
        }

        if (!(GradientCheck.RelativeError(plain.Value, primal) <= (usesFloat ? 1e-6 : 1e-12)))
        {
            lines.Append("  primal: Backward returned ").Append(Format.G(plain.Value)).Append(", the method ").AppendLine(Format.G(primal));
        }

        double absolute = (usesFloat ? 1e-3 : 1e-8) * Math.Max(1.0, Math.Abs(primal));
        int k = -1;
        for (int index = 0; index < @case.Parameters.Count; index++)
        {
            var p = @case.Parameters[index];
            if (!p.Differentiable) continue;
            k++;
            var components = Components(args, index);
            for (int e = 0; e < components.Count; e++)
            {
                var (get, set) = components[e];
                double x = get();
                double h = usesFloat ? 1e-2 * Math.Max(1.0, Math.Abs(x)) : GradientCheck.Step(x);
                set(x + h);
                double xPlus = get();
                double fPlus = Primal(method, args);
                set(x - h);
                double xMinus = get();
                double fMinus = Primal(method, args);
                set(x);
                double numeric = (fPlus - fMinus) / (xPlus - xMinus);
                double analytic = plain.Gradients[k][e];
                var problems = new List<string>();
                double error = GradientCheck.RelativeError(analytic, numeric);
                if (!(double.IsFinite(analytic) && (error < tolerance || Math.Abs(analytic - numeric) < absolute)))
                {
                    problems.Add("WRONG: numeric " + Format.G(numeric) + ", rel.err " + error.ToString("E2", CultureInfo.InvariantCulture));
                }

                if (!(Math.Abs(scaled.Gradients[k][e] - (2.5 * analytic)) <= exact * Math.Max(1.0, Math.Abs(2.5 * analytic))))
                {
                    problems.Add("with seed 2.5 got " + Format.G(scaled.Gradients[k][e]));
                }

                if (args[index] is Array && !(Math.Abs(added.Gradients[k][e] - (analytic + 1.0)) <= exact * Math.Max(1.0, Math.Abs(analytic))))
                {
                    problems.Add("into a buffer prefilled with 1 got " + Format.G(added.Gradients[k][e]) + " (gradients must be added)");
                }

                if (problems.Count > 0)
                {
                    lines.Append("  ").Append(p.GradientName).Append('[').Append(e).Append("] analytic ").Append(Format.G(analytic)).Append(' ').AppendLine(string.Join("; ", problems));
                }
            }
        }

        if (lines.Length > 0) failures.Append(@case.Name).AppendLine(":").Append(lines);
    }

    /// <summary>
    /// For each differentiable matrix, a buffer with one more row and one with one more column (for a jagged array:
    /// its first row one longer, and one row more) must throw ArgumentException naming the buffer, leaving every
    /// buffer as it was.
    /// </summary>
    private static void CheckWrongShapes(MatrixCase @case, MethodInfo backward, object[] args, StringBuilder failures)
    {
        for (int index = 0; index < @case.Parameters.Count; index++)
        {
            var p = @case.Parameters[index];
            if (!p.Differentiable || args[index] is not Array input || (input.Rank != 2 && !input.GetType().GetElementType()!.IsArray)) continue;
            var shapes = input.Rank == 2
                ? new[] { (input.GetLength(0) + 1, input.GetLength(1)), (input.GetLength(0), input.GetLength(1) + 1) }
                : input.Length > 0 ? new[] { (0, 1) } : Array.Empty<(int, int)>();
            foreach (var shape in shapes)
            {
                const double Sentinel = 7.0;
                string problem = string.Empty;
                var buffers = new Array?[@case.Parameters.Count];
                try
                {
                    Invoke(@case, backward, args, 1.0, Sentinel, index, shape, buffers);
                    problem = "did not throw";
                }
                catch (TargetInvocationException e) when (e.InnerException is ArgumentException argument)
                {
                    if (argument.ParamName != p.GradientName) problem = "threw ArgumentException with ParamName '" + argument.ParamName + "'";
                }
                catch (TargetInvocationException e)
                {
                    problem = "threw " + e.InnerException;
                }

                var touched = buffers.Select((b, i) => (b, i))
                    .Where(x => x.b is not null && Components(new object?[] { x.b }, 0).Any(c => c.Get() != Sentinel))
                    .Select(x => @case.Parameters[x.i].GradientName).ToList();
                if (touched.Count > 0) problem += (problem.Length > 0 ? "; " : string.Empty) + "wrote into " + string.Join(", ", touched);
                if (problem.Length > 0)
                {
                    failures.Append(@case.Name).Append(": with ").Append(p.GradientName).Append(" reshaped by ").Append(shape.ToString())
                        .Append(", Backward ").Append(problem).AppendLine(" (expected ArgumentException, ParamName '" + p.GradientName + "')");
                }
            }
        }
    }
}
