using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Model;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>
    /// One addition per gradient element: <c>dX[i] += a; …; dX[i] += b;</c> in straight-line code becomes
    /// <c>…; dX[i] += a + b;</c> when nothing in between touches <c>dX</c>, <c>i</c> or <c>a</c>. Each element
    /// addition is a load, a bounds check and a store that the JIT does not merge itself.
    /// </summary>
    internal sealed partial class Differentiator
    {
        private static void CoalesceElementAdditions(List<Node> nodes)
        {
            for (int i = 0; i < nodes.Count; i++)
            {
                foreach (var list in nodes[i].Lists) CoalesceElementAdditions(list);
                if (nodes[i] is not AssignNode { Kind: AssignKind.Add, Index: { } index } first) continue;

                var inputs = new HashSet<string>(IrRenamer.Variables(index), StringComparer.Ordinal);
                inputs.UnionWith(IrRenamer.Variables(first.Value));
                for (int j = i + 1; j < nodes.Count; j++)
                {
                    if (nodes[j] is AssignNode { Kind: AssignKind.Add, Index: { } other } next && next.Name == first.Name && other.Equals(index))
                    {
                        nodes[j] = new AssignNode(next.Name, new BinaryExpr(BinaryOp.Add, first.Value, next.Value, next.Value.Type), AssignKind.Add, first.Comment ?? next.Comment, next.Source, other);
                        nodes.RemoveAt(i);
                        i--;
                        break;
                    }

                    // Only plain declarations and assignments of other variables may be stepped over.
                    if (!CanStepOver(nodes[j], first.Name, inputs)) break;
                }
            }
        }

        private static bool CanStepOver(Node node, string array, HashSet<string> inputs)
        {
            switch (node)
            {
                case DeclareNode d:
                    return !inputs.Contains(d.Name) && (d.Value is null || !IrRenamer.Variables(d.Value).Contains(array));
                case AssignNode a:
                    var names = new HashSet<string>(IrRenamer.Variables(a.Value), StringComparer.Ordinal);
                    if (a.Index is not null) names.UnionWith(IrRenamer.Variables(a.Index));
                    return a.Name != array && !inputs.Contains(a.Name) && !names.Contains(array);
                case CommentNode:
                    return true;
                default:
                    return false;
            }
        }
    }
}
