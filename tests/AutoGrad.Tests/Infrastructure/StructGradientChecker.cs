using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// One <c>[Differentiable]</c> method with struct parameters (parameter bundles) to check. <see cref="Member"/> is
/// its whole declaration; <see cref="Types"/> holds declarations placed next to the containing class (top-level
/// structs); <see cref="Fixed"/> gives integer and bool parameters their values; arrays get
/// <see cref="ArrayLength"/> random elements and must be <c>[NoGrad]</c> (a span gradient cannot be passed by
/// reflection).
/// </summary>
internal sealed record StructCase(string Name, string Member, double Low = -1.5, double High = 1.5)
{
    public string Types { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, object> Fixed { get; init; } = new Dictionary<string, object>();

    public int ArrayLength { get; init; } = 5;

    /// <summary>Keeps only points where this holds for the arguments (null: every point).</summary>
    public Func<object?[], bool>? Accept { get; init; }
}

/// <summary>
/// Compiles <see cref="StructCase"/>s together and checks each generated Backward against central finite
/// differences: every double or float leaf of every differentiable struct parameter (nested structs included)
/// and every differentiable scalar is perturbed; the gradient structs are read back field by field by reflection.
/// Also checks that each <c>out</c> gradient has its parameter's type, the primal value, and the seed's scaling.
/// </summary>
internal sealed class StructCaseSet
{
    public const string TypeName = "StructCases";

    private readonly Dictionary<string, StructCase> _cases;
    private readonly Lazy<LoadedProgram> _program;

    public StructCaseSet(IEnumerable<StructCase> cases)
    {
        _cases = cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _program = new Lazy<LoadedProgram>(() => TestCompiler.CompileAndLoad(Source(_cases.Values)));
    }

    /// <summary>The source of one file: the cases' own types, then the cases in one partial class.</summary>
    public static string Source(IEnumerable<StructCase> cases)
    {
        var list = cases.ToList();
        var builder = new StringBuilder();
        builder.AppendLine("using System;");
        builder.AppendLine("using System.Numerics;");
        builder.AppendLine("using AutoGrad;");
        builder.AppendLine();
        foreach (var types in list.Select(c => c.Types).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)) builder.AppendLine(types);
        builder.Append("public static partial class ").AppendLine(TypeName);
        builder.AppendLine("{");
        foreach (var c in list)
        {
            foreach (var line in c.Member.Replace("\r\n", "\n").Trim('\n').Split('\n')) builder.Append("    ").AppendLine(line);
            builder.AppendLine();
        }

        builder.AppendLine("}");
        return builder.ToString();
    }

    /// <summary>Checks <paramref name="points"/> random points of case <paramref name="name"/>.</summary>
    public void Check(string name, int points = 5)
    {
        var program = _program.Value;
        Check(program.GetType(TypeName), _cases[name], () => program.Run.Describe(program.Sources, name), points);
    }

    /// <summary>
    /// Checks the method <paramref name="c"/> names (a struct case, or any method with struct parameters whose
    /// sampling <paramref name="c"/> describes) in <paramref name="type"/> at <paramref name="points"/> random points.
    /// </summary>
    public static void Check(Type type, StructCase c, Func<string> describe, int points = 5)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var forward = Assert.Single(type.GetMethods(flags), m => m.Name == c.Name);
        var backward = Assert.Single(type.GetMethods(flags), m => m.Name == c.Name + "Backward" && m.GetParameters().Length > forward.GetParameters().Length);
        var check = new StructPointCheck(forward, backward, describe);
        var random = new Random(20261202);
        var failures = new StringBuilder();
        for (int p = 0; p < points; p++)
        {
            object?[] args;
            int attempts = 0;
            do
            {
                args = forward.GetParameters().Select(parameter => Sample(parameter, c, random)).ToArray();
            }
            while (c.Accept is { } accept && !accept(args) && ++attempts < 10000);

            check.Run(args, failures);
        }

        if (failures.Length > 0) Assert.Fail(failures + check.Describe());
    }

    private static object? Sample(ParameterInfo parameter, StructCase c, Random random)
    {
        var type = parameter.ParameterType;
        if (c.Fixed.TryGetValue(parameter.Name!, out var value)) return Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
        double Next() => c.Low + (random.NextDouble() * (c.High - c.Low));
        if (type == typeof(double)) return Next();
        if (type == typeof(float)) return (float)Next();
        if (type == typeof(double[])) return Enumerable.Range(0, c.ArrayLength).Select(_ => Next()).ToArray();
        if (type == typeof(float[])) return Enumerable.Range(0, c.ArrayLength).Select(_ => (float)Next()).ToArray();
        if (StructLeaves.IsStruct(type))
        {
            object boxed = Activator.CreateInstance(type)!;
            foreach (var leaf in StructLeaves.Of(type)) boxed = leaf.Set(boxed, Next());
            return boxed;
        }

        throw new InvalidOperationException("Parameter '" + parameter.Name + "' is " + type.Name + ": give it a fixed value");
    }
}

/// <summary>A double or float field of a struct, possibly inside nested structs, read and written on a boxed value.</summary>
internal sealed record StructLeaf(string Path, IReadOnlyList<FieldInfo> Fields)
{
    public bool IsFloat => Fields[^1].FieldType == typeof(float);

    public double Get(object boxed)
    {
        object current = boxed;
        foreach (var field in Fields) current = field.GetValue(current)!;
        return Convert.ToDouble(current, CultureInfo.InvariantCulture);
    }

    /// <summary>A copy of <paramref name="boxed"/> with this leaf set to <paramref name="value"/> (rounded to float for a float leaf).</summary>
    public object Set(object boxed, double value) => Set(boxed, 0, value);

    private object Set(object boxed, int depth, double value)
    {
        var field = Fields[depth];
        object copy = boxed;
        object inner = depth == Fields.Count - 1
            ? (field.FieldType == typeof(float) ? (object)(float)value : value)
            : Set(field.GetValue(boxed)!, depth + 1, value);
        field.SetValue(copy, inner);
        return copy;
    }
}

/// <summary>The leaves of struct types, read by reflection (a property's backing field is named after the property).</summary>
internal static class StructLeaves
{
    public static bool IsStruct(Type type) => type.IsValueType && !type.IsPrimitive && !type.IsEnum;

    public static IReadOnlyList<StructLeaf> Of(Type type)
    {
        var leaves = new List<StructLeaf>();
        Collect(type, string.Empty, new List<FieldInfo>(), leaves);
        return leaves;
    }

    private static void Collect(Type type, string prefix, List<FieldInfo> path, List<StructLeaf> leaves)
    {
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.MetadataToken))
        {
            string name = field.Name.StartsWith("<", StringComparison.Ordinal) ? field.Name.Substring(1, field.Name.IndexOf('>') - 1) : field.Name;
            var fields = new List<FieldInfo>(path) { field };
            if (field.FieldType == typeof(double) || field.FieldType == typeof(float))
            {
                leaves.Add(new StructLeaf(prefix + name, fields));
            }
            else if (IsStruct(field.FieldType))
            {
                Collect(field.FieldType, prefix + name + ".", fields, leaves);
            }
            else
            {
                throw new InvalidOperationException("test harness: field " + type.Name + "." + field.Name + " is " + field.FieldType.Name);
            }
        }
    }
}

/// <summary>Checks one method with struct parameters at given points.</summary>
internal sealed class StructPointCheck
{
    private readonly MethodInfo _forward;
    private readonly MethodInfo _backward;
    private readonly ParameterInfo[] _parameters;
    private readonly int[] _differentiable;

    public StructPointCheck(MethodInfo forward, MethodInfo backward, Func<string> describe)
    {
        _forward = forward;
        _backward = backward;
        Describe = describe;
        _parameters = forward.GetParameters();
        _differentiable = Enumerable.Range(0, _parameters.Length).Where(i => IsDifferentiable(_parameters[i])).ToArray();
        CheckSignature();
    }

    public Func<string> Describe { get; }

    private bool IsFloat => _forward.ReturnType == typeof(float);

    private bool UsesFloat => IsFloat || _differentiable.Any(i => _parameters[i].ParameterType is var type
        && (type == typeof(float) || (StructLeaves.IsStruct(type) && StructLeaves.Of(type).Any(leaf => leaf.IsFloat))));

    /// <summary>A double or float parameter, or a struct one, without [NoGrad].</summary>
    private static bool IsDifferentiable(ParameterInfo parameter) =>
        !parameter.IsDefined(typeof(NoGradAttribute), inherit: false)
        && (parameter.ParameterType == typeof(double) || parameter.ParameterType == typeof(float) || StructLeaves.IsStruct(parameter.ParameterType));

    private static bool IsScalar(Type type) => type == typeof(double) || type == typeof(float);

    private void CheckSignature()
    {
        var problems = new StringBuilder();
        var parameters = _backward.GetParameters();
        if (parameters.Length != _parameters.Length + _differentiable.Length + 1) problems.AppendLine("Backward has " + parameters.Length + " parameters");
        else
        {
            for (int k = 0; k < _differentiable.Length; k++)
            {
                var original = _parameters[_differentiable[k]];
                var p = parameters[_parameters.Length + k];
                string name = DifferentiableMethod.GradientName(original.Name!);
                if (!p.IsOut || p.ParameterType != original.ParameterType.MakeByRefType() || p.Name != name)
                {
                    problems.AppendLine("Backward parameter " + p + " should be 'out " + original.ParameterType.Name + " " + name + "'");
                }
            }
        }

        if (problems.Length > 0) Assert.Fail(problems + Describe());
    }

    /// <summary>Every differentiable coordinate: a scalar parameter, or one leaf of a struct parameter, with its name.</summary>
    private List<(int Parameter, StructLeaf? Leaf, string Name)> Layout()
    {
        var layout = new List<(int, StructLeaf?, string)>();
        foreach (int i in _differentiable)
        {
            var type = _parameters[i].ParameterType;
            if (IsScalar(type)) layout.Add((i, null, _parameters[i].Name!));
            else layout.AddRange(StructLeaves.Of(type).Select(leaf => (i, (StructLeaf?)leaf, _parameters[i].Name + "." + leaf.Path)));
        }

        return layout;
    }

    private static double Read(object? value, StructLeaf? leaf) =>
        leaf is null ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : leaf.Get(value!);

    private object?[] With(object?[] args, (int Parameter, StructLeaf? Leaf, string Name) coordinate, double value)
    {
        var copy = (object?[])args.Clone();
        var type = _parameters[coordinate.Parameter].ParameterType;
        copy[coordinate.Parameter] = coordinate.Leaf is { } leaf
            ? leaf.Set(CloneBoxed(copy[coordinate.Parameter]!), value)
            : type == typeof(float) ? (object)(float)value : value;
        return copy;
    }

    /// <summary>A fresh box of a struct value, so that setting a field does not change the caller's box.</summary>
    private static object CloneBoxed(object boxed)
    {
        var method = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return method.Invoke(boxed, null)!;
    }

    private double Invoke(object?[] args) => Convert.ToDouble(_forward.Invoke(null, (object?[])args.Clone()), CultureInfo.InvariantCulture);

    private (double Value, double[] Gradients) InvokeBackward(object?[] args, double seed)
    {
        var all = new object?[_backward.GetParameters().Length];
        for (int i = 0; i < args.Length; i++) all[i] = args[i] is { } a && StructLeaves.IsStruct(a.GetType()) ? CloneBoxed(a) : args[i];
        for (int k = 0; k < _differentiable.Length; k++)
        {
            var type = _parameters[_differentiable[k]].ParameterType;
            all[args.Length + k] = type == typeof(float) ? 0f : type == typeof(double) ? 0.0 : Activator.CreateInstance(type);
        }

        all[^1] = IsFloat ? (object)(float)seed : seed;
        var value = Convert.ToDouble(_backward.Invoke(null, all), CultureInfo.InvariantCulture);
        var layout = Layout();
        var gradients = new double[layout.Count];
        for (int j = 0; j < layout.Count; j++)
        {
            int k = Array.IndexOf(_differentiable, layout[j].Parameter);
            gradients[j] = Read(all[args.Length + k], layout[j].Leaf);
        }

        // The inputs are left as they were.
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is { } a && StructLeaves.IsStruct(a.GetType()) && !a.Equals(all[i])) Assert.Fail("Backward changed its input " + _parameters[i].Name);
        }

        return (value, gradients);
    }

    public void Run(object?[] args, StringBuilder failures)
    {
        double tolerance = UsesFloat ? GradientChecker.FloatTolerance : GradientChecker.DoubleTolerance;
        double primal = Invoke(args);
        (double Value, double[] Gradients) backward, scaled;
        try
        {
            backward = InvokeBackward(args, 1.0);
            scaled = InvokeBackward(args, 2.5);
        }
        catch (TargetInvocationException e)
        {
            failures.Append("Backward threw ").AppendLine(e.InnerException?.ToString());
            return;
        }

        var layout = Layout();
        var lines = new StringBuilder();
        bool failed = false;
        double primalTolerance = IsFloat ? 1e-6 : 1e-12;
        if (!(GradientCheck.RelativeError(backward.Value, primal) <= primalTolerance))
        {
            failed = true;
            lines.Append("  primal: Backward returned ").Append(Format.G(backward.Value)).Append(", the method returns ").AppendLine(Format.G(primal));
        }

        double absoluteTolerance = (UsesFloat ? 1e-3 : 1e-8) * Math.Max(1.0, Math.Abs(primal));
        for (int j = 0; j < layout.Count; j++)
        {
            var coordinate = layout[j];
            double x = Read(args[coordinate.Parameter], coordinate.Leaf);
            bool single = coordinate.Leaf?.IsFloat ?? _parameters[coordinate.Parameter].ParameterType == typeof(float);
            double h = (UsesFloat ? 1e-2 : 1e-6) * Math.Max(1.0, Math.Abs(x));
            double plus = single ? (float)(x + h) : x + h;
            double minus = single ? (float)(x - h) : x - h;
            double numeric = (Invoke(With(args, coordinate, plus)) - Invoke(With(args, coordinate, minus))) / (plus - minus);
            double analytic = backward.Gradients[j];
            double error = GradientCheck.RelativeError(analytic, numeric);
            bool ok = double.IsFinite(analytic) && (error < tolerance || Math.Abs(analytic - numeric) < absoluteTolerance);
            bool seedOk = GradientCheck.RelativeError(scaled.Gradients[j], 2.5 * analytic) <= (UsesFloat ? 1e-5 : 1e-12);
            lines.Append("  d ").Append(coordinate.Name.PadRight(14)).Append(" analytic ").Append(Format.G(analytic).PadRight(24))
                .Append(" numeric ").Append(Format.G(numeric).PadRight(24))
                .Append(ok ? string.Empty : "  <-- WRONG")
                .Append(seedOk ? string.Empty : "  <-- seed 2.5 gave " + Format.G(scaled.Gradients[j]))
                .AppendLine();
            failed |= !ok || !seedOk;
        }

        if (failed)
        {
            failures.Append(_forward.Name).Append(" at (").Append(string.Join(", ", args.Select(Format.G))).AppendLine("):").Append(lines);
        }
    }
}
