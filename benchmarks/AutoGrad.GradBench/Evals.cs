using System;
using System.Collections.Generic;
using System.Text.Json;
using AutoGrad.GradBench.Problems;

namespace AutoGrad.GradBench;

/// <summary>
/// A function ready to run: <see cref="Run"/> is what the <c>evaluate</c> timings cover (called at least once,
/// maybe many times, on the same parsed input); <see cref="Output"/> gives the value to send back as
/// <c>output</c> after the last run (a number, an array, or a dictionary/record of them, serialised with
/// System.Text.Json by its runtime type).
/// </summary>
public sealed class PreparedFunction
{
    /// <summary>A prepared function from its timed part and its output.</summary>
    public PreparedFunction(Action run, Func<object> output)
    {
        Run = run;
        Output = output;
    }

    /// <summary>One evaluation: the timed part.</summary>
    public Action Run { get; }

    /// <summary>The result of the last evaluation, as JSON-serialisable data.</summary>
    public Func<object> Output { get; }
}

/// <summary>Parses a message's <c>input</c> (untimed) and returns the function ready to run on it.</summary>
public delegate PreparedFunction Prepare(JsonElement input);

/// <summary>One GradBench module: function name (<c>"primal"</c>, <c>"gradient"</c>, …) → how to prepare it.</summary>
public sealed class EvalModule : Dictionary<string, Prepare>
{
    /// <summary>An empty module; fill it with a collection initializer.</summary>
    public EvalModule()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>
/// The registry: module name → its functions. To add an eval, write a method returning an
/// <see cref="EvalModule"/> (parse the input with <see cref="EvalInput"/>, allocate outputs in the prepare
/// step, do only the computation in <c>Run</c>) and add one line to <see cref="Create"/>.
/// </summary>
public static class Evals
{
    /// <summary>
    /// Every module this tool answers <c>define</c> with success for. <paramref name="handWritten"/> makes the
    /// gradients the hand-written ones instead of the generated Backward methods.
    /// </summary>
    public static IReadOnlyDictionary<string, EvalModule> Create(bool handWritten = false) =>
        new Dictionary<string, EvalModule>(StringComparer.Ordinal)
        {
            ["hello"] = Hello(),
            ["lse"] = Lse(handWritten),
            ["llsq"] = Llsq(handWritten),
            ["ode"] = Ode(handWritten),
            ["det"] = Det(handWritten),

            // gmm, lstm, ba: add one line each here, e.g. ["gmm"] = Gmm(handWritten), with the method beside
            // the others below (or in a file of its own as `public static partial class Evals` is not needed:
            // any static method returning an EvalModule will do). Their outputs:
            //   gmm  objective → number; jacobian → {"alpha":[k], "mu":[[d]×k], "q":[[d]×k], "l":[[d(d−1)/2]×k]}
            //        (a Dictionary<string, object> of double[] and double[][] serialises to exactly that).
            //   lstm objective → number; jacobian → [8·l·b + 3·b].
            //   ba   objective → {"reproj_error":{"elements":[e0,e1],"repeated":p}, "w_err":{"element":e,"repeated":p}};
            //        jacobian → {"rows":[…], "cols":[…], "vals":[…]} (anonymous objects serialise too:
            //        new { rows = int[], cols = int[], vals = double[] }).
        };

    /// <summary><c>hello</c>: <c>square</c> (x²) and <c>double</c> (its gradient, through the generated SquareBackward); the input is a bare number.</summary>
    public static EvalModule Hello() => new()
    {
        ["square"] = input =>
        {
            double x = input.GetDouble();
            double y = 0.0;
            return new PreparedFunction(() => y = Problems.Hello.Square(x), () => y);
        },
        ["double"] = input =>
        {
            double x = input.GetDouble();
            double y = 0.0;
            return new PreparedFunction(() => y = Problems.Hello.Double(x), () => y);
        },
    };

    /// <summary><c>lse</c>: input <c>{x: double[]}</c>; <c>primal</c> → number, <c>gradient</c> → [n].</summary>
    public static EvalModule Lse(bool handWritten) => new()
    {
        ["primal"] = input =>
        {
            double[] x = EvalInput.Doubles(input, "x");
            double y = 0.0;
            return new PreparedFunction(() => y = Problems.Lse.Primal(x), () => y);
        },
        ["gradient"] = input =>
        {
            double[] x = EvalInput.Doubles(input, "x");
            var g = new double[x.Length];
            Action run = handWritten ? () => Problems.Lse.GradientByHand(x, g) : () => Problems.Lse.Gradient(x, g);
            return new PreparedFunction(run, () => g);
        },
    };

    /// <summary><c>llsq</c>: input <c>{x: double[m], n: int}</c>; <c>primal</c> → number, <c>gradient</c> → [m].</summary>
    public static EvalModule Llsq(bool handWritten) => new()
    {
        ["primal"] = input =>
        {
            double[] x = EvalInput.Doubles(input, "x");
            int n = EvalInput.Int(input, "n");
            double y = 0.0;
            return new PreparedFunction(() => y = Problems.Llsq.Primal(x, n), () => y);
        },
        ["gradient"] = input =>
        {
            double[] x = EvalInput.Doubles(input, "x");
            int n = EvalInput.Int(input, "n");
            var g = new double[x.Length];
            Action run = handWritten ? () => Problems.Llsq.GradientByHand(x, n, g) : () => Problems.Llsq.Gradient(x, n, g);
            return new PreparedFunction(run, () => g);
        },
    };

    /// <summary><c>ode</c>: input <c>{x: double[n], s: int}</c>; <c>primal</c> → y(2) [n], <c>gradient</c> → ∇ y_{n−1}(2) [n].</summary>
    public static EvalModule Ode(bool handWritten) => new()
    {
        ["primal"] = input =>
        {
            double[] x = EvalInput.Doubles(input, "x");
            int s = EvalInput.Int(input, "s");
            var y = new double[x.Length];
            return new PreparedFunction(() => Problems.Ode.Solve(x, s, y), () => y);
        },
        ["gradient"] = input =>
        {
            double[] x = EvalInput.Doubles(input, "x");
            int s = EvalInput.Int(input, "s");
            var g = new double[x.Length];
            Action run = handWritten ? () => Problems.Ode.GradientByHand(x, s, g) : () => Problems.Ode.Gradient(x, s, g);
            return new PreparedFunction(run, () => g);
        },
    };

    /// <summary><c>det</c>: input <c>{A: double[ℓ²] row-major, ell: int}</c>; <c>primal</c> → number, <c>gradient</c> → [ℓ²] row-major.</summary>
    public static EvalModule Det(bool handWritten) => new()
    {
        ["primal"] = input =>
        {
            (double[] a, int ell) = DetInput(input);
            double y = 0.0;
            return new PreparedFunction(() => y = Problems.Det.Primal(a, ell), () => y);
        },
        ["gradient"] = input =>
        {
            (double[] a, int ell) = DetInput(input);
            var g = new double[a.Length];
            Action run = handWritten ? () => Problems.Det.GradientByHand(a, ell, g) : () => Problems.Det.Gradient(a, ell, g);
            return new PreparedFunction(run, () => g);
        },
    };

    static (double[] A, int Ell) DetInput(JsonElement input)
    {
        double[] a = EvalInput.Doubles(input, "A");
        int ell = EvalInput.Int(input, "ell");
        if (ell < 1 || (long)ell * ell != a.Length)
        {
            throw new ArgumentException($"det: A has {a.Length} elements, not ell² = {(long)ell * ell}");
        }

        return (a, ell);
    }
}

/// <summary>Reading the fields of an <c>evaluate</c> message's <c>input</c>.</summary>
public static class EvalInput
{
    /// <summary>The field <paramref name="name"/>: an array of numbers.</summary>
    public static double[] Doubles(JsonElement input, string name)
    {
        JsonElement array = Field(input, name);
        var values = new double[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement element in array.EnumerateArray())
        {
            values[i++] = element.GetDouble();
        }

        return values;
    }

    /// <summary>The field <paramref name="name"/>: an array of arrays of numbers (a matrix, row by row).</summary>
    public static double[][] DoubleRows(JsonElement input, string name)
    {
        JsonElement array = Field(input, name);
        var rows = new double[array.GetArrayLength()][];
        int i = 0;
        foreach (JsonElement row in array.EnumerateArray())
        {
            var values = new double[row.GetArrayLength()];
            int j = 0;
            foreach (JsonElement element in row.EnumerateArray())
            {
                values[j++] = element.GetDouble();
            }

            rows[i++] = values;
        }

        return rows;
    }

    /// <summary>The field <paramref name="name"/>: an integer.</summary>
    public static int Int(JsonElement input, string name) => Field(input, name).GetInt32();

    /// <summary>The field <paramref name="name"/>: a number.</summary>
    public static double Double(JsonElement input, string name) => Field(input, name).GetDouble();

    /// <summary>The field <paramref name="name"/>, or an error naming it.</summary>
    public static JsonElement Field(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new ArgumentException($"the input has no field '{name}'");
}
