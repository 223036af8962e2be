using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>Loops, local arrays and the tape: what each iteration saves, computes again or reads again.</summary>
    internal sealed partial class Differentiator
    {
        /// <summary>
        /// A loop. Forward: the carried variables start at their initial values, each iteration tests, runs
        /// the body, pushes what the reverse sweep will read from this iteration onto the tape, and moves the
        /// carried variables on. Reverse: as many iterations, last first, each popping its values, passing the
        /// carried variables' adjoints back along the loop's back edge, then running the body's reverse.
        /// </summary>
        private (List<Node> Forward, List<Node> Reverse) Loop(LoopStmt loop)
        {
            var source = loop.Source;
            var statements = loop.Body.Statements;
            var active = loop.Carried.Where(c => _active.Contains(c.Name)).ToList();

            // The back edge `c = next`, reversed: next's adjoint takes c's, and c's restarts from zero for the
            // iteration before. Copies first, then resets, then contributions, so that swaps stay right.
            var backEdge = new List<Node>();
            var nextAdjoints = new List<string>();
            foreach (var carried in active)
            {
                _contributed.Add(carried.Name);
                string next = _names.Fresh(Adjoint(carried.Name) + "_next");
                nextAdjoints.Add(next);
                backEdge.Add(new DeclareNode(next, carried.Type, new VarExpr(Adjoint(carried.Name), carried.Type), "the loop's back edge: " + carried.Name + " takes its next value", source));
            }

            foreach (var carried in active)
            {
                backEdge.Add(new AssignNode(Adjoint(carried.Name), Zero(carried.Type), AssignKind.Assign, null, source));
            }

            for (int i = 0; i < active.Count; i++)
            {
                if (active[i].Next is VarExpr v && _active.Contains(v.Name))
                {
                    backEdge.Add(Accumulate(v.Name, new VarExpr(nextAdjoints[i], active[i].Type), null, source));
                }
            }

            // Decided before the body, whose nested loops must not see this one as enclosing when it is the outermost.
            var fusion = _loopDepth == 0 ? FusionPlan(loop) : null;
            var checkpointArrays = _loopDepth == 0 && fusion is null ? CheckpointArrays(loop) : null;
            _loopDepth++;
            var (bodyForward, bodyReverse) = Statements(statements, statements.Count);
            _loopDepth--;
            var code = new List<Node>(backEdge);
            code.AddRange(bodyReverse);
            FoldResets(code, active.Select(c => c.Name).ToList());
            var declarations = DeclareAdjoints(DefinedAt(statements, statements.Count), code, isTop: false);
            code.InsertRange(0, declarations);

            var carriedNames = new HashSet<string>(loop.Carried.Select(c => c.Name), StringComparer.Ordinal);
            var iteration = new List<Node>();
            var pushes = new List<Node>();
            var entry = new List<Node>();
            int rerunAt = 0;
            var snapshot = checkpointArrays is not null && TapesProducts(bodyForward) ? checkpointArrays : null;
            if (fusion is not null)
            {
                // Fused: the iteration's reverse follows its forward in the same pass (below).
            }
            else if (snapshot is not null)
            {
                rerunAt = PlanCheckpoint(loop, bodyForward, code, snapshot, entry, iteration);
            }
            else
            {
                PlanIteration(loop, bodyForward, code, carriedNames, pushes, iteration);
            }

            var restores = new HashSet<string>(carriedNames, StringComparer.Ordinal);
            var reverse = new List<Node>();
            if (fusion is null) reverse.Add(new ReverseLoopNode(loop.CountName, iteration, restores, source));
            var entries = new List<Node>();
            foreach (var carried in active)
            {
                if (carried.Init is VarExpr init && _active.Contains(init.Name))
                {
                    entries.Add(Accumulate(init.Name, new VarExpr(Adjoint(carried.Name), carried.Type), "the loop's entry: " + carried.Name + " starts as " + init.Name, source));
                }
            }

            // Forward.
            var forward = new List<Node>();
            if (fusion is not null)
            {
                var early = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var let in fusion.Early)
                {
                    string name = _names.Fresh(let.Name + "_early");
                    _types[name] = let.Value.Type;
                    forward.Add(new DeclareNode(name, let.Value.Type, IrRenamer.Rename(let.Value, early), "computed before the loop for the gradients below", source));
                    early[let.Name] = name;
                }

                foreach (var (sum, gradient) in fusion.Sums)
                {
                    _fusedSums.Add(sum.Name);
                    forward.Add(new DeclareNode(Adjoint(sum.Name), sum.Type, IrRenamer.Rename(gradient, early), "the gradient of " + sum.Name + ", known before the loop: each iteration's reverse runs right after it", source));
                }
            }
            else
            {
                reverse.AddRange(entries);
            }

            foreach (var carried in loop.Carried)
            {
                forward.Add(new DeclareNode(carried.Name, carried.Type, carried.Init, null, source));
            }

            // A fused loop has no reverse loop to count iterations for.
            if (fusion is null) forward.Add(new DeclareNode(loop.CountName, ScalarKind.Int32, new LitExpr("0", ScalarKind.Int32), null, source));
            var (conditionForward, _) = Statements(loop.Condition.Statements, loop.Condition.Statements.Count);
            var test = new List<Node>(conditionForward)
            {
                new IfNode(new UnaryExpr(UnaryOp.LogicalNot, loop.Test, ScalarKind.Boolean), new List<Node> { new BreakNode(source) }, new List<Node>(), source),
            };

            var body = new List<Node>();
            if (!loop.TestAtEnd) body.AddRange(test);
            var savedNext = new Dictionary<string, Expr>(StringComparer.Ordinal);
            if (fusion is not null)
            {
                body.AddRange(bodyForward);

                // The reverse of a nested loop sets its carried variables back: keep the values the next
                // iteration starts from before it runs.
                var assigned = new HashSet<string>(StringComparer.Ordinal);
                CollectAssigned(code, assigned);
                foreach (var carried in loop.Carried.Where(c => IrRenamer.Variables(c.Next).Any(assigned.Contains)))
                {
                    string copy = _names.Fresh(carried.Name + "_next");
                    _types[copy] = carried.Type;
                    body.Add(new DeclareNode(copy, carried.Type, carried.Next, null, source));
                    savedNext[carried.Name] = new VarExpr(copy, carried.Type);
                }

                body.AddRange(code);
            }
            else if (snapshot is not null)
            {
                // What the condition defines, the body may read: the rerun computes it too.
                iteration.InsertRange(rerunAt, CopyNodes(conditionForward, withoutPushes: false));
                body.AddRange(entry);
                body.AddRange(CopyNodes(bodyForward, withoutPushes: true));
            }
            else
            {
                body.AddRange(bodyForward);
                body.AddRange(pushes);
            }

            // Carried variables move on together: a next value that is another carried variable is copied first.
            var nextValues = new List<Expr>();
            foreach (var carried in loop.Carried)
            {
                var next = savedNext.TryGetValue(carried.Name, out var saved) ? saved : carried.Next;
                if (next is VarExpr n && n.Name != carried.Name && carriedNames.Contains(n.Name))
                {
                    string copy = _names.Fresh(carried.Name + "_next");
                    _types[copy] = carried.Type;
                    body.Add(new DeclareNode(copy, carried.Type, next, null, source));
                    next = new VarExpr(copy, carried.Type);
                }

                nextValues.Add(next);
            }

            for (int i = 0; i < loop.Carried.Count; i++)
            {
                var carried = loop.Carried[i];
                if (nextValues[i] is VarExpr same && same.Name == carried.Name) continue;
                body.Add(new AssignNode(carried.Name, nextValues[i], AssignKind.Assign, null, source));
            }

            if (fusion is null) body.Add(new AssignNode(loop.CountName, new BinaryExpr(BinaryOp.Add, new VarExpr(loop.CountName, ScalarKind.Int32), new LitExpr("1", ScalarKind.Int32), ScalarKind.Int32), AssignKind.Assign, null, source));
            if (loop.TestAtEnd) body.AddRange(test);
            forward.Add(new WhileTrueNode(body, source));
            if (fusion is not null)
            {
                foreach (var (sum, _) in fusion.Sums) ResolveAccumulations(body, sum.Name, Adjoint(sum.Name));
                forward.AddRange(entries);
            }

            return (forward, reverse);
        }

        /// <summary>
        /// A checkpointed loop: each iteration saves the arrays and carried values it starts from
        /// (<paramref name="entry"/>, at its start); its reverse (<paramref name="iteration"/>) restores them and
        /// runs the iteration's forward again, taping, before the iteration's reverse <paramref name="code"/>.
        /// Returns where in <paramref name="iteration"/> the rerun starts.
        /// </summary>
        private int PlanCheckpoint(LoopStmt loop, List<Node> bodyForward, List<Node> code, List<string> snapshot, List<Node> entry, List<Node> iteration)
        {
            var references = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(bodyForward, references);
            CollectReferences(code, references);
            var entryValues = loop.Carried.Where(c => references.Contains(c.Name)).ToList();
            entry.AddRange(snapshot.Select(SaveWhole));
            entry.AddRange(entryValues.Select(c => Push(c.Name, c.Type)));
            iteration.AddRange(entryValues.AsEnumerable().Reverse().Select(c => (Node)new AssignNode(c.Name, Pop(c.Type), AssignKind.Assign, null, null)));
            iteration.AddRange(snapshot.AsEnumerable().Reverse().Select(RestoreWhole));
            if (iteration.Count > 0) iteration[0] = WithComment(iteration[0], "checkpoint: this iteration's starting values, to run it again");
            iteration.Add(new CommentNode("the iteration's forward pass again, taping what its reverse reads", loop.Source));
            int rerunAt = iteration.Count;
            iteration.AddRange(bodyForward);
            iteration.AddRange(code);
            return rerunAt;
        }

        /// <summary>
        /// A loop that tapes: what each iteration pushes at its end (<paramref name="pushes"/>) and what its
        /// reverse does first to get those values back (<paramref name="iteration"/>), followed by the reverse
        /// <paramref name="code"/>.
        /// </summary>
        private void PlanIteration(LoopStmt loop, List<Node> bodyForward, List<Node> code, HashSet<string> carriedNames, List<Node> pushes, List<Node> iteration)
        {
            // The to-be-recorded analysis: what the reverse iteration reads that an iteration overwrites.
            var plan = PlanTape(loop, bodyForward, code);
            var (saved, writeOnly, recomputed, rereads) = (plan.Saved, plan.WriteOnly, plan.Recomputed, plan.Rereads);
            pushes.AddRange(saved.Select(name => Push(name, _types[name])));

            // Local arrays whose elements nested loops read again: saved whole at the end of each iteration,
            // restored at the start of its reverse (last saved, first restored).
            if (_restoredArrays.TryGetValue(loop.CountName, out var restoredArrays))
            {
                pushes.AddRange(restoredArrays.Select(SaveWhole));
                iteration.AddRange(restoredArrays.AsEnumerable().Reverse().Select(RestoreWhole));
            }

            for (int i = saved.Count - 1; i >= 0; i--)
            {
                string name = saved[i];
                var pop = Pop(_types[name]);
                iteration.Add(carriedNames.Contains(name)
                    ? new AssignNode(name, pop, AssignKind.Assign, null, null)
                    : new DeclareNode(name, _types[name], pop, null, null));
            }

            if (iteration.Count > 0) iteration[0] = WithComment(iteration[0], "restore this iteration's values from the tape");
            iteration.AddRange(writeOnly.Select(name => (Node)new DeclareNode(name, _types[name], Zero(_types[name]), null, null)));
            iteration.AddRange(recomputed);
            iteration.AddRange(rereads);
            iteration.AddRange(code);
        }

        /// <summary>What one loop iteration saves for its reverse: the result of the to-be-recorded analysis.</summary>
        /// <param name="Saved">Values pushed at the end of each iteration and popped at the start of its reverse.</param>
        /// <param name="WriteOnly">Values the reverse only writes (a nested loop restores them itself): declared, not taped.</param>
        /// <param name="Recomputed">Counters and integer index arithmetic, computed again from the iteration number.</param>
        /// <param name="Rereads">Elements of input arrays read again (inputs never change), then values computed again from what the reverse iteration has (<see cref="Rematerialize"/>).</param>
        private sealed record TapePlan(List<string> Saved, List<string> WriteOnly, List<Node> Recomputed, List<Node> Rereads);

        /// <summary>
        /// The to-be-recorded analysis of one loop: of the values the reverse iteration <paramref name="code"/>
        /// reads, those the forward iteration <paramref name="bodyForward"/> defines (and the carried variables)
        /// must be restored; each is computed again, read again, or, failing both, taped.
        /// </summary>
        private TapePlan PlanTape(LoopStmt loop, List<Node> bodyForward, List<Node> code)
        {
            var statements = loop.Body.Statements;
            var lets = statements.OfType<LetStmt>().ToList();
            var carriedNames = new HashSet<string>(loop.Carried.Select(c => c.Name), StringComparer.Ordinal);

            // What one iteration defines: the reverse iteration has it only if it restores or computes it.
            var inside = new HashSet<string>(carriedNames, StringComparer.Ordinal);
            inside.UnionWith(AllDeclared(bodyForward));

            var referenced = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(code, referenced);
            var reads = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(code, reads, includeTargets: false);
            var saved = new List<string>();
            CollectDeclared(bodyForward, reads, saved);
            saved.AddRange(loop.Carried.Select(c => c.Name).Where(reads.Contains));

            // Only written there (a nested loop restores them itself): declared, not taped.
            var writeOnly = new List<string>();
            CollectDeclared(bodyForward, new HashSet<string>(referenced.Where(n => !reads.Contains(n)), StringComparer.Ordinal), writeOnly);

            // Counters and index arithmetic are computed again from the iteration number instead of taped.
            var recomputed = Recompute(loop, lets, inside, saved);
            var recomputedNames = new HashSet<string>(recomputed.Select(n => n is DeclareNode d ? d.Name : ((AssignNode)n).Name), StringComparer.Ordinal);

            // An element of an input array is never overwritten: read it again instead of taping it.
            var rereads = new List<Node>();
            var reread = new HashSet<string>(StringComparer.Ordinal);
            var indices = new List<string>();
            foreach (var statement in statements)
            {
                if (statement is LetStmt { Value: ElementExpr { Index: VarExpr or LitExpr } element } let
                    && IsInputArray(element.Array)
                    && saved.Remove(let.Name))
                {
                    rereads.Add(new DeclareNode(let.Name, let.Value.Type, element, "an input element: read again, not taped", null));
                    reread.Add(let.Name);
                    if (element.Index is VarExpr index) indices.Add(index.Name);
                }
            }

            foreach (var index in indices)
            {
                if (saved.Contains(index) || reread.Contains(index) || recomputedNames.Contains(index)) continue;
                var declared = new List<string>();
                CollectDeclared(bodyForward, new HashSet<string>(StringComparer.Ordinal) { index }, declared);
                if (declared.Count > 0 || carriedNames.Contains(index)) saved.Add(index);
            }

            // Values a few additions and multiplications away from what the reverse iteration has anyway:
            // computed again, which is cheaper than a push and a pop.
            var available = new HashSet<string>(saved, StringComparer.Ordinal);
            available.UnionWith(recomputedNames);
            available.UnionWith(reread);
            rereads.AddRange(Rematerialize(lets, saved, inside, available));

            return new TapePlan(saved, writeOnly, recomputed, rereads);
        }

        /// <summary>The most operations a value may take to compute again rather than be taped.</summary>
        private const int RecomputeBudget = 4;

        /// <summary>
        /// Floating-point values of one iteration whose computation is at most <see cref="RecomputeBudget"/>
        /// cheap operations (add, subtract, multiply, negate, convert, read an element of an input array) over
        /// values the reverse iteration already has (from outside the loop, popped, counters, input elements,
        /// or computed again here). Removes them from <paramref name="saved"/> and returns their computations,
        /// in the body's order.
        /// </summary>
        /// <remarks>
        /// Enzyme and Tapenade make the same trade: a value that is cheap to compute again from values that are
        /// still there is not stored. Expensive operations (division, math functions, calls) stay on the tape.
        /// </remarks>
        private List<Node> Rematerialize(List<LetStmt> bodyLets, List<string> saved, HashSet<string> inside, HashSet<string> available)
        {
            var lets = bodyLets.ToDictionary(l => l.Name, StringComparer.Ordinal);
            var order = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var let in bodyLets) order[let.Name] = order.Count;

            bool Have(string name) => available.Contains(name) || !inside.Contains(name);

            // The lets (not yet available) that computing `name` again needs, or false when it is not cheap.
            var restores = new List<(string Loop, string Array)>();
            bool Chain(string name, HashSet<string> chain)
            {
                if (Have(name) || chain.Contains(name)) return true;
                if (!lets.TryGetValue(name, out var let) || !(Cheap(let.Value) || IsRereadable(let, restores))) return false;
                chain.Add(name);
                return chain.Count <= RecomputeBudget && IrRenamer.Variables(let.Value).All(v => Chain(v, chain));
            }

            var computed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in saved.Where(n => lets.ContainsKey(n) && lets[n].Value.Type.IsFloating()).OrderBy(n => order[n]).ToList())
            {
                var chain = new HashSet<string>(StringComparer.Ordinal);
                restores.Clear();
                available.Remove(name);
                if (Chain(name, chain))
                {
                    foreach (var (loop, array) in restores) Restore(loop, array);
                    saved.Remove(name);
                    computed.UnionWith(chain);
                    available.UnionWith(chain);
                }
                else
                {
                    available.Add(name);
                }
            }

            return computed.OrderBy(n => order[n])
                .Select(n => (Node)new DeclareNode(n, lets[n].Value.Type, lets[n].Value, "computed again: cheaper than the tape", null))
                .ToList();
        }

        /// <summary>
        /// A read of a local array's element that the reverse pass can read again (<see cref="ReadPlan"/>): a final
        /// read (the array still holds the value), or a read an enclosing loop makes good by restoring the array
        /// at the start of each reverse iteration, which is added to <paramref name="restores"/> for the caller to
        /// ask for if it uses the read.
        /// </summary>
        private bool IsRereadable(LetStmt let, List<(string Loop, string Array)> restores)
        {
            if (let.Value is not ElementExpr e || !IsPure(e.Index)) return false;
            if (_finalReads.Contains(let.Name)) return true;
            if (!_iterationReads.TryGetValue(let.Name, out var loop)) return false;

            // The enclosing loop will restore the array at the start of each reverse iteration.
            restores.Add((loop, e.Array));
            return true;
        }

        /// <summary>Asks <paramref name="loop"/> to save and restore local array <paramref name="array"/> whole in each iteration.</summary>
        private void Restore(string loop, string array)
        {
            if (!_restoredArrays.TryGetValue(loop, out var arrays))
            {
                arrays = new List<string>();
                _restoredArrays[loop] = arrays;
            }

            if (!arrays.Contains(array)) arrays.Add(array);
        }

        /// <summary>
        /// Where each read of a local array's element can be read again in the reverse pass. Final reads: every
        /// store or clear of the array comes before the read in the text and shares no loop with it (a later
        /// iteration would write after the read), so the array still holds the value at the end. Otherwise the
        /// outermost loop whose iteration writes the array only before the read (no write in the same iteration
        /// after it): that loop saves the whole array at the end of each iteration and restores it at the start
        /// of the iteration's reverse. Only reads inside a loop nested in that loop qualify, since they run many
        /// times per save (a layer's output read by the next layer's loops).
        /// </summary>
        private static (HashSet<string> Final, Dictionary<string, string> ByIteration) ReadPlan(Block body)
        {
            var reads = new List<(string Let, string Array, int Position, List<string> Loops)>();
            var writes = new List<(string Array, int Position, List<string> Loops)>();
            var loops = new List<string>();
            int position = 0;

            void Walk(Block block)
            {
                foreach (var statement in block.Statements)
                {
                    position++;
                    switch (statement)
                    {
                        case LetStmt { Value: ElementExpr element } let:
                            reads.Add((let.Name, element.Array, position, new List<string>(loops)));
                            break;
                        case StoreStmt store:
                            writes.Add((store.Array, position, new List<string>(loops)));
                            break;
                        case ClearStmt clear:
                            writes.Add((clear.Array, position, new List<string>(loops)));
                            break;
                        case IfStmt ifStmt:
                            Walk(ifStmt.Then);
                            Walk(ifStmt.Else);
                            break;
                        case LoopStmt loop:
                            loops.Add(loop.CountName);
                            Walk(loop.Condition);
                            Walk(loop.Body);
                            loops.RemoveAt(loops.Count - 1);
                            break;
                    }
                }
            }

            Walk(body);
            var final = new HashSet<string>(StringComparer.Ordinal);
            var byIteration = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var read in reads)
            {
                var arrayWrites = writes.Where(w => w.Array == read.Array).ToList();

                // A write inside the read's loop at `depth` runs in that loop's iterations: it must come before the
                // read and share no loop further in with it. Writes outside that loop run before or after all of
                // its iterations, and the restore at the start of each reverse iteration undoes them.
                bool Restorable(int depth) => arrayWrites.All(w =>
                    w.Loops.Count <= depth || w.Loops[depth] != read.Loops[depth]
                    || (w.Position < read.Position && !SharesFrom(w.Loops, read.Loops, depth + 1)));

                if (arrayWrites.All(w => w.Position < read.Position && !SharesFrom(w.Loops, read.Loops, 0)))
                {
                    final.Add(read.Let);
                    continue;
                }

                for (int depth = 0; depth < read.Loops.Count - 1; depth++)
                {
                    if (Restorable(depth))
                    {
                        byIteration[read.Let] = read.Loops[depth];
                        break;
                    }
                }
            }

            return (final, byIteration);
        }

        /// <summary>Whether the loop paths <paramref name="a"/> and <paramref name="b"/> share a loop at or after <paramref name="from"/>.</summary>
        private static bool SharesFrom(List<string> a, List<string> b, int from)
        {
            for (int i = from; i < a.Count; i++)
            {
                if (b.Contains(a[i])) return true;
            }

            return false;
        }

        private bool Cheap(Expr value) => value switch
        {
            VarExpr or LitExpr => true,
            BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => Cheap(b.Left) && Cheap(b.Right),
            UnaryExpr { Op: UnaryOp.Negate } u => Cheap(u.Operand),
            ConvertExpr c => Cheap(c.Operand),
            ElementExpr e => IsPure(e),
            _ => false,
        };

        /// <summary>
        /// The reverse of <c>a[i] = v</c>: v takes the element's adjoint, which then restarts from zero, since
        /// the value it belonged to is gone.
        /// </summary>
        private List<Node> Store(StoreStmt store)
        {
            var nodes = new List<Node>();
            if (!_arrayGradients.TryGetValue(store.Array, out var adjoint)) return nodes;
            var type = store.Value.Type;
            if (store.Value is VarExpr v && _active.Contains(v.Name))
            {
                nodes.Add(Accumulate(v.Name, new ElementExpr(adjoint, store.Index, type), "element write: the stored value takes the element's gradient", store.Source));
            }

            nodes.Add(new AssignNode(adjoint, Zero(type), AssignKind.Assign, null, store.Source, store.Index));
            return nodes;
        }

        /// <summary>
        /// Integer values of one iteration that the reverse iteration can compute again rather than pop: a
        /// carried counter stepped by a constant (<c>i = init + (iteration - 1) * step</c>), and integer
        /// expressions over such counters, values from outside the loop and input elements. Removes them from
        /// <paramref name="saved"/> and returns their computations, in order.
        /// </summary>
        private List<Node> Recompute(LoopStmt loop, List<LetStmt> bodyLets, HashSet<string> inside, List<string> saved)
        {
            var available = new HashSet<string>(StringComparer.Ordinal);
            bool Available(Expr expr) => IsPure(expr) && IrRenamer.Variables(expr).All(v => available.Contains(v) || !inside.Contains(v));

            var lets = bodyLets.ToDictionary(l => l.Name, StringComparer.Ordinal);
            var counters = new Dictionary<string, Node>(StringComparer.Ordinal);
            var iteration = new BinaryExpr(BinaryOp.Subtract, new VarExpr(loop.CountName, ScalarKind.Int32), new LitExpr("1", ScalarKind.Int32), ScalarKind.Int32);
            foreach (var carried in loop.Carried)
            {
                if (carried.Type == ScalarKind.Int32
                    && carried.Next is VarExpr next
                    && lets.TryGetValue(next.Name, out var step)
                    && step.Value is BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarExpr self, Right: LitExpr by } stepping
                    && self.Name == carried.Name
                    && Available(carried.Init))
                {
                    Expr offset = by.Text == "1" ? iteration : new BinaryExpr(BinaryOp.Multiply, iteration, by, ScalarKind.Int32);
                    counters[carried.Name] = new AssignNode(carried.Name, new BinaryExpr(stepping.Op, carried.Init, offset, ScalarKind.Int32), AssignKind.Assign, "this iteration's counter, computed again", null);
                    available.Add(carried.Name);
                }
            }

            var computed = new List<Node>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var let in bodyLets)
            {
                if (let.Value.Type == ScalarKind.Int32 && saved.Contains(let.Name) && Available(let.Value))
                {
                    computed.Add(new DeclareNode(let.Name, ScalarKind.Int32, let.Value, null, null));
                    available.Add(let.Name);
                    used.UnionWith(IrRenamer.Variables(let.Value));
                    saved.Remove(let.Name);
                }
            }

            // A nested loop's trip count, when its test is `c < bound` (or <=, >, >=) on a counter stepped by
            // one, with no break, and its start and bound are at hand: computed, not taped.
            foreach (var inner in loop.Body.Statements.OfType<LoopStmt>())
            {
                if (saved.Contains(inner.CountName) && TripCount(inner, lets, Available) is { } trips)
                {
                    computed.Add(new DeclareNode(inner.CountName, ScalarKind.Int32, trips, "the nested loop's trip count, computed again", null));
                    used.UnionWith(IrRenamer.Variables(trips));
                    saved.Remove(inner.CountName);
                }
            }

            var nodes = new List<Node>();
            foreach (var counter in counters)
            {
                if (saved.Remove(counter.Key) || used.Contains(counter.Key)) nodes.Add(counter.Value);
            }

            nodes.AddRange(computed);
            return nodes;
        }

        /// <summary>
        /// How many times <paramref name="loop"/> runs, as an expression over values the caller has, or null when
        /// that is not plain: the test must be a comparison of a counter that steps by one towards a bound, with
        /// nothing else in the condition (a break or continue adds a flag to it) and a test at the top.
        /// </summary>
        private static Expr? TripCount(LoopStmt loop, Dictionary<string, LetStmt> outerLets, Func<Expr, bool> available)
        {
            if (loop.TestAtEnd || loop.Condition.Statements.Count > 0) return null;
            if (loop.Test is not BinaryExpr { Left: VarExpr counter, Right: var bound } test) return null;
            if (loop.Carried.FirstOrDefault(c => c.Name == counter.Name) is not { Type: ScalarKind.Int32 } carried) return null;
            if (carried.Next is not VarExpr next) return null;
            var step = loop.Body.Statements.OfType<LetStmt>().FirstOrDefault(l => l.Name == next.Name);
            if (step?.Value is not BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarExpr self, Right: LitExpr { Text: "1" } } stepping || self.Name != counter.Name) return null;

            // The start: the carried variable's initial value, or the constant an integer let just before gave it.
            Expr start = carried.Init;
            if (start is VarExpr v && outerLets.TryGetValue(v.Name, out var startLet) && startLet.Value is LitExpr) start = startLet.Value;
            if (!available(start) || !available(bound)) return null;

            bool up = stepping.Op == BinaryOp.Add;
            Expr from = up ? start : bound;
            Expr to = up ? bound : start;
            var zero = new LitExpr("0", ScalarKind.Int32);
            Expr span = from == zero ? to : new BinaryExpr(BinaryOp.Subtract, to, from, ScalarKind.Int32);
            switch (test.Op)
            {
                case BinaryOp.LessThan when up:
                case BinaryOp.GreaterThan when !up:
                    return new ConditionalExpr(new BinaryExpr(BinaryOp.GreaterThan, to, from, ScalarKind.Boolean), span, zero, ScalarKind.Int32);
                case BinaryOp.LessThanOrEqual when up:
                case BinaryOp.GreaterThanOrEqual when !up:
                    return new ConditionalExpr(
                        new BinaryExpr(BinaryOp.GreaterThanOrEqual, to, from, ScalarKind.Boolean),
                        new BinaryExpr(BinaryOp.Add, span, new LitExpr("1", ScalarKind.Int32), ScalarKind.Int32),
                        zero,
                        ScalarKind.Int32);
                default:
                    return null;
            }
        }

        private bool IsPure(Expr expr) => expr switch
        {
            VarExpr or LitExpr or LengthExpr => true,
            UnaryExpr u => IsPure(u.Operand),
            BinaryExpr b => IsPure(b.Left) && IsPure(b.Right),
            ConvertExpr c => IsPure(c.Operand),
            ConditionalExpr c => IsPure(c.Condition) && IsPure(c.WhenTrue) && IsPure(c.WhenFalse),
            ElementExpr e => IsInputArray(e.Array) && IsPure(e.Index),
            _ => false,
        };

        /// <summary>Whether <paramref name="array"/> is a parameter: an input, which the method never writes.</summary>
        private bool IsInputArray(string array) => _method.Parameters.Any(p => p.Name == array);

        /// <summary>Every name <paramref name="nodes"/> declare, nested lists included, in order.</summary>
        private static IEnumerable<string> AllDeclared(List<Node> nodes)
        {
            foreach (var node in nodes)
            {
                if (node is DeclareNode d) yield return d.Name;
                foreach (var list in node.Lists)
                {
                    foreach (var name in AllDeclared(list)) yield return name;
                }
            }
        }

        private static bool ContainsLoop(Block block) => block.Statements.Any(s => s switch
        {
            LoopStmt => true,
            IfStmt i => ContainsLoop(i.Then) || ContainsLoop(i.Else),
            _ => false,
        });

        /// <summary>
        /// <c>dC = 0.0; … dC += v;</c> where the first contribution is unconditional becomes <c>dC = v;</c>:
        /// one add fewer on the chain that runs through every iteration.
        /// </summary>
        private void FoldResets(List<Node> code, List<string> carried)
        {
            foreach (var name in carried)
            {
                string adjoint = Adjoint(name);
                int reset = code.FindIndex(n => n is AssignNode { Kind: AssignKind.Assign, Index: null, Value: LitExpr } a && a.Name == adjoint);
                if (reset < 0) continue;
                for (int i = reset + 1; i < code.Count; i++)
                {
                    if (code[i] is AccumulateNode a && a.Variable == name)
                    {
                        code[i] = new AssignNode(adjoint, a.Value, AssignKind.Assign, a.Comment, a.Source);
                        code.RemoveAt(reset);
                        break;
                    }

                    if (Contains(code[i], name) || References(code[i], adjoint)) break;
                }
            }
        }

        private static bool References(Node node, string name)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(new List<Node> { node }, names);
            return names.Contains(name);
        }

        private static Node WithComment(Node node, string comment) => node switch
        {
            DeclareNode d => new DeclareNode(d.Name, d.Type, d.Value, comment, d.Source),
            AssignNode a => new AssignNode(a.Name, a.Value, a.Kind, comment, a.Source, a.Index),
            _ => node,
        };

        private Node Push(string name, ScalarKind type) => new ExpressionNode(new TapeExpr(Tape(type), TapeOp.Push, new VarExpr(name, type), type));

        private TapeExpr Pop(ScalarKind type) => new(Tape(type), TapeOp.Pop, null, type);

        /// <summary>Pushes every element of local array <paramref name="array"/>.</summary>
        private Node SaveWhole(string array) => SaveWhole(new ArrayRefExpr(array, _localArrays[array].Element));

        private Node SaveWhole(ArrayRefExpr array) => new ExpressionNode(new TapeExpr(Tape(array.Type), TapeOp.PushAll, array, array.Type));

        /// <summary>Pops every element of local array <paramref name="array"/> back (the matching <see cref="SaveWhole(string)"/>).</summary>
        private Node RestoreWhole(string array) => RestoreWhole(new ArrayRefExpr(array, _localArrays[array].Element));

        private Node RestoreWhole(ArrayRefExpr array) => new ExpressionNode(new TapeExpr(Tape(array.Type), TapeOp.PopAll, array, array.Type));

        private string Tape(ScalarKind type)
        {
            if (!_tapes.TryGetValue(type, out var name))
            {
                string keyword = type == ScalarKind.Generic ? "values" : type.Keyword();
                name = _names.Fresh("tape" + char.ToUpperInvariant(keyword[0]) + keyword.Substring(1));
                _tapes[type] = name;
                _tapeBuffers[type] = _names.Fresh(name + "Buffer");
            }

            return name;
        }
    }
}
