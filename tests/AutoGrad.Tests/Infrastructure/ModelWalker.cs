using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>
/// Walks an object graph (fields, public and private, properties, records, tuples, arrays, EquatableArray and
/// any other enumerable) and reports every Roslyn object that must never be cached by an incremental
/// pipeline: symbols, syntax, trees, locations, semantic models, compilations, operations.
/// </summary>
internal static class ModelWalker
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxToken),
        typeof(SyntaxTrivia),
        typeof(SyntaxTree),
        typeof(SyntaxReference),
        typeof(Location),
        typeof(SemanticModel),
        typeof(Compilation),
        typeof(IOperation),
    };

    private const BindingFlags InstanceMembers = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Paths (from <paramref name="rootName"/>) to every forbidden object reachable from <paramref name="root"/>.</summary>
    public static List<string> FindForbidden(object? root, string rootName)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, rootName, visited, found, 0);
        return found;
    }

    private static void Walk(object? value, string path, HashSet<object> visited, List<string> found, int depth)
    {
        if (value is null) return;
        var type = value.GetType();
        if (!type.IsValueType && !visited.Add(value)) return;
        foreach (var forbidden in Forbidden)
        {
            if (forbidden.IsInstanceOfType(value))
            {
                found.Add(path + " is a " + type.FullName + " (" + forbidden.Name + ")");
                return;
            }
        }

        if (IsLeaf(type, value)) return;
        if (depth > 200)
        {
            found.Add(path + ": nested more than 200 levels deep");
            return;
        }

        if (value is IEnumerable enumerable)
        {
            var items = new List<object?>();
            try
            {
                foreach (var item in enumerable) items.Add(item);
            }
            catch (InvalidOperationException)
            {
                // A default ImmutableArray<T>: nothing to enumerate.
            }

            for (int index = 0; index < items.Count; index++)
            {
                Walk(items[index], path + "[" + index + "]", visited, found, depth + 1);
            }
        }

        if (type.IsArray) return;
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            var fields = current.GetFields(InstanceMembers);
            foreach (var field in fields)
            {
                if (field.FieldType.IsByRefLike || field.FieldType.IsPointer) continue;
                Walk(field.GetValue(value), path + "." + MemberName(field.Name), visited, found, depth + 1);
            }

            // Properties without a backing field (computed ones); auto-properties were walked as fields.
            foreach (var property in current.GetProperties(InstanceMembers))
            {
                if (property.GetIndexParameters().Length > 0 || property.GetMethod is null) continue;
                if (property.PropertyType.IsByRefLike || property.PropertyType.IsPointer) continue;
                if (fields.Any(f => f.Name == "<" + property.Name + ">k__BackingField")) continue;
                object? propertyValue;
                try
                {
                    propertyValue = property.GetValue(value);
                }
                catch (Exception e) when (e is TargetInvocationException or NotSupportedException or InvalidOperationException)
                {
                    continue;
                }

                Walk(propertyValue, path + "." + property.Name, visited, found, depth + 1);
            }
        }
    }

    /// <summary><c>&lt;Name&gt;k__BackingField</c> → <c>Name</c>.</summary>
    private static string MemberName(string field) =>
        field.StartsWith('<') && field.EndsWith(">k__BackingField", StringComparison.Ordinal) ? field.Substring(1, field.IndexOf('>') - 1) : field;

    private static bool IsLeaf(Type type, object value) =>
        type.IsPrimitive
        || type.IsEnum
        || value is string or decimal or DateTime or TimeSpan or Guid
        || value is Type or MemberInfo or Delegate or Assembly
        || type.IsPointer;
}
