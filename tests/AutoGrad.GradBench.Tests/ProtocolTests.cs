using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoGrad.GradBench;
using AutoGrad.GradBench.Problems;
using Xunit;

namespace AutoGrad.GradBench.Tests;

/// <summary>
/// The GradBench tool's protocol loop run in-process on sessions written here: ids echoed, one line per
/// message, output shapes as GradBench expects them, timings per run, and every gradient it returns checked
/// against central finite differences of the primal it returns.
/// </summary>
public class ProtocolTests
{
    static GradBenchTool NewTool(TextWriter? log = null) => new(Evals.Create(), "autograd-gen", log ?? TextWriter.Null);

    static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>Runs the lines through <see cref="GradBenchTool.Run"/> and returns the response lines and the log.</summary>
    static (List<JsonNode> Responses, string Log) Session(IEnumerable<string> messages)
    {
        var log = new StringWriter();
        var output = new StringWriter();
        NewTool(log).Run(new StringReader(string.Join("\n", messages) + "\n"), output);
        string text = output.ToString();
        Assert.EndsWith("\n", text);
        var responses = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        return (responses, log.ToString());
    }

    static string Evaluate(int id, string module, string function, object input) =>
        Json(new Dictionary<string, object> { ["id"] = id, ["kind"] = "evaluate", ["module"] = module, ["function"] = function, ["input"] = input, ["description"] = "test" });

    static Dictionary<string, object> Runs(Dictionary<string, object> input, int minRuns = 1, double minSeconds = 0)
    {
        input["min_runs"] = minRuns;
        input["min_seconds"] = minSeconds;
        return input;
    }

    static double[] Numbers(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<double>()).ToArray();

    [Fact]
    public void A_whole_session_over_every_module_answers_each_message_with_its_id_and_the_expected_shapes()
    {
        double[] lseX = Checks.Random(1, 5);
        double[] llsqX = Checks.Random(2, 3, 0, 1);
        double[] odeX = Checks.Random(3, 4, 0, 1);
        double[] detA = Checks.Random(4, 9);
        string[] messages =
        [
            """{"id":0,"kind":"start","eval":"mixed","config":{}}""",
            """{"id":1,"kind":"define","module":"hello"}""",
            """{"id":2,"kind":"evaluate","module":"hello","function":"square","input":3.0}""",
            """{"id":3,"kind":"analysis","of":2,"valid":true}""",
            """{"id":4,"kind":"evaluate","module":"hello","function":"double","input":9}""",
            """{"id":5,"kind":"analysis","of":4,"valid":false,"error":"just testing"}""",
            """{"id":6,"kind":"define","module":"lse"}""",
            Evaluate(7, "lse", "primal", Runs(new() { ["x"] = lseX })),
            Evaluate(8, "lse", "gradient", Runs(new() { ["x"] = lseX }, minRuns: 3)),
            """{"id":9,"kind":"define","module":"llsq"}""",
            Evaluate(10, "llsq", "primal", Runs(new() { ["x"] = llsqX, ["n"] = 6 })),
            Evaluate(11, "llsq", "gradient", Runs(new() { ["x"] = llsqX, ["n"] = 6 })),
            """{"id":12,"kind":"define","module":"ode"}""",
            Evaluate(13, "ode", "primal", Runs(new() { ["x"] = odeX, ["s"] = 3 })),
            Evaluate(14, "ode", "gradient", Runs(new() { ["x"] = odeX, ["s"] = 3 })),
            """{"id":15,"kind":"define","module":"det"}""",
            Evaluate(16, "det", "primal", Runs(new() { ["A"] = detA, ["ell"] = 3 })),
            Evaluate(17, "det", "gradient", Runs(new() { ["A"] = detA, ["ell"] = 3 })),
            """{"id":18,"kind":"define","module":"no-such-eval"}""",
            """{"id":19,"kind":"something-new"}""",
            "",
            """{"id":20,"kind":"analysis","of":17,"valid":true}""",
        ];

        (List<JsonNode> r, string log) = Session(messages);

        Assert.Equal(21, r.Count); // the blank line gets no answer
        for (int i = 0; i < r.Count; i++)
        {
            Assert.Equal(i, r[i]["id"]!.GetValue<int>());
        }

        Assert.Equal("autograd-gen", r[0]["tool"]!.GetValue<string>());
        foreach (int define in new[] { 1, 6, 9, 12, 15 })
        {
            Assert.True(r[define]["success"]!.GetValue<bool>());
        }

        Assert.False(r[18]["success"]!.GetValue<bool>());
        Assert.Contains("no-such-eval", r[18]["error"]!.GetValue<string>());
        foreach (int bare in new[] { 3, 5, 19, 20 })
        {
            Assert.Equal("""{"id":BARE}""".Replace("BARE", bare.ToString(CultureInfo.InvariantCulture)), r[bare].ToJsonString());
        }

        Assert.Equal(9.0, r[2]["output"]!.GetValue<double>());
        Assert.Equal(18.0, r[4]["output"]!.GetValue<double>());
        Checks.Close(Lse.Primal(lseX), r[7]["output"]!.GetValue<double>(), 1e-15, "lse primal");
        Assert.Equal(5, Numbers(r[8]["output"]).Length);
        Checks.Close(Llsq.Primal(llsqX, 6), r[10]["output"]!.GetValue<double>(), 1e-15, "llsq primal");
        Assert.Equal(3, Numbers(r[11]["output"]).Length);
        var y = new double[4];
        Ode.Solve(odeX, 3, y);
        Assert.Equal(y, Numbers(r[13]["output"]));
        Assert.Equal(4, Numbers(r[14]["output"]).Length);
        Checks.Close(Det.Primal(detA, 3), r[16]["output"]!.GetValue<double>(), 1e-15, "det primal");
        Assert.Equal(9, Numbers(r[17]["output"]).Length);

        foreach (int evaluate in new[] { 2, 4, 7, 8, 10, 11, 13, 14, 16, 17 })
        {
            Assert.True(r[evaluate]["success"]!.GetValue<bool>());
            JsonArray timings = r[evaluate]["timings"]!.AsArray();
            int runs = timings.Count(t => t!["name"]!.GetValue<string>() == "evaluate");
            Assert.Equal(evaluate == 8 ? 3 : 1, runs);
            Assert.All(timings, t => Assert.True(t!["nanoseconds"]!.GetValue<long>() >= 0));
        }

        Assert.Contains("just testing", log);
    }

    [Fact]
    public void Runs_continue_until_min_seconds_is_reached()
    {
        string line = Evaluate(0, "lse", "primal", Runs(new() { ["x"] = new[] { 1.0, 2.0 } }, minRuns: 2, minSeconds: 0.02));
        JsonNode response = JsonNode.Parse(NewTool().Respond(line))!;
        long[] runs = response["timings"]!.AsArray()
            .Where(t => t!["name"]!.GetValue<string>() == "evaluate")
            .Select(t => t!["nanoseconds"]!.GetValue<long>())
            .ToArray();
        Assert.True(runs.Length >= 2);
        Assert.True(runs.Sum() >= 20_000_000, $"{runs.Length} runs adding up to {runs.Sum()} ns");
        Assert.True(runs.Take(runs.Length - 1).Sum() < 20_000_000, "one run more than needed");
    }

    [Fact]
    public void A_function_that_fails_or_an_unknown_function_gives_success_false_with_an_error()
    {
        GradBenchTool tool = NewTool();
        JsonNode bad = JsonNode.Parse(tool.Respond(Evaluate(41, "det", "gradient", Runs(new() { ["A"] = new[] { 1.0, 2.0, 3.0 }, ["ell"] = 2 }))))!;
        Assert.Equal(41, bad["id"]!.GetValue<int>());
        Assert.False(bad["success"]!.GetValue<bool>());
        Assert.Contains("ell", bad["error"]!.GetValue<string>());

        JsonNode missing = JsonNode.Parse(tool.Respond(Evaluate(42, "llsq", "gradient", Runs(new() { ["x"] = new[] { 1.0 } }))))!;
        Assert.False(missing["success"]!.GetValue<bool>());
        Assert.Contains("'n'", missing["error"]!.GetValue<string>());

        JsonNode unknown = JsonNode.Parse(tool.Respond(Evaluate(43, "lse", "hessian", Runs(new() { ["x"] = new[] { 1.0 } }))))!;
        Assert.False(unknown["success"]!.GetValue<bool>());
        Assert.Contains("hessian", unknown["error"]!.GetValue<string>());

        // NaN cannot be written as JSON: an error, not a broken line.
        JsonNode nan = JsonNode.Parse(tool.Respond(Evaluate(44, "lse", "gradient", Runs(new() { ["x"] = new[] { 1.0 } }))
            .Replace("[1]", "[1e400]", StringComparison.Ordinal)))!;
        Assert.Equal(44, nan["id"]!.GetValue<int>());
        Assert.False(nan["success"]!.GetValue<bool>());
    }

    /// <summary>The gradient the tool answers against central differences of the primal the tool answers.</summary>
    [Theory]
    [InlineData("lse", 5)]
    [InlineData("llsq", 4)]
    [InlineData("ode", 5)]
    [InlineData("det", 16)]
    public void Each_gradient_it_answers_matches_finite_differences_of_the_primal_it_answers(string module, int size)
    {
        GradBenchTool tool = NewTool();
        double[] point = Checks.Random(size, size, module == "lse" || module == "det" ? -1 : 0, 1);
        string key = module == "det" ? "A" : "x";
        Dictionary<string, object> Input(double[] x)
        {
            var input = new Dictionary<string, object> { [key] = x };
            switch (module)
            {
                case "llsq": input["n"] = 9; break;
                case "ode": input["s"] = 4; break;
                case "det": input["ell"] = 4; break;
            }

            return Runs(input);
        }

        int id = 100;
        double Primal(double[] x)
        {
            JsonNode response = JsonNode.Parse(tool.Respond(Evaluate(id, module, "primal", Input(x))))!;
            Assert.Equal(id++, response["id"]!.GetValue<int>());
            JsonNode output = response["output"]!;
            return module == "ode" ? Numbers(output)[^1] : output.GetValue<double>(); // ode: the last element
        }

        JsonNode gradient = JsonNode.Parse(tool.Respond(Evaluate(7, module, "gradient", Input(point))))!;
        Assert.True(gradient["success"]!.GetValue<bool>());
        double[] analytic = Numbers(gradient["output"]);
        Checks.Close(Checks.FiniteDifferences(Primal, point), analytic, 1e-7, $"{module} gradient vs finite differences");
    }

    [Fact]
    public void The_hand_written_variant_gives_the_same_gradients()
    {
        var handWritten = new GradBenchTool(Evals.Create(handWritten: true), "autograd-gen (hand-written)", TextWriter.Null);
        GradBenchTool generated = NewTool();
        foreach ((string module, Dictionary<string, object> input) in new[]
        {
            ("lse", Runs(new() { ["x"] = Checks.Random(1, 6) })),
            ("llsq", Runs(new() { ["x"] = Checks.Random(2, 4), ["n"] = 10 })),
            ("ode", Runs(new() { ["x"] = Checks.Random(3, 5), ["s"] = 2 })),
            ("det", Runs(new() { ["A"] = Checks.Random(4, 16), ["ell"] = 4 })),
        })
        {
            string line = Evaluate(1, module, "gradient", input);
            double[] a = Numbers(JsonNode.Parse(generated.Respond(line))!["output"]);
            double[] b = Numbers(JsonNode.Parse(handWritten.Respond(line))!["output"]);
            Checks.Close(b, a, 1e-10, module);
        }
    }

    /// <summary>Row-major <paramref name="flat"/> as GradBench's nested lists, <paramref name="width"/> per row.</summary>
    static double[][] Nested(double[] flat, int width) =>
        Enumerable.Range(0, flat.Length / width).Select(r => flat.AsSpan(r * width, width).ToArray()).ToArray();

    static double[][] NestedNumbers(JsonNode? node) => node!.AsArray().Select(Numbers).ToArray();

    static int[] Ints(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<int>()).ToArray();

    /// <summary>
    /// A session over gmm (d=2, k=3, n=5), lstm (l=2, c=3) and ba (n=1, m=1, p=2) with GradBench's input field
    /// names: each output has GradBench's shape and equals what the problems' own Objective/Gradient/Jacobian
    /// give (the hand-written ones under <c>--hand-written</c>); jacobians run twice, reusing their buffers.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gmm_lstm_and_ba_answer_with_gradbench_shapes_and_the_problems_own_gradients(bool handWritten)
    {
        const int d = 2, k = 3, n = 5;
        GmmInput gmm = GmmInput.Random(d, k, n, seed: 11, gamma: 1.5, m: 2);
        var gmmMessage = new Dictionary<string, object>
        {
            ["d"] = d, ["k"] = k, ["n"] = n, ["x"] = Nested(gmm.X, d), ["m"] = gmm.M, ["gamma"] = gmm.Gamma,
            ["alpha"] = gmm.Alpha, ["mu"] = Nested(gmm.Mu, d), ["q"] = Nested(gmm.Q, d), ["l"] = Nested(gmm.L, gmm.LSize),
        };
        LstmInput lstm = LstmInput.Random(l: 2, c: 3, seed: 12);
        int b = lstm.B;
        var lstmMessage = new Dictionary<string, object>
        {
            ["main_params"] = Nested(lstm.MainParams, 4 * b), ["extra_params"] = Nested(lstm.ExtraParams, b),
            ["state"] = Nested(lstm.State, b), ["sequence"] = Nested(lstm.Sequence, b),
        };

        // ba1's camera, point, weight and feature (GradBench's evals/ba/data).
        double[] cam = [-0.758453, -1.109613, -0.845551, 34.556073, 39.676747, 53.881673, 419.194514, 5.864426, -8.518870, 0.087812, 0.002739];
        double[] point = [7.203245, 0.001144, 3.023326];
        const double w = 0.417022;
        double[] feat = [271.760969, 834.209256];
        var ba = new BaInput(1, 1, 2, cam, point, w, feat);
        var baMessage = new Dictionary<string, object> { ["n"] = 1, ["m"] = 1, ["p"] = 2, ["cam"] = cam, ["x"] = point, ["w"] = w, ["feat"] = feat };

        string[] messages =
        [
            """{"id":0,"kind":"start","eval":"gmm"}""",
            """{"id":1,"kind":"define","module":"gmm"}""",
            Evaluate(2, "gmm", "objective", Runs(new(gmmMessage))),
            Evaluate(3, "gmm", "jacobian", Runs(new(gmmMessage), minRuns: 2)),
            """{"id":4,"kind":"define","module":"lstm"}""",
            Evaluate(5, "lstm", "objective", Runs(new(lstmMessage))),
            Evaluate(6, "lstm", "jacobian", Runs(new(lstmMessage), minRuns: 2)),
            """{"id":7,"kind":"define","module":"ba"}""",
            Evaluate(8, "ba", "objective", Runs(new(baMessage), minRuns: 2)),
            Evaluate(9, "ba", "jacobian", Runs(new(baMessage), minRuns: 2)),
        ];

        var output = new StringWriter();
        new GradBenchTool(Evals.Create(handWritten), "autograd-gen", TextWriter.Null).Run(new StringReader(string.Join("\n", messages)), output);
        List<JsonNode> r = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal(messages.Length, r.Count);
        for (int i = 0; i < r.Count; i++)
        {
            Assert.Equal(i, r[i]["id"]!.GetValue<int>());
            if (i > 0)
            {
                Assert.True(r[i]["success"]!.GetValue<bool>(), r[i].ToJsonString());
            }
        }

        foreach ((int id, int runs) in new[] { (2, 1), (3, 2), (5, 1), (6, 2), (8, 2), (9, 2) })
        {
            Assert.Equal(runs, r[id]["timings"]!.AsArray().Count(t => t!["name"]!.GetValue<string>() == "evaluate"));
        }

        // gmm: a number, then {"alpha":[k],"mu":[[d]×k],"q":[[d]×k],"l":[[d(d−1)/2]×k]} in that key order.
        Checks.Close(Gmm.Objective(gmm), r[2]["output"]!.GetValue<double>(), 1e-15, "gmm objective");
        JsonObject gmmJacobian = r[3]["output"]!.AsObject();
        Assert.Equal(["alpha", "mu", "q", "l"], gmmJacobian.Select(p => p.Key));
        (double[] alpha, double[][] mu, double[][] q, double[][] l) = (handWritten ? Gmm.HandGradient(gmm) : Gmm.Gradient(gmm)).ToNested();
        Assert.Equal(k, Numbers(gmmJacobian["alpha"]).Length);
        Checks.Close(alpha, Numbers(gmmJacobian["alpha"]), 1e-15, "gmm alpha");
        foreach ((string key, double[][] expected, int width) in new[] { ("mu", mu, d), ("q", q, d), ("l", l, d * (d - 1) / 2) })
        {
            double[][] actual = NestedNumbers(gmmJacobian[key]);
            Assert.Equal(k, actual.Length);
            for (int c = 0; c < k; c++)
            {
                Assert.Equal(width, actual[c].Length);
                Checks.Close(expected[c], actual[c], 1e-15, $"gmm {key}[{c}]");
            }
        }

        // lstm: a number, then [8·l·b + 3·b].
        Checks.Close(Lstm.Objective(lstm), r[5]["output"]!.GetValue<double>(), 1e-15, "lstm objective");
        double[] lstmJacobian = Numbers(r[6]["output"]);
        Assert.Equal(8 * 2 * b + 3 * b, lstmJacobian.Length);
        Checks.Close(handWritten ? Lstm.HandGradient(lstm) : Lstm.Gradient(lstm), lstmJacobian, 1e-15, "lstm jacobian");

        // ba: the first observation's errors and p; the first 30 CSR entries and the last.
        BaObjective objective = Ba.Objective(ba);
        JsonNode baObjective = r[8]["output"]!;
        Assert.Equal(["reproj_error", "w_err"], baObjective.AsObject().Select(p => p.Key));
        Assert.Equal(["elements", "repeated"], baObjective["reproj_error"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["element", "repeated"], baObjective["w_err"]!.AsObject().Select(p => p.Key));
        Checks.Close(objective.ReprojElements, Numbers(baObjective["reproj_error"]!["elements"]), 1e-15, "ba reproj_error");
        Assert.Equal(2, baObjective["reproj_error"]!["repeated"]!.GetValue<int>());
        Checks.Close(objective.WElement, baObjective["w_err"]!["element"]!.GetValue<double>(), 1e-15, "ba w_err");
        Assert.Equal(2, baObjective["w_err"]!["repeated"]!.GetValue<int>());

        (int[] rows, int[] cols, double[] vals) = (handWritten ? Ba.HandJacobian(ba) : Ba.Jacobian(ba)).Summary();
        JsonNode baJacobian = r[9]["output"]!;
        Assert.Equal(["rows", "cols", "vals"], baJacobian.AsObject().Select(p => p.Key));
        Assert.Equal(31, cols.Length);
        Assert.Equal(31, vals.Length);
        Assert.Equal(3 * 2 + 1, rows.Length); // 3p + 1 row starts: fewer than 31 at p = 2
        Assert.Equal(rows, Ints(baJacobian["rows"]));
        Assert.Equal(cols, Ints(baJacobian["cols"]));
        Checks.Close(vals, Numbers(baJacobian["vals"]), 1e-15, "ba vals");
    }
}
