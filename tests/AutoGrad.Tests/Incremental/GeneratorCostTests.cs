using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoGrad.Generator;
using AutoGrad.Generator.Model;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Incremental;

/// <summary>
/// A synthetic project of 100 [Differentiable] methods (issue 8, "Generator cost"): scalar formulas, loops over
/// arrays and spans with local arrays, calls of [Differentiable] and plain helpers, float and double, nested
/// types, in ten files, plus a file of plain code that the edits below touch.
/// </summary>
internal static class CostProject
{
    public const int Files = 10;
    public const int MethodsPerFile = 10;
    public const int Methods = Files * MethodsPerFile;

    /// <summary>The file of plain (non-differentiable) code, after the ten files of methods.</summary>
    public static string PlainPath => "Source" + Files + ".cs";

    /// <summary>The name of the i-th method (unique in the project).</summary>
    public static string Name(int i) => "M" + i.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>A constant that appears once in the project, in the i-th method's body only.</summary>
    public static string Constant(int i) => "1.0" + i.ToString("D2", CultureInfo.InvariantCulture);

    public static List<string> Sources()
    {
        var sources = new List<string>();
        for (int file = 0; file < Files; file++)
        {
            sources.Add(Group(file));
        }

        sources.Add(Plain(0));
        return sources;
    }

    /// <summary>Plain code the methods call (Helpers) and code nothing differentiable reads (Unrelated).</summary>
    public static string Plain(int edit) => $$"""
        using System;

        namespace Cost
        {
            public static class Helpers
            {
                public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

                public static double Dot(double[] a, double[] b)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
                    return s;
                }
            }

            public static class Unrelated
            {
                public static int Count(int n)
                {
                    return n + {{edit}};
                }
            }
        }
        """;

    private static string Group(int file)
    {
        var outer = new StringBuilder();
        var inner = new StringBuilder();
        for (int k = 0; k < MethodsPerFile; k++)
        {
            int i = file * MethodsPerFile + k;
            (k == 8 ? inner : outer).Append(Method(i, k)).Append('\n');
        }

        string ns = "Cost.Group" + file.ToString(CultureInfo.InvariantCulture);
        return $$"""
            using System;
            using AutoGrad;

            namespace {{ns}}
            {
                public static partial class Model
                {
            {{outer}}
                    public static partial class Inner
                    {
            {{inner}}
                    }
                }
            }
            """;
    }

    /// <summary>The i-th method, of kind <paramref name="kind"/> (its place in its file).</summary>
    private static string Method(int i, int kind)
    {
        string n = Name(i), c = Constant(i);
        return kind switch
        {
            0 => $$"""
                    [Differentiable]
                    public static double {{n}}(double x, double y)
                    {
                        double a = x * y + {{c}};
                        if (a > 0) return Math.Exp(-a) * Math.Log(1 + x * x);
                        return Math.Tanh(a) - y;
                    }
            """,
            1 => $$"""
                    [Differentiable]
                    public static float {{n}}(float x,float y)
                    {
                        var t = MathF.Tanh(x*y) + (float){{c}} * x;
                        return t*t + MathF.Exp( -y );
                    }
            """,
            2 => $$"""
                    [Differentiable]
                    internal static double {{n}}(double x, double p) =>
                        x > 1 ? Math.Pow(x, p) * {{c}} : Math.Sqrt(1 + x * x) + p;
            """,
            3 => $$"""
                    [Differentiable]
                    public static double {{n}}(double[] x, double w)
                    {
                        double s = 0;
                        for (int k = 0; k < x.Length; k++)
                        {
                            s += x[k] * w * {{c}};
                        }

                        return s * s;
                    }
            """,
            4 => $$"""
                    [Differentiable]
                    public static double {{n}}(ReadOnlySpan<double> z, double temp)
                    {
                        double m = double.NegativeInfinity;
                        foreach (double v in z) if (v > m) m = v;
                        double s = 0;
                        for (int k = 0; k < z.Length; k++) s += Math.Exp((z[k] - m) / temp);
                        return m + temp * Math.Log(s) * {{c}};
                    }
            """,
            5 => $$"""
                    [Differentiable]
                    public static double {{n}}(double[] x)
                    {
                        var sq = new double[x.Length];
                        for (int k = 0; k < x.Length; k++) sq[k] = x[k] * x[k] * {{c}};
                        double total = 0;
                        foreach (var e in sq) total += e;
                        return Math.Sqrt(total + 1e-9);
                    }
            """,
            6 => $$"""
                    [Differentiable]
                    public static double {{n}}(double x, double y)
                    {
                        double u = {{Name(i - 6)}}(x, y) * {{c}};
                        return u + {{Name(i - 4)}}(y, 2.0);
                    }
            """,
            7 => $$"""
                    [Differentiable]
                    public static double {{n}}(double[] w, [NoGrad] double[] xs, double b)
                    {
                        double z = Cost.Helpers.Dot(w, xs) + b * {{c}};
                        return Cost.Helpers.Softplus(z);
                    }
            """,
            8 => $$"""
                        [Differentiable]
                        public static float {{n}}(float[] x, float scale)
                        {
                            float acc = 0f;
                            for (int k = 0; k < x.Length; k++)
                            {
                                if (x[k] > 0f) acc += x[k] * scale;
                                else acc -= 0.5f * x[k] * x[k];
                            }

                            return acc * (float){{c}};
                        }
            """,
            _ => $$"""
                    [Differentiable]
                    public static double {{n}}(double x, int steps)
                    {
                        double r = x;
                        int k = 0;
                        while (k < steps)
                        {
                            r = r * {{c}} + Math.Sin(r);
                            k++;
                        }

                        return r;
                    }
            """,
        };
    }

    public static CSharpCompilation Compilation() => TestCompiler.CreateCompilation(Sources());

    public static SyntaxTree Tree(Compilation compilation, string path) => compilation.SyntaxTrees.Single(t => t.FilePath == path);

    /// <summary>Replaces the plain file's tree with <see cref="Plain"/>(<paramref name="edit"/>): an unrelated edit.</summary>
    public static Compilation EditPlain(Compilation compilation, int edit)
    {
        var old = Tree(compilation, PlainPath);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Plain(edit), TestCompiler.ParseOptions, path: PlainPath));
    }

    /// <summary>Each Differentiate output: the method's name and why it was (or was not) recomputed.</summary>
    public static List<(string Method, IncrementalStepRunReason Reason)> Differentiations(GeneratorRunResult result)
    {
        Assert.True(result.TrackedSteps.ContainsKey(TrackingNames.Differentiate), "No tracked Differentiate step");
        return result.TrackedSteps[TrackingNames.Differentiate]
            .SelectMany(s => s.Outputs)
            .Select(o => (((BackwardModel)o.Value).OriginalName, o.Reason))
            .ToList();
    }
}

/// <summary>The 100-method project generates cleanly, and edits redo exactly what they must.</summary>
public class GeneratorCostTests
{
    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = CostProject.Compilation();
        var driver = TestCompiler.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var differentiated = CostProject.Differentiations(driver.GetRunResult().Results.Single());
        Assert.Equal(CostProject.Methods, differentiated.Count);
        Assert.All(differentiated, d => Assert.Equal(IncrementalStepRunReason.New, d.Reason));
        return (driver, compilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, Compilation edited) =>
        driver.RunGenerators(edited).GetRunResult().Results.Single();

    /// <summary>The methods whose Differentiate step ran again (anything but Cached).</summary>
    private static List<string> Redone(GeneratorRunResult result)
    {
        var all = CostProject.Differentiations(result);
        Assert.Equal(CostProject.Methods, all.Count);
        return all.Where(d => d.Reason != IncrementalStepRunReason.Cached).Select(d => d.Method + " (" + d.Reason + ")").ToList();
    }

    private static void AssertNothingRedone(GeneratorRunResult result)
    {
        Assert.Null(result.Exception);
        var redone = Redone(result);
        Assert.True(redone.Count == 0, "Re-differentiated after an unrelated edit: " + string.Join(", ", redone));
        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Equal(CostProject.Methods, sourceOutputs.Count);
        Assert.All(sourceOutputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void The_whole_project_generates_and_compiles_without_diagnostics()
    {
        var sources = CostProject.Sources();
        var run = TestCompiler.RunClean(sources);
        Assert.Equal(CostProject.Methods, run.GeneratedSources.Length);
        var text = string.Join("\n", run.GeneratedText.Values);
        for (int i = 0; i < CostProject.Methods; i++)
        {
            Assert.Contains(" " + CostProject.Name(i) + "Backward(", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Editing_an_unrelated_method_in_another_file_differentiates_nothing_again()
    {
        var (driver, compilation) = FirstRun();
        AssertNothingRedone(Rerun(driver, CostProject.EditPlain(compilation, 7)));
    }

    [Fact]
    public void Adding_an_unrelated_file_differentiates_nothing_again()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Cost.Elsewhere { internal sealed class Added { public double Value(double x) => System.Math.Exp(x); } }",
            TestCompiler.ParseOptions,
            path: "Added.cs"));
        AssertNothingRedone(Rerun(driver, edited));
    }

    /// <summary>Changes the i-th method's constant 1.0… to 2.0…: an edit of its body that moves no other method.</summary>
    private static Compilation EditConstant(Compilation compilation, int i)
    {
        var old = CostProject.Tree(compilation, "Source" + (i / CostProject.MethodsPerFile) + ".cs");
        string text = old.GetText().ToString();
        string constant = CostProject.Constant(i);
        Assert.Equal(1, CountOf(text, constant));
        var tree = CSharpSyntaxTree.ParseText(text.Replace(constant, "2" + constant.Substring(1), StringComparison.Ordinal), TestCompiler.ParseOptions, path: old.FilePath);
        return compilation.ReplaceSyntaxTree(old, tree);
    }

    [Fact]
    public void Editing_one_methods_body_differentiates_that_method_only()
    {
        // M013 is a loop that no other method calls.
        var (driver, compilation) = FirstRun();
        var result = Rerun(driver, EditConstant(compilation, 13));
        Assert.Null(result.Exception);
        Assert.Equal(new[] { "M013 (Modified)" }, Redone(result));
        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Single(sourceOutputs, o => o.Reason != IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Editing_a_differentiable_callee_differentiates_it_and_its_caller()
    {
        // M010 is called by M016: the caller's Backward holds the callee's body, so both are redone (and no others).
        var (driver, compilation) = FirstRun();
        var redone = Redone(Rerun(driver, EditConstant(compilation, 10)));
        Assert.Equal(new[] { "M010 (Modified)", "M016 (Modified)" }, redone.OrderBy(s => s, StringComparer.Ordinal));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

/// <summary>
/// Not a test: a measurement of the generator's time over the 100-method project, for docs/performance.md.
/// It does nothing (and passes) unless AUTOGRAD_MEASURE_GENERATOR=1; the assertions that guard the behaviour
/// it measures are in <see cref="GeneratorCostTests"/>. Run it alone, so no other test shares the process's
/// JIT or the machine's cores:
/// <c>AUTOGRAD_MEASURE_GENERATOR=1 AUTOGRAD_MEASURE_OUT=/tmp/gencost.md dotnet test tests/AutoGrad.Tests
/// --filter FullyQualifiedName~GeneratorCostMeasurement --logger "console;verbosity=detailed"</c>.
/// </summary>
public class GeneratorCostMeasurement
{
    private const int ColdRuns = 9;
    private const int EditRuns = 9;

    private readonly ITestOutputHelper _output;

    public GeneratorCostMeasurement(ITestOutputHelper output)
    {
        _output = output;
    }

    private readonly record struct Sample(double DriverMs, double GeneratorMs, double WallMs);

    /// <summary>Runs <paramref name="driver"/> over <paramref name="compilation"/> and reads its timing.</summary>
    private static Sample Time(ref GeneratorDriver driver, Compilation compilation)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        driver = driver.RunGenerators(compilation);
        watch.Stop();
        var timing = driver.GetTimingInfo();
        return new Sample(timing.ElapsedTime.TotalMilliseconds, timing.GeneratorTimes.Single().ElapsedTime.TotalMilliseconds, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>A fresh compilation of the same syntax trees: nothing bound yet, as in a new build.</summary>
    private static CSharpCompilation Fresh(CSharpCompilation compilation) =>
        CSharpCompilation.Create(compilation.AssemblyName + "_" + Guid.NewGuid().ToString("N"), compilation.SyntaxTrees, compilation.References, compilation.Options);

    private static Sample Median(IEnumerable<Sample> samples)
    {
        var list = samples.ToList();
        static double Mid(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }

        return new Sample(Mid(list.Select(s => s.DriverMs)), Mid(list.Select(s => s.GeneratorMs)), Mid(list.Select(s => s.WallMs)));
    }

    private static string StepTimes(GeneratorRunResult result) =>
        string.Join(", ", result.TrackedSteps
            .Select(s => (s.Key, Ms: s.Value.Sum(step => step.ElapsedTime.TotalMilliseconds)))
            .OrderByDescending(s => s.Ms)
            .Select(s => s.Key + " " + s.Ms.ToString("F1", CultureInfo.InvariantCulture)));

    [Fact]
    public void Measure_generator_time_per_method()
    {
        if (Environment.GetEnvironmentVariable("AUTOGRAD_MEASURE_GENERATOR") != "1")
        {
            _output.WriteLine("Skipped: set AUTOGRAD_MEASURE_GENERATOR=1 to measure (this is a measurement, not a test).");
            return;
        }

        var project = CostProject.Compilation();

        // The process's first run: includes JIT of the generator (and of the compiler's binding code it calls).
        var driver = TestCompiler.CreateDriver();
        var first = Time(ref driver, Fresh(project));
        Assert.Equal(CostProject.Methods, driver.GetRunResult().GeneratedTrees.Length);

        // One more warm-up, then cold runs: a fresh driver (no cached state) over a fresh compilation each time.
        var warm = TestCompiler.CreateDriver();
        Time(ref warm, Fresh(project));
        var cold = new List<Sample>();
        for (int r = 0; r < ColdRuns; r++)
        {
            var fresh = TestCompiler.CreateDriver();
            cold.Add(Time(ref fresh, Fresh(project)));
        }

        // After an unrelated edit (another file's plain method changes), each edit building on the last.
        var incremental = TestCompiler.CreateDriver();
        Compilation current = Fresh(project);
        Time(ref incremental, current);
        var edits = new List<Sample>();
        for (int r = 1; r <= EditRuns; r++)
        {
            current = CostProject.EditPlain(current, r);
            edits.Add(Time(ref incremental, current));
            Assert.Equal(CostProject.Methods, incremental.GetRunResult().GeneratedTrees.Length);
        }

        // Where the time goes: one more cold run and one more edit, with the steps tracked (tracking costs a little).
        var tracked = TestCompiler.CreateDriver(trackSteps: true);
        var trackedCompilation = Fresh(project);
        Time(ref tracked, trackedCompilation);
        string coldSteps = StepTimes(tracked.GetRunResult().Results.Single());
        Time(ref tracked, CostProject.EditPlain(trackedCompilation, 1));
        string editSteps = StepTimes(tracked.GetRunResult().Results.Single());

        // For scale: the compiler's own binding and diagnostics of the same 100 methods (no generator).
        var compile = new List<double>();
        for (int r = 0; r < 3; r++)
        {
            var watch = Stopwatch.StartNew();
            Fresh(project).GetDiagnostics();
            compile.Add(watch.Elapsed.TotalMilliseconds);
        }

        var rows = new[]
        {
            ("First cold run in the process (includes JIT)", first),
            ("Cold, fresh driver and compilation (median of " + ColdRuns + ")", Median(cold)),
            ("After an unrelated edit (median of " + EditRuns + ")", Median(edits)),
        };

        var table = new StringBuilder();
        table.AppendLine("| run | driver ms | generator ms | generator ms/method | wall ms |");
        table.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (label, s) in rows)
        {
            table.AppendLine(string.Format(
                CultureInfo.InvariantCulture,
                "| {0} | {1:F1} | {2:F1} | {3:F3} | {4:F1} |",
                label,
                s.DriverMs,
                s.GeneratorMs,
                s.GeneratorMs / CostProject.Methods,
                s.WallMs));
        }

        table.AppendLine();
        table.AppendLine(string.Format(
            CultureInfo.InvariantCulture,
            "{0} [Differentiable] methods; all cold runs (ms, generator): {1}; all edit runs: {2}.",
            CostProject.Methods,
            string.Join(", ", cold.Select(s => s.GeneratorMs.ToString("F1", CultureInfo.InvariantCulture))),
            string.Join(", ", edits.Select(s => s.GeneratorMs.ToString("F1", CultureInfo.InvariantCulture)))));

        table.AppendLine();
        table.AppendLine("Tracked step time (ms, sum over the step's runs), cold: " + coldSteps + "; after an unrelated edit: " + editSteps + ".");
        table.AppendLine();
        table.AppendLine(string.Format(CultureInfo.InvariantCulture, "For scale, the compiler's GetDiagnostics() of the same project without the generator: {0:F0} ms (median of 3).", compile.OrderBy(v => v).ElementAt(1)));

        _output.WriteLine(table.ToString());
        string? path = Environment.GetEnvironmentVariable("AUTOGRAD_MEASURE_OUT");
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, table.ToString());
        }
    }
}
