using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace AutoGrad.Package.Tests;

/// <summary>
/// The AutoGrad.Gen package as a user gets it: packed from the repository, restored by version from a
/// local feed into projects outside the solution, built with warnings as errors, and run.
/// </summary>
public sealed class PackageTests : IClassFixture<PackageFixture>
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private readonly PackageFixture _package;

    public PackageTests(PackageFixture package) => _package = package;

    [Fact]
    public void Package_holds_the_library_docs_generator_analyzers_code_fixes_and_readme()
    {
        AssertPacked();
        List<string> entries;
        using (var zip = ZipFile.OpenRead(_package.NupkgPath))
        {
            entries = zip.Entries.Select(e => e.FullName).ToList();
        }
        string listing = string.Join("\n", entries);

        foreach (string expected in new[]
        {
            "lib/netstandard2.0/AutoGrad.dll",
            "lib/netstandard2.0/AutoGrad.xml",
            "lib/net8.0/AutoGrad.dll",
            "lib/net8.0/AutoGrad.xml",
            "analyzers/dotnet/cs/AutoGrad.Generator.dll",
            "analyzers/dotnet/cs/AutoGrad.Analyzers.dll",
            "analyzers/dotnet/cs/AutoGrad.CodeFixes.dll",
            "README.md",
            "AutoGrad.Gen.nuspec",
        })
        {
            Assert.True(entries.Contains(expected), $"{expected} missing from the package:\n{listing}");
        }

        // Only our own Roslyn components: the compiler brings Roslyn itself.
        var analyzerDlls = entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).OrderBy(e => e, StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[] { "analyzers/dotnet/cs/AutoGrad.Analyzers.dll", "analyzers/dotnet/cs/AutoGrad.CodeFixes.dll", "analyzers/dotnet/cs/AutoGrad.Generator.dll" },
            analyzerDlls);
        var libFiles = entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)).ToList();
        Assert.True(libFiles.Count == 4, "lib/ should hold AutoGrad.dll and AutoGrad.xml per target framework:\n" + listing);

        string nuspec;
        using (var zip = ZipFile.OpenRead(_package.NupkgPath))
        using (var reader = new StreamReader(zip.GetEntry("AutoGrad.Gen.nuspec")!.Open()))
        {
            nuspec = reader.ReadToEnd();
        }
        Assert.Contains("<id>AutoGrad.Gen</id>", nuspec, StringComparison.Ordinal);
        Assert.Contains($"<version>{_package.Version}</version>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<repository type=\"git\"", nuspec, StringComparison.Ordinal);
        Assert.Contains("<tags>", nuspec, StringComparison.Ordinal);
        // The generator and analyzers are inside the package, never dependencies of it.
        Assert.DoesNotContain("AutoGrad.Generator\"", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("AutoGrad.Analyzers\"", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("AutoGrad.CodeFixes\"", nuspec, StringComparison.Ordinal);

        Assert.True(File.Exists(_package.SnupkgPath), "no symbols package next to the package:\n" + _package.Pack.Describe());
        using (var symbols = ZipFile.OpenRead(_package.SnupkgPath))
        {
            var pdbs = symbols.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
            Assert.Contains("lib/netstandard2.0/AutoGrad.pdb", pdbs);
            Assert.Contains("lib/net8.0/AutoGrad.pdb", pdbs);
        }
    }

    [Fact]
    public void Console_app_referencing_the_package_builds_without_warnings_and_prints_the_neuron_gradient()
    {
        AssertPacked();
        string sarif = Path.Combine(_package.ConsumersDirectory, "app.sarif");
        string dir = _package.CreateProject("App", new Dictionary<string, string>
        {
            ["App.csproj"] = _package.ConsumerProject("""
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                """),
            ["Program.cs"] = """
                using AutoGrad;

                double value = Circuits.NeuronBackward(2, -3, -3, -1, -2,
                    out double dW0, out double dW1, out double dW2, out double dX0, out double dX1);
                Console.WriteLine(FormattableString.Invariant($"value={value:R}"));
                Console.WriteLine(FormattableString.Invariant($"dX0={dX0:R}"));
                Console.WriteLine(FormattableString.Invariant($"dX1={dX1:R}"));
                Console.WriteLine(FormattableString.Invariant($"dW0={dW0:R}"));
                Console.WriteLine(FormattableString.Invariant($"dW1={dW1:R}"));
                Console.WriteLine(FormattableString.Invariant($"dW2={dW2:R}"));

                // The README's first method.
                double loss = Model.LossBackward(0.5, -1.0, 2.0, out double dLW, out double dLB, out double dLX);
                Console.WriteLine(FormattableString.Invariant($"loss={loss:R}"));
                Console.WriteLine(FormattableString.Invariant($"loss.dW={dLW:R}"));
                Console.WriteLine(FormattableString.Invariant($"loss.dB={dLB:R}"));
                Console.WriteLine(FormattableString.Invariant($"loss.dX={dLX:R}"));
                GradientCheckResult check = GradientCheck.Check(Model.Loss, Model.LossBackward, 0.5, -1.0, 2.0);
                Console.WriteLine(FormattableString.Invariant($"check={check.Passed} {check.MaxRelativeError:R}"));

                public static partial class Circuits
                {
                    [Differentiable]
                    public static double Neuron(double w0, double w1, double w2, double x0, double x1)
                    {
                        double dot = w0 * x0 + w1 * x1 + w2;
                        return 1.0 / (1.0 + Math.Exp(-dot));
                    }

                    public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                    // Used by no differentiable code: the analyzer reports AG0020 (info), which the build log
                    // below must show, so the analyzers in the package are known to run.
                    [DerivativeOf(nameof(Softplus))]
                    public static double SoftplusDerivative(double x, out double dX, double seed)
                    {
                        dX = seed / (1 + Math.Exp(-x));
                        return Softplus(x);
                    }
                }

                public static partial class Model
                {
                    [Differentiable]
                    public static double Loss(double w, double b, double x)
                    {
                        double z = w * x + b;
                        return Math.Log(1.0 + Math.Exp(-z));
                    }
                }
                """,
        });

        var build = DotnetCli.Run(dir, BuildTimeout, null, "build", "-nodeReuse:false", "-o", Path.Combine(dir, "out"), "-p:ErrorLog=" + sarif);
        Assert.True(build.Succeeded, build.Describe());
        Assert.Contains("0 Warning(s)", build.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(sarif), "no error log written: " + build.Describe());
        string log = File.ReadAllText(sarif);
        Assert.True(log.Contains("\"AG0020\"", StringComparison.Ordinal), "the package's analyzers did not report AG0020:\n" + log);
        AssertRestoredFromFeed(dir);

        var run = DotnetCli.Run(dir, RunTimeout, null, Path.Combine(dir, "out", "App.dll"));
        Assert.True(run.Succeeded, run.Describe());
        var printed = ParseAssignments(run.Output);

        // The lecture notes' neuron: sigma(1) = 0.731, and sigma'(1) = 0.197 times each partner input.
        double s = 1.0 / (1.0 + Math.Exp(-1.0));
        double slope = s * (1 - s);
        AssertPrinted(printed, "value", s, run);
        AssertPrinted(printed, "dX0", 2 * slope, run);   // 0.39
        AssertPrinted(printed, "dX1", -3 * slope, run);  // -0.59
        AssertPrinted(printed, "dW0", -1 * slope, run);  // -0.20
        AssertPrinted(printed, "dW1", -2 * slope, run);  // -0.39
        AssertPrinted(printed, "dW2", slope, run);       // 0.20
        Assert.Equal(0.39, Math.Round(double.Parse(printed["dX0"], CultureInfo.InvariantCulture), 2));
        Assert.Equal(-0.59, Math.Round(double.Parse(printed["dX1"], CultureInfo.InvariantCulture), 2));
        Assert.Equal(-0.20, Math.Round(double.Parse(printed["dW0"], CultureInfo.InvariantCulture), 2));
        Assert.Equal(-0.39, Math.Round(double.Parse(printed["dW1"], CultureInfo.InvariantCulture), 2));
        Assert.Equal(0.20, Math.Round(double.Parse(printed["dW2"], CultureInfo.InvariantCulture), 2));
        // The README's loss at z = 0: ln 2, and dL/dz = -1/2 times x, 1 and w.
        AssertPrinted(printed, "loss", Math.Log(2.0), run);
        AssertPrinted(printed, "loss.dW", -1.0, run);
        AssertPrinted(printed, "loss.dB", -0.5, run);
        AssertPrinted(printed, "loss.dX", -0.25, run);
        Assert.True(printed.TryGetValue("check", out string? check) && check.StartsWith("True ", StringComparison.Ordinal),
            "GradientCheck did not pass: " + run.Describe());
    }

    [Fact]
    public void NetStandard20_library_with_default_CSharp_7_3_builds_without_warnings()
    {
        AssertPacked();
        string dir = _package.CreateProject("Lib", new Dictionary<string, string>
        {
            // No LangVersion: netstandard2.0 means C# 7.3, and no nullable context.
            ["Lib.csproj"] = _package.ConsumerProject("""
                    <TargetFramework>netstandard2.0</TargetFramework>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <GenerateDocumentationFile>true</GenerateDocumentationFile>
                """),
            ["Losses.cs"] = """
                using System;
                using AutoGrad;

                namespace Lib
                {
                    /// <summary>Losses whose gradients the generator writes.</summary>
                    public static partial class Losses
                    {
                        /// <summary>Squared error against a constant target.</summary>
                        [Differentiable]
                        public static double Squared(double prediction, [NoGrad] double target)
                        {
                            double e = prediction - target;
                            return e * e;
                        }

                        /// <summary>A loop with a branch: the reverse pass uses the tape.</summary>
                        [Differentiable]
                        public static double HingeSum(double[] w, [NoGrad] double margin)
                        {
                            double s = 0;
                            for (int i = 0; i < w.Length; i++)
                            {
                                double z = w[i] * w[i] - margin;
                                if (z < 0) z = 0;
                                s += z;
                            }
                            return s;
                        }

                        /// <summary>Single precision.</summary>
                        [Differentiable]
                        public static float Logistic(float x) => 1f / (1f + (float)Math.Exp(-x));

                        /// <summary>Calls a generated method from library code.</summary>
                        public static double Slope(double prediction, double target)
                        {
                            double d;
                            SquaredBackward(prediction, target, out d);
                            double[] grad = new double[2];
                            HingeSumBackward(new[] { 2.0, 0.5 }, 1.0, grad);
                            return d + grad[0] + Diff.StopGradient(0.0);
                        }
                    }
                }
                """,
        });

        var build = DotnetCli.Run(dir, BuildTimeout, null, "build", "-nodeReuse:false");
        Assert.True(build.Succeeded, build.Describe());
        Assert.Contains("0 Warning(s)", build.Output, StringComparison.Ordinal);
        Assert.Contains("0 Error(s)", build.Output, StringComparison.Ordinal);
        AssertRestoredFromFeed(dir);
    }

    private void AssertPacked()
    {
        Assert.True(_package.Pack.Succeeded, _package.Pack.Describe());
        Assert.True(File.Exists(_package.NupkgPath), "no package at " + _package.NupkgPath + ": " + _package.Pack.Describe());
        Assert.True(_package.ConsumerSetupProblem.Length == 0, _package.ConsumerSetupProblem);
    }

    /// <summary>The package came from the feed into the private package folder, at the version under test.</summary>
    private void AssertRestoredFromFeed(string projectDirectory)
    {
        string assets = File.ReadAllText(Path.Combine(projectDirectory, "obj", "project.assets.json"));
        Assert.Contains($"\"AutoGrad.Gen/{_package.Version}\"", assets, StringComparison.Ordinal);
        string restored = Path.Combine(_package.TempRoot, "packages", "autograd.gen", _package.Version.ToLowerInvariant());
        Assert.True(Directory.Exists(restored), "AutoGrad.Gen was not restored into " + restored);
    }

    private static Dictionary<string, string> ParseAssignments(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        return values;
    }

    private static void AssertPrinted(Dictionary<string, string> printed, string name, double expected, CliResult run)
    {
        Assert.True(printed.TryGetValue(name, out string? text), $"{name} not printed: " + run.Describe());
        double actual = double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
            $"{name} = {actual.ToString("R", CultureInfo.InvariantCulture)}, expected {expected.ToString("R", CultureInfo.InvariantCulture)}: " + run.Describe());
    }
}
