using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// A compiled, generated program loaded into a collectible <see cref="AssemblyLoadContext"/>. Its
/// <c>[Differentiable]</c> methods are reached by reflection through <see cref="Method"/>.
/// </summary>
internal sealed class LoadedProgram : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedProgram(AssemblyLoadContext context, Assembly assembly, GeneratorRun run, IReadOnlyList<string> sources)
    {
        _context = context;
        Assembly = assembly;
        Run = run;
        Sources = sources;
    }

    public Assembly Assembly { get; }

    public GeneratorRun Run { get; }

    public IReadOnlyList<string> Sources { get; }

    /// <summary>Emits the run's output compilation to memory and loads it; fails with the emit diagnostics.</summary>
    public static LoadedProgram Load(GeneratorRun run, IReadOnlyList<string> sources)
    {
        using var stream = new MemoryStream();
        var result = run.Output.Emit(stream);
        if (!result.Success)
        {
            Assert.Fail("Emit failed:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)) + "\n" + run.Describe(sources));
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext("AutoGradTest_" + run.Output.AssemblyName, isCollectible: true);
        var assembly = context.LoadFromStream(stream);
        return new LoadedProgram(context, assembly, run, sources);
    }

    /// <summary>
    /// The type <paramref name="fullName"/> (reflection syntax: <c>Ns.Outer+Inner</c>, <c>Ns.Box`1</c>),
    /// closed over <paramref name="typeArguments"/> when it is generic.
    /// </summary>
    public Type GetType(string fullName, params Type[] typeArguments)
    {
        var type = Assembly.GetType(fullName, throwOnError: false);
        if (type is null)
        {
            Assert.Fail("Type '" + fullName + "' not found. Types: " + string.Join(", ", Assembly.GetTypes().Select(t => t.FullName)) + "\n" + Run.Describe(Sources));
        }

        return typeArguments.Length > 0 ? type!.MakeGenericType(typeArguments) : type!;
    }

    /// <summary>
    /// The method <paramref name="methodName"/> of <paramref name="typeName"/> and its generated Backward, whose
    /// signature is checked against the contract before this returns.
    /// </summary>
    public DifferentiableMethod Method(string typeName, string methodName, params Type[] typeArguments)
    {
        var type = GetType(typeName, typeArguments);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var forward = type.GetMethods(flags).Where(m => m.Name == methodName).ToList();
        if (forward.Count != 1)
        {
            Assert.Fail("Expected exactly one method '" + methodName + "' in " + typeName + ", found " + forward.Count + "\n" + Run.Describe(Sources));
        }

        var parameterTypes = forward[0].GetParameters().Select(p => p.ParameterType).ToArray();
        var backward = type.GetMethods(flags)
            .Where(m => m.Name == methodName + "Backward")
            .Where(m => m.GetParameters().Length >= parameterTypes.Length
                && m.GetParameters().Take(parameterTypes.Length).Select(p => p.ParameterType).SequenceEqual(parameterTypes))
            .ToList();
        if (backward.Count != 1)
        {
            Assert.Fail("Expected exactly one generated '" + methodName + "Backward' in " + typeName + " taking ("
                + string.Join(", ", parameterTypes.Select(t => t.Name)) + ", ...), found " + backward.Count
                + ". Methods: " + string.Join(", ", type.GetMethods(flags).Select(m => m.ToString())) + "\n"
                + Run.Describe(Sources, methodName));
        }

        return new DifferentiableMethod(forward[0], backward[0], () => Run.Describe(Sources, methodName));
    }

    public void Dispose() => _context.Unload();
}

/// <summary>What calling a Backward method gives.</summary>
internal sealed record BackwardResult(double Value, double[] Gradients)
{
    public override string ToString() =>
        "value " + Format.G(Value) + ", gradients [" + string.Join(", ", Gradients.Select(Format.G)) + "]";
}

/// <summary>A <c>[Differentiable]</c> method and its generated Backward, called by reflection.</summary>
internal sealed class DifferentiableMethod
{
    private readonly Func<string> _describe;

    public DifferentiableMethod(MethodInfo forward, MethodInfo backward, Func<string> describe)
    {
        Forward = forward;
        Backward = backward;
        _describe = describe;
        Parameters = forward.GetParameters();
        IsFloat = forward.ReturnType == typeof(float);
        DifferentiableIndices = Parameters
            .Select((p, i) => (p, i))
            .Where(x => IsDifferentiable(x.p))
            .Select(x => x.i)
            .ToArray();
        CheckSignature();
    }

    public MethodInfo Forward { get; }

    public MethodInfo Backward { get; }

    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>True for a <c>float</c> method (then Backward takes and returns floats).</summary>
    public bool IsFloat { get; }

    /// <summary>True when the method or one of its differentiable parameters is a float: checks then use float tolerances.</summary>
    public bool UsesFloat => IsFloat || DifferentiableIndices.Any(i => Parameters[i].ParameterType == typeof(float));

    /// <summary>Indices (into <see cref="Parameters"/>) of the parameters that get a gradient, in order.</summary>
    public IReadOnlyList<int> DifferentiableIndices { get; }

    public string Name => Forward.DeclaringType?.FullName + "." + Forward.Name;

    /// <summary>The input sources and the generated code, for failure messages.</summary>
    public string Describe() => _describe();

    /// <summary>The contract: a floating-point parameter without [NoGrad] is differentiated.</summary>
    public static bool IsDifferentiable(ParameterInfo parameter) =>
        (parameter.ParameterType == typeof(double) || parameter.ParameterType == typeof(float))
        && !parameter.IsDefined(typeof(NoGradAttribute), inherit: false);

    /// <summary>The gradient parameter name the contract gives a parameter: <c>d</c> + name with its first letter upper-cased.</summary>
    public static string GradientName(string name) => "d" + char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>Calls the original method; <paramref name="args"/> must have the parameters' types.</summary>
    public double Invoke(object?[] args)
    {
        var copy = (object?[])args.Clone();
        var result = Forward.Invoke(null, copy);
        return Convert.ToDouble(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Calls Backward with <paramref name="args"/>, the out slots, and <paramref name="seed"/>.</summary>
    public BackwardResult InvokeBackward(object?[] args, double seed = 1.0)
    {
        var all = new object?[Backward.GetParameters().Length];
        Array.Copy(args, all, args.Length);
        for (int i = 0; i < DifferentiableIndices.Count; i++)
        {
            all[args.Length + i] = Parameters[DifferentiableIndices[i]].ParameterType == typeof(float) ? (object)0f : 0.0;
        }

        all[^1] = IsFloat ? (object)(float)seed : seed;
        var result = Backward.Invoke(null, all);
        var gradients = new double[DifferentiableIndices.Count];
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] = Convert.ToDouble(all[args.Length + i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return new BackwardResult(Convert.ToDouble(result, System.Globalization.CultureInfo.InvariantCulture), gradients);
    }

    /// <summary>Calls Backward without the seed argument, so that its default value is used.</summary>
    public BackwardResult InvokeBackwardWithDefaultSeed(object?[] args)
    {
        var all = new object?[Backward.GetParameters().Length];
        Array.Copy(args, all, args.Length);
        for (int i = 0; i < DifferentiableIndices.Count; i++)
        {
            all[args.Length + i] = Parameters[DifferentiableIndices[i]].ParameterType == typeof(float) ? (object)0f : 0.0;
        }

        all[^1] = Type.Missing;
        var result = Backward.Invoke(null, BindingFlags.OptionalParamBinding | BindingFlags.InvokeMethod, null, all, null);
        var gradients = new double[DifferentiableIndices.Count];
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] = Convert.ToDouble(all[args.Length + i], System.Globalization.CultureInfo.InvariantCulture);
        }

        return new BackwardResult(Convert.ToDouble(result, System.Globalization.CultureInfo.InvariantCulture), gradients);
    }

    /// <summary>The parameter's value converted to its declared type (double, float, int, long or bool).</summary>
    public object ConvertArgument(int index, object value)
    {
        var type = Parameters[index].ParameterType;
        return type == typeof(double) ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)
            : type == typeof(float) ? Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture)
            : type == typeof(int) ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : type == typeof(long) ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : type == typeof(bool) ? Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("Unsupported parameter type " + type);
    }

    /// <summary>Converts every value with <see cref="ConvertArgument"/>.</summary>
    public object?[] Arguments(params object[] values)
    {
        if (values.Length != Parameters.Count)
        {
            throw new ArgumentException(Name + " takes " + Parameters.Count + " arguments, got " + values.Length);
        }

        return values.Select((v, i) => ConvertArgument(i, v)).ToArray();
    }

    private void CheckSignature()
    {
        var problems = new StringBuilder();
        var scalar = Forward.ReturnType;
        var backwardParameters = Backward.GetParameters();
        int expected = Parameters.Count + DifferentiableIndices.Count + 1;
        if (!Backward.IsStatic) problems.AppendLine("Backward is not static");
        if (Backward.ReturnType != scalar) problems.AppendLine("Backward returns " + Backward.ReturnType + ", expected " + scalar);
        if (Accessibility(Backward) != Accessibility(Forward))
        {
            problems.AppendLine("Backward is " + Accessibility(Backward) + " but the method is " + Accessibility(Forward));
        }

        if (backwardParameters.Length != expected)
        {
            problems.AppendLine("Backward has " + backwardParameters.Length + " parameters, expected " + expected);
        }
        else
        {
            for (int i = 0; i < Parameters.Count; i++)
            {
                var p = backwardParameters[i];
                if (p.Name != Parameters[i].Name || p.ParameterType != Parameters[i].ParameterType || p.IsOut)
                {
                    problems.AppendLine("Backward parameter " + i + " is '" + p + "', expected '" + Parameters[i] + "'");
                }
            }

            // Each gradient has its parameter's type (the method's type, unless a double method takes a float or
            // the other way round).
            for (int k = 0; k < DifferentiableIndices.Count; k++)
            {
                var original = Parameters[DifferentiableIndices[k]];
                var p = backwardParameters[Parameters.Count + k];
                string name = GradientName(original.Name!);
                if (!p.IsOut || p.ParameterType != original.ParameterType.MakeByRefType() || p.Name != name)
                {
                    problems.AppendLine("Backward parameter " + (Parameters.Count + k) + " is '" + (p.IsOut ? "out " : string.Empty) + p
                        + "', expected 'out " + original.ParameterType.Name + " " + name + "'");
                }
            }

            var seed = backwardParameters[^1];
            object expectedDefault = scalar == typeof(float) ? (object)1f : 1.0;
            if (seed.Name != "seed" || seed.ParameterType != scalar || !seed.HasDefaultValue || !Equals(seed.DefaultValue, expectedDefault))
            {
                problems.AppendLine("Last Backward parameter is '" + seed + "' (default "
                    + (seed.HasDefaultValue ? seed.DefaultValue?.ToString() ?? "null" : "none") + "), expected '"
                    + scalar.Name + " seed = " + expectedDefault + "'");
            }
        }

        if (problems.Length > 0)
        {
            Assert.Fail("Backward signature of " + Name + " breaks the contract:\n" + problems + "Actual: " + Backward + "\n" + Describe());
        }
    }

    /// <summary>The C# accessibility of a method, from reflection.</summary>
    public static string Accessibility(MethodInfo method) =>
        method.IsPublic ? "public"
        : method.IsAssembly ? "internal"
        : method.IsFamily ? "protected"
        : method.IsFamilyOrAssembly ? "protected internal"
        : method.IsFamilyAndAssembly ? "private protected"
        : "private";
}

internal static class Format
{
    public static string G(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public static string G(object? value) => value switch
    {
        double d => G(d),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f",
        null => "null",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
