using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Model;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>
    /// Checkpointed loops: an outermost loop whose iterations would tape a product of trip counts (a nested loop
    /// that saves an array whole, or a loop two deep that pushes) runs its forward pass without any tape, saving
    /// only each iteration's entry state; its reverse runs each iteration's forward again, taping as usual, just
    /// before that iteration's reverse. The tape then holds one iteration at a time instead of all of them, for
    /// the cost of a second forward pass of the loop.
    /// </summary>
    internal sealed partial class Differentiator
    {
        /// <summary>How many loops enclose the statements being differentiated.</summary>
        private int _loopDepth;

        /// <summary>
        /// The local arrays an outermost loop must save at the start of each iteration for its reverse to run the
        /// iteration again, or null when running it again could read other values than the forward pass did.
        /// </summary>
        /// <remarks>
        /// An iteration run again in the reverse pass finds each local array as the later iterations' reruns left
        /// it. That is right for an array the loop does not write and nothing after the loop writes (still what
        /// the forward pass read), and for an array the loop writes, if the iteration first gets back the values it
        /// started with: those are saved whole (later writes, by the loop or after it, then do not matter). Such an array must be written only inside loops nested in the
        /// iteration (a scratch vector the iteration fills), so that saving it costs no more than the iteration's
        /// work; a write at the iteration's own level (<c>h[i] = f(h[i - 1])</c>) would save the whole array once
        /// per iteration, and the loop is then left to the tape. So is a loop whose iteration reads such an array
        /// before writing it (a recurrent state: a hand-written gradient keeps it per iteration too, and
        /// checkpointing would only add a forward pass). An array the iteration allocates afresh
        /// (<c>new double[n]</c> before any use) needs no saving.
        /// </remarks>
        private List<string>? CheckpointArrays(LoopStmt loop)
        {
            var reads = new List<string>();
            var writes = new Dictionary<string, bool>(StringComparer.Ordinal); // array → written at the iteration's own level
            var fresh = new HashSet<string>(StringComparer.Ordinal); // `new double[n]` in the iteration, before any use
            var readFirst = new HashSet<string>(StringComparer.Ordinal); // read before the iteration writes it
            bool allocates = false;
            WalkLoop(
                loop,
                expr =>
                {
                    foreach (var array in IrRenamer.Variables(expr, lengths: false).Where(_localArrays.ContainsKey).Distinct())
                    {
                        if (reads.Contains(array)) continue;
                        reads.Add(array);
                        if (!writes.ContainsKey(array)) readFirst.Add(array);
                    }
                },
                (statement, depth, conditional) =>
                {
                    switch (statement)
                    {
                        case ClearStmt clear:
                            // An array allocated afresh by every iteration before it is used holds only this
                            // iteration's values: running the iteration again recreates them.
                            if (depth == 0 && !conditional && !reads.Contains(clear.Array) && !writes.ContainsKey(clear.Array)) fresh.Add(clear.Array);
                            Write(clear.Array, depth);
                            break;
                        case StoreStmt store:
                            Write(store.Array, depth);
                            break;
                        case LocalArrayStmt or ReturnStmt:
                            allocates = true;
                            break;
                    }
                });

            void Write(string array, int depth)
            {
                bool top = depth == 0;
                writes[array] = writes.TryGetValue(array, out var before) ? before || top : top;
            }

            if (allocates) return null;

            var writtenAfter = WrittenAfter(_method.Body, loop);
            var snapshot = new List<string>();
            foreach (var array in reads)
            {
                if (fresh.Contains(array)) continue;
                if (!writes.TryGetValue(array, out var atTop))
                {
                    // Not written by the loop: the rerun reads it as the forward pass did unless a later write changed it.
                    if (writtenAfter.Contains(array)) return null;
                    continue;
                }

                // A state the iteration reads before it writes it (a recurrence) is what a hand-written
                // gradient keeps per iteration too: checkpointing would only add a forward pass.
                if (atTop || readFirst.Contains(array)) return null;
                snapshot.Add(array);
            }

            return snapshot;
        }

        /// <summary>The arrays written by statements after <paramref name="loop"/> in <paramref name="body"/> (which does not nest it in a loop).</summary>
        private static HashSet<string> WrittenAfter(Block body, LoopStmt loop)
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            bool after = false;

            void Walk(Block block)
            {
                foreach (var statement in block.Statements)
                {
                    switch (statement)
                    {
                        case StoreStmt store when after:
                            written.Add(store.Array);
                            break;
                        case ClearStmt clear when after:
                            written.Add(clear.Array);
                            break;
                        case IfStmt ifStmt:
                            Walk(ifStmt.Then);
                            Walk(ifStmt.Else);
                            break;
                        case LoopStmt inner when ReferenceEquals(inner, loop):
                            after = true;
                            break;
                        case LoopStmt inner:
                            Walk(inner.Condition);
                            Walk(inner.Body);
                            break;
                    }
                }
            }

            Walk(body);
            return written;
        }

        /// <summary>
        /// Whether one iteration's forward code tapes a product of trip counts: a nested loop that saves an array
        /// whole each time round, or a push inside a loop nested two deep.
        /// </summary>
        private static bool TapesProducts(List<Node> nodes, int depth = 0)
        {
            foreach (var node in nodes)
            {
                if (node is ExpressionNode { Value: TapeExpr tape }
                    && ((tape.Op == TapeOp.PushAll && depth >= 1) || (tape.Op == TapeOp.Push && depth >= 2)))
                {
                    return true;
                }

                int inner = node is WhileTrueNode ? depth + 1 : depth;
                foreach (var list in node.Lists)
                {
                    if (TapesProducts(list, inner)) return true;
                }
            }

            return false;
        }

        /// <summary>
        /// A copy of <paramref name="nodes"/> with fresh lists at every level (the passes after this one edit lists
        /// in place), without the tape pushes when <paramref name="withoutPushes"/>: the forward pass of a
        /// checkpointed loop, which its reverse runs again with the pushes.
        /// </summary>
        private static List<Node> CopyNodes(List<Node> nodes, bool withoutPushes)
        {
            var copy = new List<Node>(nodes.Count);
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case ExpressionNode { Value: TapeExpr { Op: TapeOp.Push or TapeOp.PushAll } } when withoutPushes:
                        break;
                    case WhileTrueNode w:
                        copy.Add(new WhileTrueNode(CopyNodes(w.Body, withoutPushes), w.Source));
                        break;
                    case IfNode i:
                        copy.Add(new IfNode(i.Condition, CopyNodes(i.Then, withoutPushes), CopyNodes(i.Else, withoutPushes), i.Source));
                        break;
                    case ReverseLoopNode r:
                        copy.Add(new ReverseLoopNode(r.Count, CopyNodes(r.Body, withoutPushes), r.Restores, r.Source));
                        break;
                    case AccumulateNode:
                        throw new InvalidOperationException("A forward pass holds no adjoint contributions.");
                    default:
                        copy.Add(node);
                        break;
                }
            }

            return copy;
        }
    }
}
