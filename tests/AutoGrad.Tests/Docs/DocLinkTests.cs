using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AutoGrad.CodeAnalysis.Diagnostics;
using Xunit;

namespace AutoGrad.Tests.Docs;

/// <summary>
/// Links that a reader follows: every diagnostic's help link names a page of this repository that exists,
/// and every relative link in the README and the docs pages points at a file that exists (and, for a link
/// with <c>#anchor</c> into a Markdown file, at one of its headings).
/// </summary>
public class DocLinkTests
{
    private const string RepositoryUrl = "https://github.com/autograd-gen/autograd-gen/blob/main/";

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var page in MarkdownPages()) data.Add(page);
        return data;
    }

    [Fact]
    public void HelpLinksPointAtExistingPages()
    {
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.StartsWith(RepositoryUrl, descriptor.HelpLinkUri, StringComparison.Ordinal);
            string path = descriptor.HelpLinkUri.Substring(RepositoryUrl.Length);
            Assert.Equal("docs/diagnostics/" + descriptor.Id + ".md", path);
            Assert.True(File.Exists(Path.Combine(Root, path)), descriptor.Id + ": help link " + descriptor.HelpLinkUri + " names " + path + ", which does not exist");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void RelativeLinksResolve(string page)
    {
        var broken = BrokenLinks(page, File.ReadAllText(Path.Combine(Root, page)));
        Assert.True(broken.Count == 0, page + " has broken links:\n" + string.Join("\n", broken));
    }

    /// <summary>The checker itself finds a missing file, a missing anchor, and ignores code and web links.</summary>
    [Fact]
    public void CheckerFindsBrokenLinks()
    {
        string text = "See [design](design.md), [gone](nowhere.md), [web](https://example.com/x.md), "
            + "[heading](design.md#no-such-heading), `[code](inline.md)`\n```\n[fenced](fenced.md)\n```\n[top](#a-heading)\n\n## A heading\n";
        var broken = BrokenLinks("docs/example.md", text);
        Assert.Equal(new[] { "nowhere.md", "design.md#no-such-heading" }, broken.Select(b => b.Split(' ')[0]));
    }

    internal static List<string> BrokenLinks(string page, string text)
    {
        string directory = Path.GetDirectoryName(Path.Combine(Root, page))!;
        var broken = new List<string>();
        foreach (Match link in Regex.Matches(WithoutCode(text), @"\]\(([^)\s]+)(?:\s+""[^""]*"")?\)"))
        {
            string target = link.Groups[1].Value;
            if (Regex.IsMatch(target, @"^[a-z]+:", RegexOptions.IgnoreCase)) continue;
            int hash = target.IndexOf('#', StringComparison.Ordinal);
            string path = hash < 0 ? target : target.Substring(0, hash);
            string? anchor = hash < 0 ? null : target.Substring(hash + 1);
            string full = path.Length == 0 ? Path.Combine(Root, page) : Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(path)));
            if (path.Length > 0 && !File.Exists(full) && !Directory.Exists(full))
            {
                broken.Add(target + " (no such file: " + Path.GetRelativePath(Root, full) + ")");
            }
            else if (anchor is not null && full.EndsWith(".md", StringComparison.Ordinal)
                && !Anchors(path.Length == 0 ? text : File.ReadAllText(full)).Contains(anchor))
            {
                broken.Add(target + " (no heading with that anchor)");
            }
        }

        return broken;
    }

    /// <summary>GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    internal static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in Regex.Matches(WithoutFences(markdown), @"^#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline))
        {
            string slug = Regex.Replace(heading.Groups[1].Value.ToLowerInvariant(), @"[^\p{L}\p{N}\s_-]", string.Empty).Replace(' ', '-');
            int n = counts.TryGetValue(slug, out var seen) ? seen : 0;
            counts[slug] = n + 1;
            anchors.Add(n == 0 ? slug : slug + "-" + n);
        }

        return anchors;
    }

    private static string WithoutFences(string text) => Regex.Replace(text.Replace("\r\n", "\n"), @"^\s*```.*?^\s*```", string.Empty, RegexOptions.Multiline | RegexOptions.Singleline);

    private static string WithoutCode(string text) => Regex.Replace(WithoutFences(text), @"`[^`\n]*`", string.Empty);

    private static IEnumerable<string> MarkdownPages()
    {
        yield return "README.md";
        yield return "benchmarks/README.md";
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(Root, file).Replace('\\', '/');
        }
    }

    private static string Root => DocExampleTests.RepositoryRoot();
}
