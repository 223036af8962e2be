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

            ["gmm"] = Gmm(handWritten),
            ["lstm"] = Lstm(handWritten),
            ["ba"] = Ba(handWritten),
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

    /// <summary>
    /// <c>gmm</c>: input <c>{d, k, n, x: [[d]×n], m, gamma, alpha: [k], mu: [[d]×k], q: [[d]×k], l: [[d(d−1)/2]×k]}</c>;
    /// <c>objective</c> → number, <c>jacobian</c> → <c>{"alpha":[k], "mu":[[d]×k], "q":[[d]×k], "l":[[d(d−1)/2]×k]}</c>.
    /// </summary>
    public static EvalModule Gmm(bool handWritten) => new()
    {
        ["objective"] = input =>
        {
            GmmInput gmm = GmmInputOf(input);
            double y = 0.0;
            return new PreparedFunction(() => y = Problems.Gmm.Objective(gmm), () => y);
        },
        ["jacobian"] = input =>
        {
            GmmInput gmm = GmmInputOf(input);
            var gradient = new GmmGradient(gmm.D, gmm.K);
            Action run = handWritten
                ? () => Problems.Gmm.HandGradient(gmm, gradient)
                : () => Problems.Gmm.Gradient(gmm, gradient);
            return new PreparedFunction(run, () => GmmOutput(gradient));
        },
    };

    /// <summary>The <c>gmm</c> input of a message (nested lists flattened).</summary>
    public static GmmInput GmmInputOf(JsonElement input) =>
        GmmInput.FromNested(
            EvalInput.Int(input, "d"), EvalInput.Int(input, "k"), EvalInput.Int(input, "n"),
            EvalInput.Doubles(input, "alpha"), EvalInput.DoubleRows(input, "mu"), EvalInput.DoubleRows(input, "q"),
            EvalInput.DoubleRows(input, "l"), EvalInput.DoubleRows(input, "x"),
            EvalInput.Double(input, "gamma"), EvalInput.Int(input, "m"));

    /// <summary>GradBench's <c>gmm</c> jacobian object, keys in its order.</summary>
    static Dictionary<string, object> GmmOutput(GmmGradient gradient)
    {
        (double[] alpha, double[][] mu, double[][] q, double[][] l) = gradient.ToNested();
        return new Dictionary<string, object>(StringComparer.Ordinal) { ["alpha"] = alpha, ["mu"] = mu, ["q"] = q, ["l"] = l };
    }

    /// <summary>
    /// <c>lstm</c>: input <c>{main_params: [[4b]×2l], extra_params: [[b]×3], state: [[b]×2l], sequence: [[b]×c]}</c>;
    /// <c>objective</c> → number, <c>jacobian</c> → <c>[8·l·b + 3·b]</c> (main parameters row by row, then extra).
    /// </summary>
    public static EvalModule Lstm(bool handWritten) => new()
    {
        ["objective"] = input =>
        {
            LstmInput lstm = LstmInputOf(input);
            double y = 0.0;
            return new PreparedFunction(() => y = Problems.Lstm.Objective(lstm), () => y);
        },
        ["jacobian"] = input =>
        {
            LstmInput lstm = LstmInputOf(input);
            var gradient = new double[lstm.MainParams.Length + lstm.ExtraParams.Length];
            Action run = handWritten
                ? () => Problems.Lstm.HandGradient(lstm, gradient)
                : () => Problems.Lstm.Gradient(lstm, gradient);
            return new PreparedFunction(run, () => gradient);
        },
    };

    /// <summary>The <c>lstm</c> input of a message; l, c and b follow from the shapes.</summary>
    public static LstmInput LstmInputOf(JsonElement input) =>
        LstmInput.FromNested(
            EvalInput.DoubleRows(input, "main_params"), EvalInput.DoubleRows(input, "extra_params"),
            EvalInput.DoubleRows(input, "state"), EvalInput.DoubleRows(input, "sequence"));

    /// <summary>
    /// <c>ba</c>: input <c>{n, m, p, cam: [11], x: [3], w, feat: [2]}</c>, replicated to n cameras, m points and p
    /// observations while preparing; <c>objective</c> →
    /// <c>{"reproj_error":{"elements":[e0,e1],"repeated":p}, "w_err":{"element":e,"repeated":p}}</c>,
    /// <c>jacobian</c> → <c>{"rows":[…], "cols":[…], "vals":[…]}</c> (the first 30 entries of each and the last).
    /// </summary>
    public static EvalModule Ba(bool handWritten) => new()
    {
        ["objective"] = input =>
        {
            BaInput ba = BaInputOf(input);
            var objective = new BaObjective(ba.P);
            return new PreparedFunction(
                () => Problems.Ba.Objective(ba, objective),
                () => new
                {
                    reproj_error = new { elements = objective.ReprojElements, repeated = objective.Repeated },
                    w_err = new { element = objective.WElement, repeated = objective.Repeated },
                });
        },
        ["jacobian"] = input =>
        {
            BaInput ba = BaInputOf(input);
            var jacobian = new BaJacobian(ba.N, ba.M, ba.P);
            Action run = handWritten
                ? () => Problems.Ba.HandJacobian(ba, jacobian)
                : () => Problems.Ba.Jacobian(ba, jacobian);
            return new PreparedFunction(run, () =>
            {
                (int[] rows, int[] cols, double[] vals) = jacobian.Summary();
                return new { rows, cols, vals };
            });
        },
    };

    /// <summary>The <c>ba</c> input of a message, replicated.</summary>
    public static BaInput BaInputOf(JsonElement input) =>
        new(EvalInput.Int(input, "n"), EvalInput.Int(input, "m"), EvalInput.Int(input, "p"),
            EvalInput.Doubles(input, "cam"), EvalInput.Doubles(input, "x"), EvalInput.Double(input, "w"), EvalInput.Doubles(input, "feat"));

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
