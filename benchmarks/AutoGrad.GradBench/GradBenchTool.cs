using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;

namespace AutoGrad.GradBench;

/// <summary>
/// The GradBench protocol loop (CONTRIBUTING.md of gradbench/gradbench): each message line gets exactly one
/// response line with the same <c>id</c>. <c>start</c> → the tool's name; <c>define</c> → whether the module is
/// known; <c>evaluate</c> → the function's output and one <c>evaluate</c> timing per run; anything else → the id.
/// </summary>
public sealed class GradBenchTool
{
    readonly IReadOnlyDictionary<string, EvalModule> modules;
    readonly string name;
    readonly TextWriter log;

    /// <summary>A tool answering for <paramref name="modules"/>, naming itself <paramref name="name"/>, logging to <paramref name="log"/>.</summary>
    public GradBenchTool(IReadOnlyDictionary<string, EvalModule> modules, string name, TextWriter log)
    {
        this.modules = modules;
        this.name = name;
        this.log = log;
    }

    /// <summary>Answers every line of <paramref name="input"/> until it ends, one line each on <paramref name="output"/> (flushed per line).</summary>
    public void Run(TextReader input, TextWriter output)
    {
        string? line;
        while ((line = input.ReadLine()) != null)
        {
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            output.Write(Respond(line));
            output.Write('\n');
            output.Flush();
        }
    }

    /// <summary>The response line (without its newline) to one message line.</summary>
    public string Respond(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement message = document.RootElement;
        JsonElement id = message.GetProperty("id");
        string kind = message.TryGetProperty("kind", out JsonElement k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            switch (kind)
            {
                case "start":
                    writer.WriteString("tool", name);
                    log.WriteLine($"[{name}] start {(message.TryGetProperty("eval", out JsonElement eval) ? eval.ToString() : "")}");
                    break;
                case "define":
                    Define(message, writer);
                    break;
                case "evaluate":
                    Evaluate(message, writer);
                    break;
                default:
                    if (kind == "analysis" && message.TryGetProperty("valid", out JsonElement valid) && valid.ValueKind == JsonValueKind.False)
                    {
                        log.WriteLine($"[{name}] the eval found the output of message {message.GetProperty("of")} invalid: {(message.TryGetProperty("error", out JsonElement e) ? e.ToString() : "")}");
                    }

                    break;
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    void Define(JsonElement message, Utf8JsonWriter writer)
    {
        string module = message.GetProperty("module").GetString() ?? "";
        bool known = modules.ContainsKey(module);
        writer.WriteBoolean("success", known);
        if (!known)
        {
            writer.WriteString("error", $"{name} has no module '{module}' (it has: {string.Join(", ", modules.Keys)})");
        }

        log.WriteLine($"[{name}] define {module}: {(known ? "ok" : "unknown")}");
    }

    void Evaluate(JsonElement message, Utf8JsonWriter writer)
    {
        string module = message.GetProperty("module").GetString() ?? "";
        string function = message.GetProperty("function").GetString() ?? "";
        JsonElement input = message.GetProperty("input");
        try
        {
            if (!modules.TryGetValue(module, out EvalModule? functions))
            {
                throw new InvalidOperationException($"unknown module '{module}'");
            }

            if (!functions.TryGetValue(function, out Prepare? prepare))
            {
                throw new InvalidOperationException($"module '{module}' has no function '{function}' (it has: {string.Join(", ", functions.Keys)})");
            }

            // Parsing and conversion stay outside the timings; each run is timed alone.
            (int minRuns, double minSeconds) = Runs(input);
            long prepareStart = Stopwatch.GetTimestamp();
            PreparedFunction prepared = prepare(input);
            long prepareTicks = Stopwatch.GetTimestamp() - prepareStart;

            var timings = new List<long>();
            long total = 0;
            long minNanoseconds = (long)(minSeconds * 1e9);
            do
            {
                long start = Stopwatch.GetTimestamp();
                prepared.Run();
                long nanoseconds = ToNanoseconds(Stopwatch.GetTimestamp() - start);
                timings.Add(nanoseconds);
                total += nanoseconds;
            }
            while (timings.Count < minRuns || total < minNanoseconds);

            object result = prepared.Output();

            // Serialise the output before writing "success", so a failure (NaN, say) still gives a clean error response.
            byte[] outputJson = JsonSerializer.SerializeToUtf8Bytes(result, result.GetType());
            writer.WriteBoolean("success", true);
            writer.WritePropertyName("output");
            writer.WriteRawValue(outputJson, skipInputValidation: true);
            writer.WriteStartArray("timings");
            writer.WriteStartObject();
            writer.WriteString("name", "prepare");
            writer.WriteNumber("nanoseconds", ToNanoseconds(prepareTicks));
            writer.WriteEndObject();
            foreach (long t in timings)
            {
                writer.WriteStartObject();
                writer.WriteString("name", "evaluate");
                writer.WriteNumber("nanoseconds", t);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            log.WriteLine($"[{name}] {module}::{function} {Describe(message)}: {timings.Count} runs, mean {total / 1e6 / timings.Count:F3} ms");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            writer.WriteBoolean("success", false);
            writer.WriteString("error", $"{exception.GetType().Name}: {exception.Message}");
            log.WriteLine($"[{name}] {module}::{function} failed: {exception}");
        }
    }

    static string Describe(JsonElement message) =>
        message.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";

    /// <summary><c>min_runs</c> (default 1) and <c>min_seconds</c> (default 0) of an input object; a bare input (hello) runs once.</summary>
    static (int MinRuns, double MinSeconds) Runs(JsonElement input)
    {
        int minRuns = 1;
        double minSeconds = 0.0;
        if (input.ValueKind == JsonValueKind.Object)
        {
            if (input.TryGetProperty("min_runs", out JsonElement runs) && runs.ValueKind == JsonValueKind.Number)
            {
                minRuns = Math.Max(1, runs.GetInt32());
            }

            if (input.TryGetProperty("min_seconds", out JsonElement seconds) && seconds.ValueKind == JsonValueKind.Number)
            {
                minSeconds = seconds.GetDouble();
            }
        }

        return (minRuns, minSeconds);
    }

    static long ToNanoseconds(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));
}
