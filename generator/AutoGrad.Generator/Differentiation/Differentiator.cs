using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>
    /// Differentiate stage: turns a method's IR into the body of its Backward method: the forward statements,
    /// then the adjoint statements in reverse order, with adjoints declared where their first contribution
    /// lands and accumulated with <c>+=</c> after that.
    /// </summary>
    /// <remarks>
    /// A block whose forward and reverse code can sit together (the method body, and each branch of a
    /// terminal if) is emitted as: forward statements, adjoint declarations, the tail (the return, or the
    /// terminal if with each branch's own forward and reverse inside), then the reverse of the forward
    /// statements. A join if is replayed in the reverse sweep on its cached condition; values computed inside
    /// it that its reverse needs are declared before it.
    /// </remarks>
    internal sealed class Differentiator
    {
        private readonly MethodModel _method;
        private readonly NameGenerator _names;
        private readonly Dictionary<string, ScalarKind> _types = new(StringComparer.Ordinal);
        private readonly HashSet<string> _active = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _adjoints = new(StringComparer.Ordinal);
        private readonly HashSet<string> _contributed = new(StringComparer.Ordinal);
        private readonly CancellationToken _cancellationToken;
        private readonly VarExpr _seed;
        private string? _resultName;
        private readonly List<string> _conditions = new();
        private readonly Dictionary<string, string> _arrayGradients = new(StringComparer.Ordinal);
        private readonly SortedDictionary<ScalarKind, string> _tapes = new();
        private int _conditionCounter;

        private Differentiator(MethodModel method, CancellationToken cancellationToken)
        {
            _method = method;
            _cancellationToken = cancellationToken;
            _names = new NameGenerator(method.ReservedNames);
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Shape != ArrayShape.None)
                {
                    if (parameter.GradientName is { } arrayGradient) _arrayGradients[parameter.Name] = arrayGradient;
                    continue;
                }

                _types[parameter.Name] = parameter.Type;
                if (parameter.GradientName is { } gradient)
                {
                    _active.Add(parameter.Name);
                    _adjoints[parameter.Name] = gradient;
                }
            }

            CollectVariables(method.Body);
            _seed = new VarExpr(method.SeedName, method.ReturnType);
        }

        public static BackwardModel Differentiate(MethodModel method, CancellationToken cancellationToken)
        {
            string? error = null;
            var body = EquatableArray<CodeStmt>.Empty;
            try
            {
                var differentiator = new Differentiator(method, cancellationToken);
                body = Freeze(differentiator.Run());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = e.GetType().Name + ": " + e.Message;
            }

            return new BackwardModel(
                method.Namespace,
                method.ContainingTypes,
                method.Accessibility,
                method.BackwardName,
                method.Name,
                method.DocumentationSignature,
                method.ReturnType,
                Parameters(method),
                body,
                method.HintName,
                error);
        }

        private List<Node> Run()
        {
            var nodes = Contiguous(_method.Body, isTop: true);
            NumberConditions(nodes);
            AddSourceComments(nodes);

            var prefix = new List<Node>();
            foreach (var parameter in _method.Parameters)
            {
                if (parameter.Shape != ArrayShape.None && parameter.GradientName is { } gradient)
                {
                    prefix.Add(new CheckLengthNode(gradient, parameter.Name));
                }
            }

            foreach (var tape in _tapes)
            {
                prefix.Add(new TapeNode(tape.Value, tape.Key));
                nodes.Insert(nodes.Count - 1, new ExpressionNode(new CallExpr(tape.Value + ".Dispose", EquatableArray<Expr>.Empty, ScalarKind.Int32)));
            }

            nodes.InsertRange(0, prefix);
            return nodes;
        }

        // ---- blocks -------------------------------------------------------------------------------

        private List<Node> Contiguous(Block block, bool isTop)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var statements = block.Statements;
            if (statements.Count == 0) throw new InvalidOperationException("A block that does not return.");
            var tail = statements[statements.Count - 1];

            var tailPrimal = new List<Node>();
            var tailNodes = new List<Node>();
            Expr? topReturn = null;
            switch (tail)
            {
                case ReturnStmt ret:
                    if (isTop && !(ret.Value is VarExpr && ContainsLoop(_method.Body)))
                    {
                        topReturn = ret.Value;
                    }
                    else if (isTop)
                    {
                        // Reverse loops restore variables from the tape: keep the result before they run.
                        _resultName = _names.Fresh("result");
                        tailPrimal.Add(new DeclareNode(_resultName, _method.ReturnType, ret.Value, null, ret.Source));
                    }
                    else
                    {
                        tailPrimal.Add(new AssignNode(_resultName!, ret.Value, AssignKind.Assign, null, ret.Source));
                    }

                    if (ret.Value is VarExpr v && _active.Contains(v.Name))
                    {
                        tailNodes.Add(Accumulate(v.Name, _seed, "the result's gradient is the seed", ret.Source));
                    }

                    break;

                case IfStmt terminal:
                    if (isTop) _resultName = _names.Fresh("result");
                    tailNodes.Add(new IfNode(terminal.Condition, Contiguous(terminal.Then, false), Contiguous(terminal.Else, false), terminal.Source));
                    break;

                default:
                    throw new InvalidOperationException("A block must end with a return.");
            }

            var (forward, reverse) = Statements(statements, statements.Count - 1);
            var code = new List<Node>(tailNodes);
            code.AddRange(reverse);

            var defined = DefinedAt(statements, statements.Count - 1);
            if (isTop) defined.InsertRange(0, _method.Parameters.Where(p => p.GradientName is not null && p.Shape == ArrayShape.None).Select(p => p.Name));
            var declarations = DeclareAdjoints(defined, code, isTop);

            var result = new List<Node>(forward);
            if (isTop && tail is IfStmt) result.Add(new DeclareNode(_resultName!, _method.ReturnType, null, null, null));
            result.AddRange(tailPrimal);
            string marker = isTop ? "reverse pass: local gradients from the result back to the inputs" : "reverse pass of this branch";
            if (tail is ReturnStmt)
            {
                if (code.Count > 0 || declarations.Count > 0) result.Add(new CommentNode(marker, null));
                result.AddRange(declarations);
                result.AddRange(code);
            }
            else
            {
                // The terminal if holds each branch's own forward and reverse code; the reverse of what came
                // before it follows it.
                if (declarations.Count > 0) result.Add(new CommentNode("gradients that the branches below add to", null));
                result.AddRange(declarations);
                result.Add(code[0]);
                if (code.Count > 1) result.Add(new CommentNode(marker, null));
                result.AddRange(code.Skip(1));
            }

            // The adjoints of heap-allocated local arrays came from the pool: give them back.
            foreach (var array in forward.OfType<ArrayNode>().Where(a => a.Rented is not null))
            {
                var pool = "global::System.Buffers.ArrayPool<" + array.Element.Keyword() + ">.Shared.Return";
                result.Add(new ExpressionNode(new CallExpr(pool, EquatableArray.Create<Expr>(new VarExpr(array.Rented!, ScalarKind.Int32)), ScalarKind.Int32)));
            }

            if (isTop) result.Add(new ReturnNode(topReturn ?? new VarExpr(_resultName!, _method.ReturnType)));
            return result;
        }

        /// <summary>Forward and reverse code of statements[0..count), the reverse already in reverse order.</summary>
        private (List<Node> Forward, List<Node> Reverse) Statements(EquatableArray<Stmt> statements, int count)
        {
            var forwardPieces = new List<List<Node>>();
            var reverse = new List<Node>();
            for (int i = count - 1; i >= 0; i--)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                switch (statements[i])
                {
                    case LetStmt let:
                        forwardPieces.Add(new List<Node> { new DeclareNode(let.Name, let.Value.Type, let.Value, null, let.Source) });
                        if (let.IsActive && _contributed.Contains(let.Name)) reverse.AddRange(Adjoint(let));
                        break;

                    case IfStmt join:
                        var (f, r) = JoinIf(join);
                        forwardPieces.Add(f);
                        reverse.AddRange(r);
                        break;

                    case LoopStmt loop:
                        var (loopForward, loopReverse) = Loop(loop);
                        forwardPieces.Add(loopForward);
                        reverse.AddRange(loopReverse);
                        break;

                    case LocalArrayStmt array:
                        string? rented = array.OnStack ? null : _names.Fresh(_arrayGradients[array.Name] + "_rented");
                        forwardPieces.Add(new List<Node> { new ArrayNode(array.Name, _arrayGradients[array.Name], array.Element, array.Length, array.OnStack, rented, array.Source) });
                        break;

                    case StoreStmt store:
                        forwardPieces.Add(new List<Node> { new AssignNode(store.Array, store.Value, AssignKind.Assign, null, store.Source, store.Index) });
                        reverse.AddRange(Store(store));
                        break;

                    default:
                        throw new InvalidOperationException("A return before the end of a block.");
                }
            }

            forwardPieces.Reverse();
            return (forwardPieces.SelectMany(p => p).ToList(), reverse);
        }

        private (List<Node> Forward, List<Node> Reverse) JoinIf(IfStmt join)
        {
            // Reverse: the merges' adjoints flow back into the branch values, then each branch in reverse.
            var reverseThen = new List<Node>();
            var reverseElse = new List<Node>();
            foreach (var merge in join.Merges)
            {
                if (!merge.IsActive || !_contributed.Contains(merge.Name)) continue;
                var g = new VarExpr(Adjoint(merge.Name), merge.Type);
                if (merge.WhenTrue is VarExpr t && _active.Contains(t.Name)) reverseThen.Add(Accumulate(t.Name, g, "branch taken: passes the gradient on", join.Source));
                if (merge.WhenFalse is VarExpr e && _active.Contains(e.Name)) reverseElse.Add(Accumulate(e.Name, g, "branch taken: passes the gradient on", join.Source));
            }

            var forwardThen = Branch(join.Then, reverseThen);
            var forwardElse = Branch(join.Else, reverseElse);

            var forward = new List<Node>();
            var reverse = new List<Node>();
            Expr condition = join.Condition;
            if (reverseThen.Count > 0 || reverseElse.Count > 0)
            {
                string conditionName = _names.FreshNumbered("cond", ref _conditionCounter);
                _conditions.Add(conditionName);
                _types[conditionName] = ScalarKind.Boolean;
                var cached = new VarExpr(conditionName, ScalarKind.Boolean);
                reverse.Add(reverseThen.Count > 0
                    ? new IfNode(cached, reverseThen, reverseElse, join.Source)
                    : new IfNode(new UnaryExpr(UnaryOp.LogicalNot, cached, ScalarKind.Boolean), reverseElse, new List<Node>(), join.Source));

                // Values the reverse sweep reads from inside the branches are declared before the if.
                var referenced = new HashSet<string>(StringComparer.Ordinal);
                CollectReferences(reverse, referenced);
                var hoisted = new List<string>();
                CollectDeclared(forwardThen, referenced, hoisted);
                CollectDeclared(forwardElse, referenced, hoisted);
                foreach (var name in hoisted)
                {
                    forward.Add(new DeclareNode(name, _types[name], Zero(_types[name]), null, join.Source));
                }

                var hoistedSet = new HashSet<string>(hoisted, StringComparer.Ordinal);
                DeclarationsToAssignments(forwardThen, hoistedSet);
                DeclarationsToAssignments(forwardElse, hoistedSet);
                forward.Add(new DeclareNode(conditionName, ScalarKind.Boolean, join.Condition, null, join.Source));
                condition = cached;
            }

            // `double m = c ? a : b;` when the branches compute nothing.
            if (join.Merges.Count == 1 && forwardThen.Count == 0 && forwardElse.Count == 0)
            {
                var merge = join.Merges[0];
                forward.Add(new DeclareNode(merge.Name, merge.Type, new ConditionalExpr(condition, merge.WhenTrue, merge.WhenFalse, merge.Type), null, join.Source));
                return (forward, reverse);
            }

            foreach (var merge in join.Merges)
            {
                forward.Add(new DeclareNode(merge.Name, merge.Type, null, null, join.Source));
                forwardThen.Add(new AssignNode(merge.Name, merge.WhenTrue, AssignKind.Assign, null, join.Source));
                forwardElse.Add(new AssignNode(merge.Name, merge.WhenFalse, AssignKind.Assign, null, join.Source));
            }

            forward.Add(new IfNode(condition, forwardThen, forwardElse, join.Source));
            return (forward, reverse);
        }

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
            var active = loop.Carried.Where(c => c.IsActive).ToList();

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

            var (bodyForward, bodyReverse) = Statements(statements, statements.Count);
            var code = new List<Node>(backEdge);
            code.AddRange(bodyReverse);
            FoldResets(code, active.Select(c => c.Name).ToList());
            var declarations = DeclareAdjoints(DefinedAt(statements, statements.Count), code, isTop: false);
            code.InsertRange(0, declarations);

            // What the reverse iteration reads that an iteration overwrites goes on the tape.
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(code, referenced);
            var reads = new HashSet<string>(StringComparer.Ordinal);
            CollectReferences(code, reads, includeTargets: false);
            var saved = new List<string>();
            CollectDeclared(bodyForward, reads, saved);
            saved.AddRange(loop.Carried.Select(c => c.Name).Where(reads.Contains));
            var carriedNames = new HashSet<string>(loop.Carried.Select(c => c.Name), StringComparer.Ordinal);

            // Only written there (a nested loop restores them itself): declared, not taped.
            var writeOnly = new List<string>();
            CollectDeclared(bodyForward, new HashSet<string>(referenced.Where(n => !reads.Contains(n)), StringComparer.Ordinal), writeOnly);

            // Counters and index arithmetic are computed again from the iteration number instead of taped.
            var recomputed = Recompute(loop, statements, bodyForward, saved);
            var recomputedNames = new HashSet<string>(recomputed.Select(n => n is DeclareNode d ? d.Name : ((AssignNode)n).Name), StringComparer.Ordinal);

            // An element of an input array is never overwritten: read it again instead of taping it.
            var rereads = new List<Node>();
            var reread = new HashSet<string>(StringComparer.Ordinal);
            var indices = new List<string>();
            foreach (var statement in statements)
            {
                if (statement is LetStmt { Value: ElementExpr { Index: VarExpr or LitExpr } element } let
                    && _method.Parameters.Any(p => p.Name == element.Array)
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

            var pushes = saved.Select(name => (Node)new ExpressionNode(new CallExpr(Tape(_types[name]) + ".Push", EquatableArray.Create<Expr>(new VarExpr(name, _types[name])), ScalarKind.Int32))).ToList();
            var iteration = new List<Node>();
            for (int i = saved.Count - 1; i >= 0; i--)
            {
                string name = saved[i];
                var pop = new CallExpr(Tape(_types[name]) + ".Pop", EquatableArray<Expr>.Empty, _types[name]);
                iteration.Add(carriedNames.Contains(name)
                    ? new AssignNode(name, pop, AssignKind.Assign, null, null)
                    : new DeclareNode(name, _types[name], pop, null, null));
            }

            if (iteration.Count > 0) iteration[0] = WithComment(iteration[0], "restore this iteration's values from the tape");
            iteration.AddRange(writeOnly.Select(name => (Node)new DeclareNode(name, _types[name], Zero(_types[name]), null, null)));
            iteration.AddRange(recomputed);
            iteration.AddRange(rereads);
            iteration.AddRange(code);

            var restores = new HashSet<string>(carriedNames, StringComparer.Ordinal);
            var reverse = new List<Node> { new ReverseLoopNode(loop.CountName, iteration, restores, source) };
            foreach (var carried in active)
            {
                if (carried.Init is VarExpr init && _active.Contains(init.Name))
                {
                    reverse.Add(Accumulate(init.Name, new VarExpr(Adjoint(carried.Name), carried.Type), "the loop's entry: " + carried.Name + " starts as " + init.Name, source));
                }
            }

            // Forward.
            var forward = new List<Node>();
            foreach (var carried in loop.Carried)
            {
                forward.Add(new DeclareNode(carried.Name, carried.Type, carried.Init, null, source));
            }

            forward.Add(new DeclareNode(loop.CountName, ScalarKind.Int32, new LitExpr("0", ScalarKind.Int32), null, source));
            var (conditionForward, _) = Statements(loop.Condition.Statements, loop.Condition.Statements.Count);
            var test = new List<Node>(conditionForward)
            {
                new IfNode(new UnaryExpr(UnaryOp.LogicalNot, loop.Test, ScalarKind.Boolean), new List<Node> { new BreakNode(source) }, new List<Node>(), source),
            };

            var body = new List<Node>();
            if (!loop.TestAtEnd) body.AddRange(test);
            body.AddRange(bodyForward);
            body.AddRange(pushes);

            // Carried variables move on together: a next value that is another carried variable is copied first.
            var nextValues = new List<Expr>();
            foreach (var carried in loop.Carried)
            {
                var next = carried.Next;
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

            body.Add(new AssignNode(loop.CountName, new BinaryExpr(BinaryOp.Add, new VarExpr(loop.CountName, ScalarKind.Int32), new LitExpr("1", ScalarKind.Int32), ScalarKind.Int32), AssignKind.Assign, null, source));
            if (loop.TestAtEnd) body.AddRange(test);
            forward.Add(new WhileTrueNode(body, source));
            return (forward, reverse);
        }

        /// <summary>
        /// The reverse of <c>a[i] = v</c>: v takes the element's adjoint, which then restarts from zero, since
        /// the value it belonged to is gone.
        /// </summary>
        private List<Node> Store(StoreStmt store)
        {
            string adjoint = _arrayGradients[store.Array];
            var type = store.Value.Type;
            var nodes = new List<Node>();
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
        private List<Node> Recompute(LoopStmt loop, EquatableArray<Stmt> statements, List<Node> bodyForward, List<string> saved)
        {
            var inside = new HashSet<string>(loop.Carried.Select(c => c.Name), StringComparer.Ordinal);
            CollectAllDeclared(bodyForward, inside);
            var available = new HashSet<string>(StringComparer.Ordinal);
            bool Available(Expr expr) => IsPure(expr) && IrRenamer.Variables(expr).All(v => available.Contains(v) || !inside.Contains(v));

            var lets = statements.OfType<LetStmt>().ToDictionary(l => l.Name, StringComparer.Ordinal);
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
            foreach (var let in lets.Values)
            {
                if (let.Value.Type == ScalarKind.Int32 && saved.Contains(let.Name) && Available(let.Value))
                {
                    computed.Add(new DeclareNode(let.Name, ScalarKind.Int32, let.Value, null, null));
                    available.Add(let.Name);
                    used.UnionWith(IrRenamer.Variables(let.Value));
                    saved.Remove(let.Name);
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

        private bool IsPure(Expr expr) => expr switch
        {
            VarExpr or LitExpr or LengthExpr => true,
            UnaryExpr u => IsPure(u.Operand),
            BinaryExpr b => IsPure(b.Left) && IsPure(b.Right),
            ConvertExpr c => IsPure(c.Operand),
            ConditionalExpr c => IsPure(c.Condition) && IsPure(c.WhenTrue) && IsPure(c.WhenFalse),
            ElementExpr e => _method.Parameters.Any(p => p.Name == e.Array) && IsPure(e.Index),
            _ => false,
        };

        private static void CollectAllDeclared(List<Node> nodes, HashSet<string> names)
        {
            foreach (var node in nodes)
            {
                if (node is DeclareNode d) names.Add(d.Name);
                foreach (var list in node.Lists) CollectAllDeclared(list, names);
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

        private string Tape(ScalarKind type)
        {
            if (!_tapes.TryGetValue(type, out var name))
            {
                name = _names.Fresh("tape" + char.ToUpperInvariant(type.Keyword()[0]) + type.Keyword().Substring(1));
                _tapes[type] = name;
            }

            return name;
        }

        /// <summary>
        /// A join if's branch: returns its forward code, and appends its reverse code to <paramref name="reverse"/>
        /// (which holds the contributions of the merges at the branch's end), declaring the adjoints of the
        /// values the branch defines.
        /// </summary>
        private List<Node> Branch(Block block, List<Node> reverse)
        {
            var statements = block.Statements;
            var (forward, branchReverse) = Statements(statements, statements.Count);
            reverse.AddRange(branchReverse);
            var declarations = DeclareAdjoints(DefinedAt(statements, statements.Count), reverse, isTop: false);
            reverse.InsertRange(0, declarations);
            return forward;
        }

        // ---- adjoints -----------------------------------------------------------------------------

        private List<Node> Adjoint(LetStmt let)
        {
            var g = new VarExpr(Adjoint(let.Name), let.Value.Type);
            if (let.Value is ElementExpr element)
            {
                // An element read: its gradient is added into the caller's buffer.
                return _arrayGradients.TryGetValue(element.Array, out var buffer)
                    ? new List<Node> { new AssignNode(buffer, g, AssignKind.AddAssign, "element read: the gradient goes to " + buffer + "[" + Emit.Emitter.Format(element.Index) + "]", let.Source, element.Index) }
                    : new List<Node>();
            }

            var rule = DerivativeRules.For(let.Value, new VarExpr(let.Name, let.Value.Type), g);
            var nodes = Steps(rule.Steps, rule.Operands, let.Source);
            if (nodes.Count == 0) return nodes;
            switch (nodes[0])
            {
                case AccumulateNode accumulate:
                    accumulate.Comment = rule.Note;
                    break;
                default:
                    nodes.Insert(0, new CommentNode(rule.Note, let.Source));
                    break;
            }

            return nodes;
        }

        private List<Node> Steps(IReadOnlyList<RuleStep> steps, IReadOnlyList<Expr> operands, SourceInfo source)
        {
            var nodes = new List<Node>();
            foreach (var step in steps)
            {
                switch (step)
                {
                    case Contribution c when operands[c.Operand] is VarExpr v && _active.Contains(v.Name):
                        nodes.Add(Accumulate(v.Name, c.Value, null, source));
                        break;
                    case Route { Condition: BinaryExpr { Left: var left, Right: var right } comparison } route when left.Equals(right):
                        // Max(x, x) and the like: the comparison's outcome is known, and writing it would be CS1718.
                        bool holds = comparison.Op is BinaryOp.GreaterThanOrEqual or BinaryOp.LessThanOrEqual or BinaryOp.Equal;
                        nodes.AddRange(Steps(holds ? route.WhenTrue : route.WhenFalse, operands, source));
                        break;
                    case Route route:
                        var whenTrue = Steps(route.WhenTrue, operands, source);
                        var whenFalse = Steps(route.WhenFalse, operands, source);
                        if (whenTrue.Count > 0)
                        {
                            nodes.Add(new IfNode(route.Condition, whenTrue, whenFalse, source));
                        }
                        else if (whenFalse.Count > 0)
                        {
                            nodes.Add(new IfNode(new UnaryExpr(UnaryOp.LogicalNot, route.Condition, ScalarKind.Boolean), whenFalse, new List<Node>(), source));
                        }

                        break;
                }
            }

            return nodes;
        }

        private AccumulateNode Accumulate(string variable, Expr value, string? comment, SourceInfo source)
        {
            _contributed.Add(variable);
            return new AccumulateNode(variable, value, comment, source);
        }

        private string Adjoint(string variable)
        {
            if (!_adjoints.TryGetValue(variable, out var name))
            {
                name = _names.Fresh(NameGenerator.GradientName(variable));
                _adjoints[variable] = name;
            }

            return name;
        }

        /// <summary>
        /// Turns every pending contribution to a variable defined in this block into code: the first one
        /// declares the adjoint when it sits at the top level of <paramref name="code"/>; otherwise the adjoint
        /// is declared as zero up front (returned) and every contribution is a <c>+=</c>.
        /// </summary>
        private List<Node> DeclareAdjoints(List<string> defined, List<Node> code, bool isTop)
        {
            var declarations = new List<Node>();
            var parameters = new HashSet<string>(_method.Parameters.Where(p => p.Shape == ArrayShape.None).Select(p => p.Name), StringComparer.Ordinal);
            foreach (var variable in defined)
            {
                bool isParameter = isTop && parameters.Contains(variable);
                var type = _types[variable];
                if (!_contributed.Contains(variable))
                {
                    if (isParameter) declarations.Add(new AssignNode(Adjoint(variable), Zero(type), AssignKind.Assign, "no gradient reaches it", null));
                    continue;
                }

                string adjoint = Adjoint(variable);
                int first = code.FindIndex(n => n is AccumulateNode a && a.Variable == variable);
                bool firstIsTop = first >= 0 && !code.Take(first).Any(n => Contains(n, variable));
                if (firstIsTop)
                {
                    var a = (AccumulateNode)code[first];
                    code[first] = isParameter
                        ? new AssignNode(adjoint, a.Value, AssignKind.Assign, a.Comment, a.Source)
                        : new DeclareNode(adjoint, type, a.Value, a.Comment, a.Source);
                }
                else
                {
                    declarations.Add(isParameter
                        ? new AssignNode(adjoint, Zero(type), AssignKind.Assign, null, null)
                        : new DeclareNode(adjoint, type, Zero(type), null, null));
                }

                ResolveAccumulations(code, variable, adjoint);
            }

            return declarations;
        }

        private static bool Contains(Node node, string variable) =>
            node is AccumulateNode a ? a.Variable == variable : node.Lists.Any(list => list.Any(n => Contains(n, variable)));

        private static void ResolveAccumulations(List<Node> code, string variable, string adjoint)
        {
            for (int i = 0; i < code.Count; i++)
            {
                switch (code[i])
                {
                    case AccumulateNode a when a.Variable == variable:
                        code[i] = a.Value is UnaryExpr { Op: UnaryOp.Negate } negated
                            ? new AssignNode(adjoint, negated.Operand, AssignKind.SubtractAssign, a.Comment, a.Source)
                            : new AssignNode(adjoint, a.Value, AssignKind.AddAssign, a.Comment, a.Source);
                        break;
                    default:
                        foreach (var list in code[i].Lists) ResolveAccumulations(list, variable, adjoint);
                        break;
                }
            }
        }

        /// <summary>
        /// Conditions are named while the reverse sweep runs, last first; give the names back in the order the
        /// conditions are declared so that the code reads cond0, cond1, ….
        /// </summary>
        private void NumberConditions(List<Node> nodes)
        {
            var created = _conditions.ToList();
            var wanted = new HashSet<string>(created, StringComparer.Ordinal);
            var declared = new List<string>();
            void Walk(List<Node> list)
            {
                foreach (var node in list)
                {
                    if (node is DeclareNode d && wanted.Remove(d.Name)) declared.Add(d.Name);
                    foreach (var inner in node.Lists) Walk(inner);
                }
            }

            Walk(nodes);
            var renames = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < declared.Count && i < created.Count; i++)
            {
                if (declared[i] != created[i]) renames[declared[i]] = created[i];
            }

            if (renames.Count > 0) Rename(nodes, renames);
        }

        private static void Rename(List<Node> nodes, Dictionary<string, string> renames)
        {
            string Name(string name) => renames.TryGetValue(name, out var renamed) ? renamed : name;
            for (int i = 0; i < nodes.Count; i++)
            {
                switch (nodes[i])
                {
                    case DeclareNode d:
                        nodes[i] = new DeclareNode(Name(d.Name), d.Type, d.Value is null ? null : IrRenamer.Rename(d.Value, renames), d.Comment, d.Source);
                        break;
                    case AssignNode a:
                        nodes[i] = new AssignNode(Name(a.Name), IrRenamer.Rename(a.Value, renames), a.Kind, a.Comment, a.Source, a.Index is null ? null : IrRenamer.Rename(a.Index, renames));
                        break;
                    case IfNode n:
                        nodes[i] = new IfNode(IrRenamer.Rename(n.Condition, renames), n.Then, n.Else, n.Source);
                        break;
                    case ReturnNode r:
                        nodes[i] = new ReturnNode(IrRenamer.Rename(r.Value, renames));
                        break;
                    case ExpressionNode e:
                        nodes[i] = new ExpressionNode(IrRenamer.Rename(e.Value, renames));
                        break;
                }

                foreach (var list in nodes[i].Lists) Rename(list, renames);
            }
        }

        // ---- helpers ------------------------------------------------------------------------------

        private void CollectVariables(Block block)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case LetStmt let:
                        _names.Reserve(let.Name);
                        _types[let.Name] = let.Value.Type;
                        if (let.IsActive) _active.Add(let.Name);
                        break;
                    case IfStmt ifStmt:
                        foreach (var merge in ifStmt.Merges)
                        {
                            _names.Reserve(merge.Name);
                            _types[merge.Name] = merge.Type;
                            if (merge.IsActive) _active.Add(merge.Name);
                        }

                        CollectVariables(ifStmt.Then);
                        CollectVariables(ifStmt.Else);
                        break;
                    case LocalArrayStmt array:
                        _names.Reserve(array.Name);
                        _arrayGradients[array.Name] = _names.Fresh(NameGenerator.GradientName(array.Name));
                        break;
                    case LoopStmt loop:
                        foreach (var carried in loop.Carried)
                        {
                            _names.Reserve(carried.Name);
                            _types[carried.Name] = carried.Type;
                            if (carried.IsActive) _active.Add(carried.Name);
                        }

                        _names.Reserve(loop.CountName);
                        _types[loop.CountName] = ScalarKind.Int32;
                        CollectVariables(loop.Condition);
                        CollectVariables(loop.Body);
                        break;
                }
            }
        }

        private static List<string> DefinedAt(EquatableArray<Stmt> statements, int count)
        {
            var names = new List<string>();
            for (int i = 0; i < count; i++)
            {
                switch (statements[i])
                {
                    case LetStmt let:
                        names.Add(let.Name);
                        break;
                    case IfStmt ifStmt:
                        names.AddRange(ifStmt.Merges.Select(m => m.Name));
                        break;
                    case LoopStmt loop:
                        names.AddRange(loop.Carried.Select(c => c.Name));
                        break;
                }
            }

            return names;
        }

        /// <summary>The names <paramref name="nodes"/> read, and with <paramref name="includeTargets"/> also those they assign.</summary>
        private static void CollectReferences(List<Node> nodes, HashSet<string> names, bool includeTargets = true)
        {
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case AccumulateNode a:
                        CollectReferences(a.Value, names);
                        break;
                    case AssignNode a:
                        if (includeTargets || a.Index is not null) names.Add(a.Name);
                        CollectReferences(a.Value, names);
                        if (a.Index is not null) CollectReferences(a.Index, names);
                        break;
                    case DeclareNode { Value: { } value }:
                        CollectReferences(value, names);
                        break;
                    case IfNode i:
                        CollectReferences(i.Condition, names);
                        break;
                    case ReverseLoopNode r:
                        names.Add(r.Count);
                        if (!includeTargets)
                        {
                            // Reads of what the loop restores itself are not reads of the values before it.
                            var inner = new HashSet<string>(StringComparer.Ordinal);
                            CollectReferences(r.Body, inner, includeTargets: false);
                            inner.ExceptWith(r.Restores);
                            names.UnionWith(inner);
                            continue;
                        }

                        break;
                    case ExpressionNode e:
                        CollectReferences(e.Value, names);
                        break;
                }

                foreach (var list in node.Lists) CollectReferences(list, names, includeTargets);
            }
        }

        private static void CollectReferences(Expr expr, HashSet<string> names) => names.UnionWith(IrRenamer.Variables(expr));

        /// <summary>Names declared anywhere in <paramref name="nodes"/> that are in <paramref name="wanted"/>, in order.</summary>
        private static void CollectDeclared(List<Node> nodes, HashSet<string> wanted, List<string> found)
        {
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case DeclareNode d when wanted.Contains(d.Name):
                        found.Add(d.Name);
                        break;
                    case IfNode i:
                        CollectDeclared(i.Then, wanted, found);
                        CollectDeclared(i.Else, wanted, found);
                        break;
                }
            }
        }

        private static void DeclarationsToAssignments(List<Node> nodes, HashSet<string> names)
        {
            for (int i = 0; i < nodes.Count; i++)
            {
                switch (nodes[i])
                {
                    case DeclareNode d when names.Contains(d.Name):
                        if (d.Value is null)
                        {
                            nodes.RemoveAt(i);
                            i--;
                        }
                        else
                        {
                            nodes[i] = new AssignNode(d.Name, d.Value, AssignKind.Assign, d.Comment, d.Source);
                        }

                        break;
                    case IfNode n:
                        DeclarationsToAssignments(n.Then, names);
                        DeclarationsToAssignments(n.Else, names);
                        break;
                }
            }
        }

        private static Expr Zero(ScalarKind type) => type switch
        {
            ScalarKind.Boolean => new LitExpr("false", type),
            ScalarKind.Int32 => new LitExpr("0", type),
            ScalarKind.Int64 => new LitExpr("0L", type),
            _ => ScalarTypes.Literal(0, type),
        };

        /// <summary>Puts a <c>// line N: source</c> comment before each run of statements from one source statement.</summary>
        private static void AddSourceComments(List<Node> nodes, SourceInfo? inherited = null)
        {
            SourceInfo? last = inherited;
            for (int i = 0; i < nodes.Count; i++)
            {
                var node = nodes[i];
                if (node.Source is { Line: > 0 } source && !Equals(source, last))
                {
                    nodes.Insert(i, new CommentNode("line " + source.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + source.Text, null));
                    i++;
                }

                if (node.Source is not null) last = node.Source;
                if (node is CommentNode { Source: null }) last = null;
                foreach (var list in node.Lists) AddSourceComments(list, last);
            }
        }

        private static EquatableArray<BackwardParameter> Parameters(MethodModel method)
        {
            var list = new List<BackwardParameter>();
            foreach (var p in method.Parameters)
            {
                list.Add(new BackwardParameter(p.Name, p.Type, false, null, "The value of <c>" + p.Name + "</c> passed to the forward computation.", p.Shape));
            }

            foreach (var p in method.Parameters)
            {
                if (p.GradientName is null) continue;
                list.Add(p.Shape == ArrayShape.None
                    ? new BackwardParameter(
                        p.GradientName,
                        p.Type,
                        true,
                        null,
                        "Receives the gradient of <c>" + method.Name + "</c> with respect to <c>" + p.Name + "</c>, times <paramref name=\"" + method.SeedName + "\"/>.")
                    : new BackwardParameter(
                        p.GradientName,
                        p.Type,
                        false,
                        null,
                        "The gradient of <c>" + method.Name + "</c> with respect to each element of <c>" + p.Name + "</c>, times <paramref name=\"" + method.SeedName
                        + "\"/>, is <em>added</em> to this buffer (the caller zeroes it, or sums several calls into it). Its length must be that of <c>" + p.Name + "</c>.",
                        ArrayShape.Span));
            }

            list.Add(new BackwardParameter(
                method.SeedName,
                method.ReturnType,
                false,
                ScalarTypes.Literal(1, method.ReturnType).Text,
                "The gradient flowing into the result from further on (1 for the gradient of <c>" + method.Name + "</c> itself); every gradient is multiplied by it."));
            return list.ToEquatableArray();
        }

        private static EquatableArray<CodeStmt> Freeze(List<Node> nodes) => nodes.Select(Freeze).ToEquatableArray();

        private static CodeStmt Freeze(Node node) => node switch
        {
            DeclareNode d => new DeclareCode(d.Name, d.Type, d.Value, d.Comment),
            AssignNode a => new AssignCode(a.Name, a.Value, a.Kind, a.Comment, a.Index),
            IfNode i => new IfCode(i.Condition, Freeze(i.Then), Freeze(i.Else)),
            WhileTrueNode w => new LoopCode(Freeze(w.Body)),
            BreakNode => new BreakCode(),
            ReverseLoopNode r => new ReverseLoopCode(r.Count, Freeze(r.Body)),
            ExpressionNode e => new ExpressionCode(e.Value),
            CheckLengthNode c => new CheckLengthCode(c.Gradient, c.Input),
            TapeNode t => new TapeCode(t.Name, t.Type),
            ArrayNode a => new ArrayCode(a.Name, a.Adjoint, a.Element, a.Length, a.OnStack, a.Rented),
            ReturnNode r => new ReturnCode(r.Value),
            CommentNode c => new CommentCode(c.Text),
            AccumulateNode a => throw new InvalidOperationException("An adjoint contribution to '" + a.Variable + "' was never declared."),
            _ => throw new InvalidOperationException("Unknown node " + node.GetType().Name),
        };

        // Mutable working nodes, frozen into CodeStmt records at the end.
        private abstract class Node
        {
            protected Node(SourceInfo? source) => Source = source;

            public SourceInfo? Source { get; }

            /// <summary>The statement lists nested in this one.</summary>
            public virtual IEnumerable<List<Node>> Lists => Enumerable.Empty<List<Node>>();
        }

        private sealed class WhileTrueNode : Node
        {
            public WhileTrueNode(List<Node> body, SourceInfo? source)
                : base(source) => Body = body;

            public List<Node> Body { get; }

            public override IEnumerable<List<Node>> Lists => new[] { Body };
        }

        private sealed class BreakNode : Node
        {
            public BreakNode(SourceInfo? source)
                : base(source)
            {
            }
        }

        private sealed class ReverseLoopNode : Node
        {
            public ReverseLoopNode(string count, List<Node> body, HashSet<string> restores, SourceInfo? source)
                : base(source) => (Count, Body, Restores) = (count, body, restores);

            public string Count { get; }

            /// <summary>The loop's carried variables: each reverse iteration sets them before it reads them.</summary>
            public HashSet<string> Restores { get; }

            public List<Node> Body { get; }

            public override IEnumerable<List<Node>> Lists => new[] { Body };
        }

        private sealed class ExpressionNode : Node
        {
            public ExpressionNode(Expr value)
                : base(null) => Value = value;

            public Expr Value { get; }
        }

        private sealed class CheckLengthNode : Node
        {
            public CheckLengthNode(string gradient, string input)
                : base(null) => (Gradient, Input) = (gradient, input);

            public string Gradient { get; }

            public string Input { get; }
        }

        private sealed class ArrayNode : Node
        {
            public ArrayNode(string name, string adjoint, ScalarKind element, Expr length, bool onStack, string? rented, SourceInfo? source)
                : base(source) => (Name, Adjoint, Element, Length, OnStack, Rented) = (name, adjoint, element, length, onStack, rented);

            /// <summary>For a heap array, the pooled array its adjoint lives in.</summary>
            public string? Rented { get; }

            public string Name { get; }

            public string Adjoint { get; }

            public ScalarKind Element { get; }

            public Expr Length { get; }

            public bool OnStack { get; }
        }

        private sealed class TapeNode : Node
        {
            public TapeNode(string name, ScalarKind type)
                : base(null) => (Name, Type) = (name, type);

            public string Name { get; }

            public ScalarKind Type { get; }
        }

        private sealed class DeclareNode : Node
        {
            public DeclareNode(string name, ScalarKind type, Expr? value, string? comment, SourceInfo? source)
                : base(source) => (Name, Type, Value, Comment) = (name, type, value, comment);

            public string Name { get; }

            public ScalarKind Type { get; }

            public Expr? Value { get; }

            public string? Comment { get; }
        }

        private sealed class AssignNode : Node
        {
            public AssignNode(string name, Expr value, AssignKind kind, string? comment, SourceInfo? source, Expr? index = null)
                : base(source) => (Name, Value, Kind, Comment, Index) = (name, value, kind, comment, index);

            /// <summary>Set for an element of an array or span: <c>name[index]</c>.</summary>
            public Expr? Index { get; }

            public string Name { get; }

            public Expr Value { get; }

            public AssignKind Kind { get; }

            public string? Comment { get; }
        }

        /// <summary>A contribution to a variable's adjoint, before it is known whether it declares the adjoint.</summary>
        private sealed class AccumulateNode : Node
        {
            public AccumulateNode(string variable, Expr value, string? comment, SourceInfo? source)
                : base(source) => (Variable, Value, Comment) = (variable, value, comment);

            public string Variable { get; }

            public Expr Value { get; }

            public string? Comment { get; set; }
        }

        private sealed class IfNode : Node
        {
            public IfNode(Expr condition, List<Node> then, List<Node> @else, SourceInfo? source)
                : base(source) => (Condition, Then, Else) = (condition, then, @else);

            public Expr Condition { get; }

            public List<Node> Then { get; }

            public List<Node> Else { get; }

            public override IEnumerable<List<Node>> Lists => new[] { Then, Else };
        }

        private sealed class ReturnNode : Node
        {
            public ReturnNode(Expr value)
                : base(null) => Value = value;

            public Expr Value { get; }
        }

        private sealed class CommentNode : Node
        {
            public CommentNode(string text, SourceInfo? source)
                : base(source) => Text = text;

            public string Text { get; }
        }
    }
}
