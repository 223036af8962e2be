using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// Many <c>[Differentiable]</c> methods compiled together in one partial class (one compilation for a whole
/// Theory keeps the suite fast). If the shared compilation fails, each method is compiled on its own, so
/// that a failure names the method that caused it and the others still pass.
/// </summary>
internal sealed class CaseSet
{
    public const string Namespace = "Cases";

    private readonly string _typeName;
    private readonly string _typeKeyword;
    private readonly Dictionary<string, string> _members;
    private readonly Lazy<(LoadedProgram? Program, Exception? Error)> _shared;
    private readonly ConcurrentDictionary<string, LoadedProgram> _single = new(StringComparer.Ordinal);

    /// <param name="typeName">The simple name of the partial type holding the methods.</param>
    /// <param name="members">Method name → its whole declaration (attributes included).</param>
    /// <param name="typeKeyword">e.g. <c>static partial class</c>.</param>
    public CaseSet(string typeName, IReadOnlyDictionary<string, string> members, string typeKeyword = "public static partial class")
    {
        _typeName = typeName;
        _typeKeyword = typeKeyword;
        _members = new Dictionary<string, string>(members, StringComparer.Ordinal);
        _shared = new Lazy<(LoadedProgram?, Exception?)>(() =>
        {
            try
            {
                return (TestCompiler.CompileAndLoad(Source(_members.Values)), null);
            }
            catch (Exception e)
            {
                return (null, e);
            }
        });
    }

    public string FullTypeName => Namespace + "." + _typeName;

    public IEnumerable<string> Names => _members.Keys.OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>The source of one file holding <paramref name="members"/>.</summary>
    public string Source(IEnumerable<string> members)
    {
        var builder = new StringBuilder();
        builder.AppendLine("using System;");
        builder.AppendLine("using AutoGrad;");
        builder.AppendLine();
        builder.Append("namespace ").AppendLine(Namespace);
        builder.AppendLine("{");
        builder.Append("    ").Append(_typeKeyword).Append(' ').AppendLine(_typeName);
        builder.AppendLine("    {");
        foreach (var member in members)
        {
            foreach (var line in member.Replace("\r\n", "\n").Trim('\n').Split('\n'))
            {
                builder.Append("        ").AppendLine(line);
            }

            builder.AppendLine();
        }

        builder.AppendLine("    }");
        builder.AppendLine("}");
        return builder.ToString();
    }

    /// <summary>The method <paramref name="name"/> and its Backward, from the shared compilation or, if that failed, alone.</summary>
    public DifferentiableMethod Get(string name)
    {
        if (!_members.TryGetValue(name, out var member)) throw new ArgumentException("No case named " + name);
        var (program, _) = _shared.Value;
        if (program is null)
        {
            program = _single.GetOrAdd(name, _ => TestCompiler.CompileAndLoad(Source(new[] { member })));
        }

        return program.Method(FullTypeName, name);
    }
}
