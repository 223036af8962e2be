using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace AutoGrad.Package.Tests;

/// <summary>
/// Packs <c>src/AutoGrad</c> once per test run into a temporary feed, with a version no earlier run used
/// (so no package cache can hand back a stale one), and prepares a folder outside the solution whose
/// <c>nuget.config</c> takes <c>AutoGrad.Gen</c> from that feed only and everything else from the
/// machine's own sources. Restored packages go to a private folder, with the machine's package folder as a
/// read-only fallback, so the test versions never land in the global package cache.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(6);

    public PackageFixture()
    {
        RepoRoot = FindRepoRoot();
        Version = "0.1.0-test." + DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        TempRoot = Path.Combine(Path.GetTempPath(), "autograd-package-test-" + Guid.NewGuid().ToString("N")[..12]);
        FeedDirectory = Path.Combine(TempRoot, "feed");
        ConsumersDirectory = Path.Combine(TempRoot, "consumers");
        Directory.CreateDirectory(FeedDirectory);
        Directory.CreateDirectory(ConsumersDirectory);

        // Its own bin/ and obj/ (ArtifactsPath): the solution's build and tests may be using the repo's.
        Pack = DotnetCli.Run(RepoRoot, PackTimeout, null,
            "pack", Path.Combine(RepoRoot, "src", "AutoGrad", "AutoGrad.csproj"),
            "-o", FeedDirectory,
            "-p:Version=" + Version,
            "-p:ArtifactsPath=" + Path.Combine(TempRoot, "artifacts"),
            "-nodeReuse:false");
        NupkgPath = Path.Combine(FeedDirectory, $"AutoGrad.Gen.{Version}.nupkg");
        SnupkgPath = Path.Combine(FeedDirectory, $"AutoGrad.Gen.{Version}.snupkg");

        WriteConsumerSettings();
    }

    public string RepoRoot { get; }
    public string Version { get; }
    public string TempRoot { get; }
    public string FeedDirectory { get; }
    public string ConsumersDirectory { get; }
    public CliResult Pack { get; }
    public string NupkgPath { get; }
    public string SnupkgPath { get; }

    /// <summary>Sources that nuget.config files outside any repository see on this machine, by key.</summary>
    public IReadOnlyList<string> MachineSourceKeys { get; private set; } = Array.Empty<string>();

    public string ConsumerSetupProblem { get; private set; } = "";

    /// <summary>A project file with the given properties that references the package under test by version.</summary>
    public string ConsumerProject(string properties) =>
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n" + properties.TrimEnd() + "\n  </PropertyGroup>\n" +
        $"  <ItemGroup>\n    <PackageReference Include=\"AutoGrad.Gen\" Version=\"{Version}\" />\n  </ItemGroup>\n</Project>\n";

    /// <summary>Creates a project folder under the consumers folder with the given files.</summary>
    public string CreateProject(string name, IReadOnlyDictionary<string, string> files)
    {
        string dir = Path.Combine(ConsumersDirectory, name);
        Directory.CreateDirectory(dir);
        foreach (var file in files) File.WriteAllText(Path.Combine(dir, file.Key), file.Value, Encoding.UTF8);
        return dir;
    }

    private void WriteConsumerSettings()
    {
        // Nothing from above the temporary folder (a stray Directory.Build.props in /tmp) may shape the build.
        File.WriteAllText(Path.Combine(TempRoot, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(TempRoot, "Directory.Packages.props"), "<Project />\n");

        string machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string fallback = Directory.Exists(machinePackages)
            ? $"    <RestoreAdditionalProjectFallbackFolders>{SecurityElement.Escape(machinePackages)}</RestoreAdditionalProjectFallbackFolders>\n"
            : "";
        File.WriteAllText(Path.Combine(TempRoot, "Directory.Build.props"),
            "<Project>\n  <PropertyGroup>\n" +
            $"    <RestorePackagesPath>{SecurityElement.Escape(Path.Combine(TempRoot, "packages"))}</RestorePackagesPath>\n" +
            fallback +
            "  </PropertyGroup>\n</Project>\n");

        // The machine's sources (user and machine-wide nuget.config), as a folder outside any repository sees them.
        var list = DotnetCli.Run(TempRoot, TimeSpan.FromMinutes(1), null, "nuget", "list", "source", "--format", "Detailed");
        var keys = new List<string>();
        foreach (Match m in Regex.Matches(list.Output, @"^\s*\d+\.\s+(?<key>.+?)\s+\[Enabled\]\s*$", RegexOptions.Multiline))
        {
            keys.Add(m.Groups["key"].Value);
        }
        MachineSourceKeys = keys;
        if (keys.Count == 0)
        {
            ConsumerSetupProblem = "no enabled NuGet source found on this machine: " + list.Describe();
        }

        var config = new StringBuilder();
        config.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        config.AppendLine("<configuration>");
        config.AppendLine("  <packageSources>");
        config.AppendLine($"    <add key=\"autograd-under-test\" value=\"{SecurityElement.Escape(FeedDirectory)}\" />");
        config.AppendLine("  </packageSources>");
        config.AppendLine("  <packageSourceMapping>");
        config.AppendLine("    <packageSource key=\"autograd-under-test\">");
        config.AppendLine("      <package pattern=\"AutoGrad.Gen\" />");
        config.AppendLine("    </packageSource>");
        foreach (string key in keys)
        {
            config.AppendLine($"    <packageSource key=\"{SecurityElement.Escape(key)}\">");
            config.AppendLine("      <package pattern=\"*\" />");
            config.AppendLine("    </packageSource>");
        }
        config.AppendLine("  </packageSourceMapping>");
        config.AppendLine("</configuration>");
        File.WriteAllText(Path.Combine(TempRoot, "nuget.config"), config.ToString());
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGrad.Gen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AutoGrad.Gen.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("AUTOGRAD_KEEP_PACKAGE_TEST") == "1") return;
        try { Directory.Delete(TempRoot, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
