using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>What a parameter of a method with array or span parameters is, read from its declaration.</summary>
internal enum ArrayParameterKind
{
    /// <summary><c>double</c> or <c>float</c>.</summary>
    FloatingScalar,

    /// <summary><c>double[]</c>, <c>float[]</c>, <c>(ReadOnly)Span&lt;double|float&gt;</c>.</summary>
    FloatingArray,

    /// <summary><c>int</c>, <c>long</c>, <c>bool</c>: needs a fixed value.</summary>
    IntegerScalar,

    /// <summary><c>int[]</c>, <c>(ReadOnly)Span&lt;int&gt;</c>: needs a fixed value.</summary>
    IntegerArray,
}

/// <summary>One parameter of an <see cref="ArrayCase"/>, parsed from its declaration.</summary>
internal sealed record ArrayParameter(string Name, string DeclaredType, ArrayParameterKind Kind, Type ElementType, bool IsSpan, bool NoGrad)
{
    /// <summary>A floating scalar or array without <c>[NoGrad]</c>: it gets a gradient.</summary>
    public bool Differentiable => !NoGrad && (Kind == ArrayParameterKind.FloatingScalar || Kind == ArrayParameterKind.FloatingArray);

    public bool IsArrayLike => Kind == ArrayParameterKind.FloatingArray || Kind == ArrayParameterKind.IntegerArray;

    public bool IsFloat => ElementType == typeof(float);

    /// <summary>The contract's gradient name: <c>d</c> + the name with its first letter upper-cased.</summary>
    public string GradientName => DifferentiableMethod.GradientName(Name);

    /// <summary>The C# keyword of the element (or scalar) type.</summary>
    public string ElementKeyword => Keyword(ElementType);

    /// <summary>The type the array-taking wrapper uses: spans become arrays.</summary>
    public string WrapperType => IsArrayLike ? ElementKeyword + "[]" : ElementKeyword;

    public static string Keyword(Type type) =>
        type == typeof(double) ? "double" : type == typeof(float) ? "float" : type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(bool) ? "bool" : throw new ArgumentException(type.ToString());

    /// <summary>Parses a C# parameter list (without parentheses).</summary>
    public static IReadOnlyList<ArrayParameter> Parse(string parameters)
    {
        var list = SyntaxFactory.ParseParameterList("(" + parameters + ")");
        var result = new List<ArrayParameter>();
        foreach (var parameter in list.Parameters)
        {
            string name = parameter.Identifier.ValueText;
            bool noGrad = parameter.AttributeLists.SelectMany(a => a.Attributes)
                .Any(a => a.Name.ToString() is "NoGrad" or "NoGradAttribute" or "AutoGrad.NoGrad" or "AutoGrad.NoGradAttribute");
            string type = parameter.Type!.ToString().Replace("global::", string.Empty, StringComparison.Ordinal).Replace("System.", string.Empty, StringComparison.Ordinal);
            result.Add(Classify(name, type, noGrad));
        }

        return result;
    }

    private static ArrayParameter Classify(string name, string type, bool noGrad)
    {
        static Type Element(string keyword) => keyword switch
        {
            "double" => typeof(double),
            "float" => typeof(float),
            "int" => typeof(int),
            "long" => typeof(long),
            "bool" => typeof(bool),
            _ => throw new ArgumentException("Unsupported element type " + keyword),
        };

        bool isSpan = false;
        string element;
        bool array;
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            element = type[..^2];
            array = true;
        }
        else if (type.StartsWith("ReadOnlySpan<", StringComparison.Ordinal) || type.StartsWith("Span<", StringComparison.Ordinal))
        {
            element = type[(type.IndexOf('<') + 1)..^1];
            array = true;
            isSpan = true;
        }
        else
        {
            element = type;
            array = false;
        }

        var elementType = Element(element);
        bool floating = elementType == typeof(double) || elementType == typeof(float);
        var kind = array
            ? (floating ? ArrayParameterKind.FloatingArray : ArrayParameterKind.IntegerArray)
            : (floating ? ArrayParameterKind.FloatingScalar : ArrayParameterKind.IntegerScalar);
        return new ArrayParameter(name, type, kind, elementType, isSpan, noGrad);
    }
}

/// <summary>
/// A <c>[Differentiable]</c> method with array or span parameters, and where to sample it. Its declaration is
/// compiled together with two array-taking wrappers, <c>Name__Primal</c> and <c>Name__Backward</c>, that forward
/// to the method and to its generated Backward (reflection cannot pass spans).
/// </summary>
internal sealed record ArrayCase(string Name, string ReturnType, string ParameterList, string Body, ArrayDomain Domain, double? Tolerance = null)
{
    public static ArrayCase Double(string name, string parameters, string body, ArrayDomain? domain = null, double? tolerance = null) =>
        new(name, "double", parameters, body, domain ?? new ArrayDomain(), tolerance);

    public static ArrayCase Float(string name, string parameters, string body, ArrayDomain? domain = null, double? tolerance = null) =>
        new(name, "float", parameters, body, domain ?? new ArrayDomain(), tolerance);

    public IReadOnlyList<ArrayParameter> Parameters { get; } = ArrayParameter.Parse(ParameterList);

    /// <summary>Other members compiled beside the method, such as the helpers it calls.</summary>
    public string Helpers { get; init; } = string.Empty;

    public IEnumerable<ArrayParameter> Differentiable => Parameters.Where(p => p.Differentiable);

    public bool IsFloat => ReturnType == "float";

    /// <summary>The method's declaration followed by its two wrappers.</summary>
    public string Member()
    {
        var builder = new StringBuilder();
        if (Helpers.Length > 0) builder.Append(Helpers).Append("\n\n");
        builder.Append(GradientCase.Declare(ReturnType, Name, ParameterList, Body)).Append("\n\n");
        builder.Append(Wrappers());
        return builder.ToString();
    }

    /// <summary><c>Name__Primal</c> and <c>Name__Backward</c>, taking arrays where the method takes spans.</summary>
    public string Wrappers()
    {
        var builder = new StringBuilder();
        string wrapperParameters = string.Join(", ", Parameters.Select(p => p.WrapperType + " " + p.Name));
        string arguments = string.Join(", ", Parameters.Select(p => p.Name));
        builder.Append("public static ").Append(ReturnType).Append(' ').Append(Name).Append("__Primal(").Append(wrapperParameters)
            .Append(") => ").Append(Name).Append('(').Append(arguments).Append(");\n\n");

        var backwardParameters = Parameters.Select(p => p.WrapperType + " " + p.Name)
            .Concat(Differentiable.Select(p => p.Kind == ArrayParameterKind.FloatingArray ? p.ElementKeyword + "[] " + p.GradientName : "out " + p.ElementKeyword + " " + p.GradientName))
            .Append(ReturnType + " seed");
        var backwardArguments = Parameters.Select(p => p.Name)
            .Concat(Differentiable.Select(p => p.Kind == ArrayParameterKind.FloatingArray ? p.GradientName : "out " + p.GradientName))
            .Append("seed");
        builder.Append("public static ").Append(ReturnType).Append(' ').Append(Name).Append("__Backward(").Append(string.Join(", ", backwardParameters))
            .Append(") => ").Append(Name).Append("Backward(").Append(string.Join(", ", backwardArguments)).Append(");");
        return builder.ToString();
    }

    public static IEnumerable<object[]> Names(IEnumerable<ArrayCase> cases) => cases.Select(c => new object[] { c.Name });
}

/// <summary>A sampled point: the arguments by name (arrays as <c>double[]</c>, <c>float[]</c> or <c>int[]</c>).</summary>
internal sealed class ArrayPoint
{
    private readonly Dictionary<string, object> _values;

    public ArrayPoint(Dictionary<string, object> values)
    {
        _values = values;
    }

    /// <summary>A floating scalar, as double.</summary>
    public double this[string name] => Convert.ToDouble(_values[name], CultureInfo.InvariantCulture);

    /// <summary>A floating array, as doubles.</summary>
    public double[] A(string name) => _values[name] switch
    {
        double[] d => d,
        float[] f => f.Select(v => (double)v).ToArray(),
        var other => throw new ArgumentException(name + " is " + other.GetType()),
    };

    public int I(string name) => Convert.ToInt32(_values[name], CultureInfo.InvariantCulture);

    public int[] Ints(string name) => (int[])_values[name];
}

/// <summary>
/// Where to sample a method with array parameters: a range per floating scalar or array (elements drawn
/// uniformly), a length per array (default 4), fixed values (required for ints and int arrays; allowed for
/// anything, e.g. an explicit array), and filters that reject points near kinks.
/// </summary>
internal sealed class ArrayDomain
{
    private readonly Dictionary<string, (double Low, double High)> _ranges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lengths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _fixed = new(StringComparer.Ordinal);
    private readonly List<Func<ArrayPoint, bool>> _filters = new();

    public ArrayDomain(double low = -2, double high = 2)
    {
        DefaultRange = (low, high);
    }

    public (double Low, double High) DefaultRange { get; }

    public ArrayDomain Range(string name, double low, double high)
    {
        _ranges[name] = (low, high);
        return this;
    }

    public ArrayDomain Length(string name, int length)
    {
        _lengths[name] = length;
        return this;
    }

    public ArrayDomain Fix(string name, object value)
    {
        _fixed[name] = value;
        return this;
    }

    public ArrayDomain Where(Func<ArrayPoint, bool> accept)
    {
        _filters.Add(accept);
        return this;
    }

    /// <summary>A random point for <paramref name="parameters"/>: wrapper arguments in parameter order.</summary>
    public object?[] Sample(IReadOnlyList<ArrayParameter> parameters, Random random, string caseName)
    {
        for (int attempt = 0; attempt < 10000; attempt++)
        {
            var values = new object?[parameters.Count];
            var named = new Dictionary<string, object>(StringComparer.Ordinal);
            for (int i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                if (_fixed.TryGetValue(p.Name, out var value))
                {
                    values[i] = Convert(p, value);
                }
                else if (p.Kind == ArrayParameterKind.FloatingScalar)
                {
                    values[i] = Convert(p, Draw(p.Name, random));
                }
                else if (p.Kind == ArrayParameterKind.FloatingArray)
                {
                    int length = _lengths.TryGetValue(p.Name, out var l) ? l : 4;
                    var elements = new double[length];
                    for (int k = 0; k < length; k++) elements[k] = Draw(p.Name, random);
                    values[i] = Convert(p, elements);
                }
                else
                {
                    throw new InvalidOperationException("Parameter '" + p.Name + "' of " + caseName + " is " + p.DeclaredType + ": give it a fixed value with ArrayDomain.Fix");
                }

                named[p.Name] = values[i]!;
            }

            if (_filters.All(accept => accept(new ArrayPoint(named)))) return values;
        }

        throw new InvalidOperationException("Domain filter rejected 10000 points for " + caseName);
    }

    private double Draw(string name, Random random)
    {
        var (low, high) = _ranges.TryGetValue(name, out var range) ? range : DefaultRange;
        return low + (random.NextDouble() * (high - low));
    }

    /// <summary>A value converted to the wrapper type of <paramref name="p"/> (a fresh array for arrays).</summary>
    public static object Convert(ArrayParameter p, object value)
    {
        if (p.IsArrayLike)
        {
            var source = ((System.Collections.IEnumerable)value).Cast<object>().ToArray();
            var array = Array.CreateInstance(p.ElementType, source.Length);
            for (int k = 0; k < source.Length; k++) array.SetValue(System.Convert.ChangeType(source[k], p.ElementType, CultureInfo.InvariantCulture), k);
            return array;
        }

        return System.Convert.ChangeType(value, p.ElementType, CultureInfo.InvariantCulture);
    }
}

/// <summary>What a Backward call gave: the value, and one gradient per differentiable parameter (a scalar's as one element).</summary>
internal sealed record ArrayBackwardResult(double Value, double[][] Gradients);

/// <summary>An <see cref="ArrayCase"/> compiled and loaded: its wrappers, its generated Backward, and its source for messages.</summary>
internal sealed class ArrayMethod
{
    private readonly Func<string> _describe;

    public ArrayMethod(ArrayCase @case, Type type, Func<string> describe)
    {
        Case = @case;
        _describe = describe;
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
        Original = type.GetMethods(flags).Single(m => m.Name == @case.Name);
        Primal = type.GetMethod(@case.Name + "__Primal", flags)!;
        BackwardWrapper = type.GetMethod(@case.Name + "__Backward", flags)!;
        var originalTypes = Original.GetParameters().Select(p => p.ParameterType).ToArray();
        var backward = type.GetMethods(flags).Where(m => m.Name == @case.Name + "Backward"
            && m.GetParameters().Take(originalTypes.Length).Select(p => p.ParameterType).SequenceEqual(originalTypes)).ToList();
        if (backward.Count != 1) Assert.Fail("Expected one generated " + @case.Name + "Backward, found " + backward.Count + "\n" + describe());
        Backward = backward[0];
        CheckSignature();
    }

    public ArrayCase Case { get; }

    public MethodInfo Original { get; }

    public MethodInfo Primal { get; }

    public MethodInfo BackwardWrapper { get; }

    /// <summary>The generated method itself (its signature is checked; it is called through the wrapper).</summary>
    public MethodInfo Backward { get; }

    public IReadOnlyList<ArrayParameter> Parameters => Case.Parameters;

    public IReadOnlyList<int> DifferentiableIndices => Parameters.Select((p, i) => (p, i)).Where(x => x.p.Differentiable).Select(x => x.i).ToArray();

    public bool UsesFloat => Case.IsFloat || Case.Differentiable.Any(p => p.IsFloat);

    public string Describe() => _describe();

    /// <summary>Arguments for the wrappers, from values in parameter order (arrays are copied and converted).</summary>
    public object?[] Arguments(params object[] values)
    {
        if (values.Length != Parameters.Count) throw new ArgumentException(Case.Name + " takes " + Parameters.Count + " arguments, got " + values.Length);
        return values.Select((v, i) => ArrayDomain.Convert(Parameters[i], v)).ToArray();
    }

    public double InvokePrimal(object?[] args) =>
        System.Convert.ToDouble(Primal.Invoke(null, DeepCopy(args)), CultureInfo.InvariantCulture);

    /// <summary>
    /// Calls Backward with gradient buffers of the inputs' lengths filled with <paramref name="prefill"/>;
    /// returns the value and the buffers' contents afterwards (and each scalar gradient).
    /// </summary>
    public ArrayBackwardResult InvokeBackward(object?[] args, double seed = 1.0, double prefill = 0.0)
    {
        var buffers = Buffers(args, prefill, wrongIndex: -1, wrongLength: 0);
        return InvokeWithBuffers(args, buffers, seed);
    }

    /// <summary>Gradient buffers (arrays for array parameters, null slots for scalars), one per differentiable parameter.</summary>
    public Array?[] Buffers(object?[] args, double prefill, int wrongIndex, int wrongLength)
    {
        var indices = DifferentiableIndices;
        var buffers = new Array?[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            var p = Parameters[indices[k]];
            if (p.Kind != ArrayParameterKind.FloatingArray) continue;
            int length = k == wrongIndex ? wrongLength : ((Array)args[indices[k]]!).Length;
            var buffer = Array.CreateInstance(p.ElementType, length);
            for (int e = 0; e < length; e++) buffer.SetValue(System.Convert.ChangeType(prefill, p.ElementType, CultureInfo.InvariantCulture), e);
            buffers[k] = buffer;
        }

        return buffers;
    }

    /// <summary>Calls the Backward wrapper; throws <see cref="TargetInvocationException"/> if Backward throws.</summary>
    public ArrayBackwardResult InvokeWithBuffers(object?[] args, Array?[] buffers, double seed)
    {
        var all = new object?[Parameters.Count + buffers.Length + 1];
        var copy = DeepCopy(args);
        Array.Copy(copy, all, copy.Length);
        for (int k = 0; k < buffers.Length; k++) all[Parameters.Count + k] = buffers[k];
        all[^1] = Case.IsFloat ? (object)(float)seed : seed;
        var value = BackwardWrapper.Invoke(null, all);
        var gradients = new double[buffers.Length][];
        for (int k = 0; k < buffers.Length; k++)
        {
            gradients[k] = buffers[k] is { } buffer
                ? buffer.Cast<object>().Select(v => System.Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray()
                : new[] { System.Convert.ToDouble(all[Parameters.Count + k], CultureInfo.InvariantCulture) };
        }

        // The Backward leaves each input array as the method itself does: unchanged, or for a method that works in
        // place, changed the same way.
        var expected = DeepCopy(args);
        Primal.Invoke(null, expected);
        for (int i = 0; i < copy.Length; i++)
        {
            if (copy[i] is Array changed && !Same(changed, (Array)expected[i]!))
            {
                Assert.Fail(Case.Name + "Backward left its input '" + Parameters[i].Name + "' other than the method does\n" + Describe());
            }
        }

        return new ArrayBackwardResult(System.Convert.ToDouble(value, CultureInfo.InvariantCulture), gradients);
    }

    public static object?[] DeepCopy(object?[] args) => args.Select(a => a is Array array ? array.Clone() : a).ToArray();

    public static bool Same(Array a, Array b) =>
        a.Length == b.Length && a.Cast<object>().Zip(b.Cast<object>()).All(x => Equals(x.First, x.Second));

    private void CheckSignature()
    {
        var problems = new StringBuilder();
        var returnType = Case.IsFloat ? typeof(float) : typeof(double);
        var original = Original.GetParameters();
        var backward = Backward.GetParameters();
        var differentiable = Case.Differentiable.ToList();
        if (Original.ReturnType != returnType) problems.AppendLine("the method returns " + Original.ReturnType);
        if (Backward.ReturnType != returnType) problems.AppendLine("Backward returns " + Backward.ReturnType);
        if (backward.Length != original.Length + differentiable.Count + 1)
        {
            problems.AppendLine("Backward has " + backward.Length + " parameters, expected " + (original.Length + differentiable.Count + 1));
        }
        else
        {
            for (int i = 0; i < original.Length; i++)
            {
                if (backward[i].Name != original[i].Name || backward[i].ParameterType != original[i].ParameterType)
                {
                    problems.AppendLine("parameter " + i + " is '" + backward[i] + "', expected '" + original[i] + "'");
                }

                bool noGrad = original[i].IsDefined(typeof(NoGradAttribute), inherit: false);
                if (noGrad != Parameters[i].NoGrad) problems.AppendLine("test harness: [NoGrad] on " + Parameters[i].Name + " misread");
            }

            for (int k = 0; k < differentiable.Count; k++)
            {
                var p = differentiable[k];
                var actual = backward[original.Length + k];
                var expectedType = p.Kind == ArrayParameterKind.FloatingArray
                    ? typeof(Span<>).MakeGenericType(p.ElementType)
                    : p.ElementType.MakeByRefType();
                bool expectedOut = p.Kind == ArrayParameterKind.FloatingScalar;
                if (actual.Name != p.GradientName || actual.ParameterType != expectedType || actual.IsOut != expectedOut)
                {
                    problems.AppendLine("gradient parameter " + (original.Length + k) + " is '" + (actual.IsOut ? "out " : string.Empty) + actual
                        + "', expected '" + (expectedOut ? "out " : string.Empty) + expectedType + " " + p.GradientName + "'");
                }
            }

            var seed = backward[^1];
            object expectedDefault = Case.IsFloat ? (object)1f : 1.0;
            if (seed.Name != "seed" || seed.ParameterType != returnType || !seed.HasDefaultValue || !Equals(seed.DefaultValue, expectedDefault))
            {
                problems.AppendLine("last parameter is '" + seed + "', expected '" + returnType.Name + " seed = 1'");
            }
        }

        if (DifferentiableMethod.Accessibility(Backward) != DifferentiableMethod.Accessibility(Original)) problems.AppendLine("accessibility differs");
        if (problems.Length > 0) Assert.Fail("Backward signature of " + Case.Name + " breaks the contract:\n" + problems + "Actual: " + Backward + "\n" + Describe());
    }
}

/// <summary>
/// Many <see cref="ArrayCase"/>s compiled together through the real generator (one compilation per test
/// class); if that fails, each case is compiled alone so that a failure names its case.
/// </summary>
internal sealed class ArrayCaseSet
{
    private readonly string _typeName;
    private readonly Dictionary<string, ArrayCase> _cases;
    private readonly Lazy<(LoadedProgram? Program, Exception? Error)> _shared;
    private readonly ConcurrentDictionary<string, LoadedProgram> _single = new(StringComparer.Ordinal);

    public ArrayCaseSet(string typeName, IEnumerable<ArrayCase> cases)
    {
        _typeName = typeName;
        _cases = cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _shared = new Lazy<(LoadedProgram?, Exception?)>(() =>
        {
            try
            {
                return (TestCompiler.CompileAndLoad(Source(_cases.Values)), null);
            }
            catch (Exception e)
            {
                return (null, e);
            }
        });
    }

    public ArrayCase Case(string name) => _cases[name];

    /// <summary>The generated Backward of case <paramref name="name"/>, from the program all cases compile into.</summary>
    public string Generated(string name)
    {
        var (program, error) = _shared.Value;
        if (program is null) throw new InvalidOperationException("The cases do not compile together.", error);
        return program.Run.GeneratedFor(name);
    }

    public string Source(IEnumerable<ArrayCase> cases) =>
        new CaseSet(_typeName, cases.ToDictionary(c => c.Name, c => c.Member())).Source(cases.Select(c => c.Member()));

    public ArrayMethod Get(string name)
    {
        var @case = _cases[name];
        var (program, _) = _shared.Value;
        program ??= _single.GetOrAdd(name, _ => TestCompiler.CompileAndLoad(Source(new[] { @case })));
        var type = program.GetType(CaseSet.Namespace + "." + _typeName);
        return new ArrayMethod(@case, type, () => program.Run.Describe(program.Sources, name));
    }
}

/// <summary>
/// Checks a generated Backward with array or span parameters: every gradient component (each scalar and each
/// array element) against central finite differences, the returned primal against the method's value, scaling
/// by <c>seed</c>, that array gradients are added into the caller's buffers, and that a buffer of the wrong
/// length throws <see cref="ArgumentException"/> naming it before anything is written.
/// </summary>
internal static class ArrayGradientChecker
{
    public const double DoubleTolerance = 1e-6;

    public const double FloatTolerance = 2e-2;

    public static void Check(ArrayCaseSet set, string name, int points = 4) => Check(set.Get(name), points);

    public static void Check(ArrayMethod method, int points = 4, int randomSeed = 20261125)
    {
        var random = new Random(randomSeed);
        var failures = new StringBuilder();
        object?[]? first = null;
        for (int p = 0; p < points; p++)
        {
            var args = method.Case.Domain.Sample(method.Parameters, random, method.Case.Name);
            first ??= args;
            CheckPoint(method, args, failures);
        }

        if (first is not null) CheckWrongLengths(method, first, failures);
        if (failures.Length > 0) Assert.Fail(failures + method.Describe());
    }

    /// <summary>Checks one explicit point, values in parameter order.</summary>
    public static void CheckAt(ArrayMethod method, params object[] values)
    {
        var failures = new StringBuilder();
        var args = method.Arguments(values);
        CheckPoint(method, args, failures);
        CheckWrongLengths(method, args, failures);
        if (failures.Length > 0) Assert.Fail(failures + method.Describe());
    }

    /// <summary>Central differences of every differentiable component, laid out like <see cref="ArrayBackwardResult.Gradients"/>.</summary>
    public static double[][] Numerical(ArrayMethod method, object?[] args)
    {
        var indices = method.DifferentiableIndices;
        var result = new double[indices.Count][];
        for (int k = 0; k < indices.Count; k++)
        {
            int index = indices[k];
            var p = method.Parameters[index];
            int count = p.Kind == ArrayParameterKind.FloatingArray ? ((Array)args[index]!).Length : 1;
            result[k] = new double[count];
            for (int e = 0; e < count; e++)
            {
                double x = Get(args, index, e, p);
                double h = method.UsesFloat ? 1e-2 * Math.Max(1.0, Math.Abs(x)) : GradientCheck.Step(x);
                var plus = ArrayMethod.DeepCopy(args);
                var minus = ArrayMethod.DeepCopy(args);
                double xPlus = Set(plus, index, e, p, x + h);
                double xMinus = Set(minus, index, e, p, x - h);
                double fPlus = method.InvokePrimal(plus);
                double fMinus = method.InvokePrimal(minus);
                result[k][e] = method.UsesFloat ? (fPlus - fMinus) / (xPlus - xMinus) : (fPlus - fMinus) / (2 * h);
            }
        }

        return result;
    }

    private static double Get(object?[] args, int index, int element, ArrayParameter p) =>
        p.Kind == ArrayParameterKind.FloatingArray
            ? Convert.ToDouble(((Array)args[index]!).GetValue(element), CultureInfo.InvariantCulture)
            : Convert.ToDouble(args[index], CultureInfo.InvariantCulture);

    /// <summary>Sets a component; returns the value actually stored (rounded to float for float parameters).</summary>
    private static double Set(object?[] args, int index, int element, ArrayParameter p, double value)
    {
        object converted = p.IsFloat ? (object)(float)value : value;
        if (p.Kind == ArrayParameterKind.FloatingArray) ((Array)args[index]!).SetValue(converted, element);
        else args[index] = converted;
        return Convert.ToDouble(converted, CultureInfo.InvariantCulture);
    }

    private static string Component(ArrayMethod method, int k, int element)
    {
        var p = method.Parameters[method.DifferentiableIndices[k]];
        return p.Kind == ArrayParameterKind.FloatingArray ? p.GradientName + "[" + element + "]" : p.GradientName;
    }

    public static string DescribePoint(ArrayMethod method, object?[] args) =>
        "(" + string.Join(", ", method.Parameters.Select((p, i) => p.Name + " = " + DescribeValue(args[i]))) + ")";

    private static string DescribeValue(object? value) => value is Array array
        ? "[" + string.Join(", ", array.Cast<object>().Select(Format.G)) + "]"
        : Format.G(value);

    private static void CheckPoint(ArrayMethod method, object?[] args, StringBuilder failures)
    {
        double tolerance = method.Case.Tolerance ?? (method.UsesFloat ? FloatTolerance : DoubleTolerance);
        double exactTolerance = method.UsesFloat ? 1e-5 : 1e-12;
        var lines = new StringBuilder();
        double primal = method.InvokePrimal(args);
        ArrayBackwardResult backward, scaled, added;
        try
        {
            backward = method.InvokeBackward(args, 1.0);
            scaled = method.InvokeBackward(args, 2.5);
            added = method.InvokeBackward(args, 1.0, prefill: 1.0);
        }
        catch (TargetInvocationException e)
        {
            failures.Append(method.Case.Name).Append(" at ").Append(DescribePoint(method, args)).Append(": Backward threw ").AppendLine(e.InnerException?.ToString());
            return;
        }

        double primalTolerance = method.Case.IsFloat ? 1e-6 : 1e-12;
        foreach (var (label, value) in new[] { ("seed 1", backward.Value), ("seed 2.5", scaled.Value), ("prefilled", added.Value) })
        {
            if (!(GradientCheck.RelativeError(value, primal) <= primalTolerance))
            {
                lines.Append("  primal: Backward (").Append(label).Append(") returned ").Append(Format.G(value)).Append(", the method returns ").AppendLine(Format.G(primal));
            }
        }

        var numerical = Numerical(method, args);
        double absoluteTolerance = (method.UsesFloat ? 1e-3 : 1e-8) * Math.Max(1.0, Math.Abs(primal));
        int wrong = 0;
        for (int k = 0; k < numerical.Length; k++)
        {
            bool isArray = method.Parameters[method.DifferentiableIndices[k]].Kind == ArrayParameterKind.FloatingArray;
            for (int e = 0; e < numerical[k].Length; e++)
            {
                double a = backward.Gradients[k][e];
                double n = numerical[k][e];
                double error = GradientCheck.RelativeError(a, n);
                var problems = new List<string>();
                if (!(double.IsFinite(a) && (error < tolerance || Math.Abs(a - n) < absoluteTolerance)))
                {
                    problems.Add("WRONG: numeric " + Format.G(n) + ", rel.err " + error.ToString("E2", CultureInfo.InvariantCulture));
                }

                double s = scaled.Gradients[k][e];
                if (!(GradientCheck.RelativeError(s, 2.5 * a, 1e-300) <= exactTolerance || Math.Abs(s - (2.5 * a)) < 1e-14))
                {
                    problems.Add("with seed 2.5 got " + Format.G(s) + ", expected " + Format.G(2.5 * a));
                }

                if (isArray)
                {
                    double p = added.Gradients[k][e];
                    if (!(GradientCheck.RelativeError(p, a + 1.0) <= exactTolerance || Math.Abs(p - (a + 1.0)) <= exactTolerance * Math.Max(1.0, Math.Abs(a))))
                    {
                        problems.Add("into a buffer prefilled with 1 got " + Format.G(p) + ", expected " + Format.G(a + 1.0) + " (gradients must be added)");
                    }
                }

                if (problems.Count == 0) continue;
                if (++wrong <= 24)
                {
                    lines.Append("  ").Append(Component(method, k, e).PadRight(12)).Append(" analytic ").Append(Format.G(a).PadRight(24))
                        .Append(' ').AppendLine(string.Join("; ", problems));
                }
            }
        }

        if (wrong > 24) lines.Append("  … and ").Append(wrong - 24).AppendLine(" more components");
        if (lines.Length > 0)
        {
            failures.Append(method.Case.Name).Append(" at ").Append(DescribePoint(method, args)).AppendLine(":").Append(lines);
        }
    }

    /// <summary>
    /// For each differentiable array, a buffer one longer (and one shorter, if possible) than its input must throw
    /// ArgumentException with ParamName = the gradient's name, leaving every buffer as it was.
    /// </summary>
    private static void CheckWrongLengths(ArrayMethod method, object?[] args, StringBuilder failures)
    {
        var indices = method.DifferentiableIndices;
        for (int k = 0; k < indices.Count; k++)
        {
            var p = method.Parameters[indices[k]];
            if (p.Kind != ArrayParameterKind.FloatingArray) continue;
            int length = ((Array)args[indices[k]]!).Length;
            foreach (int wrongLength in length > 0 ? new[] { length + 1, length - 1 } : new[] { length + 1 })
            {
                const double Sentinel = 7.0;
                var buffers = method.Buffers(args, Sentinel, k, wrongLength);
                string problem;
                bool threw = true;
                try
                {
                    method.InvokeWithBuffers(args, buffers, 1.0);
                    problem = "did not throw";
                    threw = false;
                }
                catch (TargetInvocationException e) when (e.InnerException is ArgumentException argument)
                {
                    problem = argument.GetType() != typeof(ArgumentException) ? "threw " + argument.GetType().Name
                        : argument.ParamName != p.GradientName ? "threw ArgumentException with ParamName '" + argument.ParamName + "'"
                        : string.Empty;
                }
                catch (TargetInvocationException e)
                {
                    problem = "threw " + e.InnerException;
                }

                var touched = buffers.Select((b, i) => (b, i)).Where(x => x.b is not null && x.b.Cast<object>().Any(v => Convert.ToDouble(v, CultureInfo.InvariantCulture) != Sentinel))
                    .Select(x => Component(method, x.i, 0).Split('[')[0]).ToList();
                if (threw && touched.Count > 0) problem += (problem.Length > 0 ? "; " : string.Empty) + "wrote into " + string.Join(", ", touched) + " before throwing";
                if (problem.Length > 0)
                {
                    failures.Append(method.Case.Name).Append(": with ").Append(p.GradientName).Append(" of length ").Append(wrongLength)
                        .Append(" instead of ").Append(length).Append(", Backward ").Append(problem)
                        .AppendLine(" (expected ArgumentException, ParamName '" + p.GradientName + "', no buffer written)");
                }
            }
        }
    }
}
