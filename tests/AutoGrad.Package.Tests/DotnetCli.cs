using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace AutoGrad.Package.Tests;

/// <summary>The outcome of one <c>dotnet</c> run: exit code and the interleaved output, for assertion messages.</summary>
public sealed record CliResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() => $"`{Command}` exited {ExitCode} after {Elapsed.TotalSeconds:F1} s; output:\n{Output}";
}

/// <summary>
/// Runs the <c>dotnet</c> on PATH as a child process with a time limit, in an environment cleaned of what
/// <c>dotnet test</c> sets for its own MSBuild (which would point a child build at the wrong MSBuild), with
/// node reuse, the MSBuild server and telemetry off so no child process outlives the run.
/// </summary>
internal static class DotnetCli
{
    public static CliResult Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) info.ArgumentList.Add(arg);

        foreach (string name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
                name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(name);
            }
        }
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        if (environment is not null)
        {
            foreach (var pair in environment) info.Environment[pair.Key] = pair.Value;
        }

        string command = "dotnet " + string.Join(" ", args);
        var output = new StringBuilder();
        var stdoutDone = new TaskCompletionSource();
        var stderrDone = new TaskCompletionSource();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data, stdoutDone, "");
        process.ErrorDataReceived += (_, e) => Append(e.Data, stderrDone, "[stderr] ");
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(10_000);
            return new CliResult(command, -1, Snapshot() + $"\n[timed out after {timeout.TotalSeconds:F0} s and was killed]", clock.Elapsed);
        }
        // A grandchild that inherited the pipes (a compiler server) must not keep the test waiting for EOF.
        Task.WaitAll(new Task[] { stdoutDone.Task, stderrDone.Task }, TimeSpan.FromSeconds(10));
        return new CliResult(command, process.ExitCode, Snapshot(), clock.Elapsed);

        void Append(string? line, TaskCompletionSource done, string prefix)
        {
            if (line is null) { done.TrySetResult(); return; }
            lock (output) output.Append(prefix).AppendLine(line);
        }

        string Snapshot()
        {
            lock (output) return output.ToString();
        }
    }
}
