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
    internal sealed partial class Differentiator
    {
        private readonly MethodModel _method;
        private readonly NameGenerator _names;
        private readonly Dictionary<string, ScalarKind> _types = new(StringComparer.Ordinal);
        private readonly ActivityAnalysis _activity;

        /// <summary>Lets that read a local array's element after its last write (<see cref="ReadPlan"/>).</summary>
        private readonly HashSet<string> _finalReads;

        /// <summary>Lets that read a local array's element that a loop restores for each reverse iteration: the loop's count name.</summary>
        private readonly Dictionary<string, string> _iterationReads;

        /// <summary>For a loop (by count name), the local arrays it saves and restores whole, in the order nested reads asked.</summary>
        private readonly Dictionary<string, List<string>> _restoredArrays = new(StringComparer.Ordinal);

        /// <summary>The values that get an adjoint: active parameters, and the values the activity analysis finds active.</summary>
        private readonly HashSet<string> _active = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _adjoints = new(StringComparer.Ordinal);
        private readonly HashSet<string> _contributed = new(StringComparer.Ordinal);
        private readonly CancellationToken _cancellationToken;
        private readonly VarExpr _seed;
        private string? _resultName;
        private readonly List<string> _conditions = new();
        private readonly Dictionary<string, string> _arrayGradients = new(StringComparer.Ordinal);

        /// <summary>The method's local arrays by name, and in the order they are declared.</summary>
        private readonly Dictionary<string, LocalArrayStmt> _localArrays = new(StringComparer.Ordinal);
        private readonly List<LocalArrayStmt> _localArrayOrder = new();
        private readonly SortedDictionary<ScalarKind, string> _tapes = new();
        private readonly Dictionary<ScalarKind, string> _tapeBuffers = new();
        private int _conditionCounter;

        private Differentiator(MethodModel method, CancellationToken cancellationToken)
        {
            _method = method;
            _cancellationToken = cancellationToken;
            _names = new NameGenerator(method.ReservedNames);
            _activity = ActivityAnalysis.Analyze(method);
            (_finalReads, _iterationReads) = ReadPlan(method.Body);
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

            // Gradient names of local arrays only once every name the body defines is reserved (an inlined
            // callee may define `dBuf` after `buf` is declared).
            // A local array the result does not depend on has no gradient.
            foreach (var array in _localArrayOrder)
            {
                if (_activity.IsUseful(array.Name)) _arrayGradients[array.Name] = _names.Fresh(NameGenerator.GradientName(array.Name));
            }

            _seed = new VarExpr(method.SeedName, method.ReturnType);
        }

        public static BackwardModel Differentiate(MethodModel method, CancellationToken cancellationToken)
        {
            string? error = null;
            var body = Block.Empty;

            // A rejected method gets a stub whose body (the emitter's) throws: nothing to differentiate.
            if (method.Rejection is null)
            {
                try
                {
                    var expanded = StructParameters.Expand(method);
                    var differentiator = new Differentiator(expanded with { Parameters = MatrixViews.Flatten(expanded.Parameters) }, cancellationToken);
                    body = StructParameters.Wrap(method, Freeze(differentiator.Run()));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    error = e.GetType().Name + ": " + e.Message;
                }
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
                error,
                method.IsExtension,
                method.ShortForms,
                method.Rejection,
                method.WrittenInputs)
            {
                Generic = method.Generic,
            };
        }

        private List<Node> Run()
        {
            var nodes = Contiguous(_method.Body, isTop: true);
            CoalesceElementAdditions(nodes);
            NumberConditions(nodes);
            AddSourceComments(nodes);

            var prefix = new List<Node>();
            foreach (var parameter in _method.Parameters)
            {
                if (parameter.Shape != ArrayShape.None && parameter.GradientName is { } gradient)
                {
                    prefix.Add(parameter.Matrix is { } matrix ? GradientView(parameter, matrix) : new CheckLengthNode(gradient, parameter.Name));
                }
            }

            foreach (var tape in _tapes)
            {
                prefix.Add(new TapeNode(tape.Value, _tapeBuffers[tape.Key], tape.Key));
                nodes.Insert(nodes.Count - 1, new ExpressionNode(new TapeExpr(tape.Value, TapeOp.Dispose, null, tape.Key)));
            }

            // The method's own leading guards first, so that bad input (a null array) fails as it does in the method.
            int start = 0;
            while (start < nodes.Count && IsGuard(nodes[start])) start++;
            while (start > 0 && nodes[start - 1] is CommentNode) start--;
            nodes.InsertRange(start, prefix);
            AddMatrixViews(nodes);
            return nodes;
        }

        /// <summary>A guard of the forward pass, or an if that only guards (<c>if (…) throw …;</c>), or a comment.</summary>
        private static bool IsGuard(Node node) => node switch
        {
            EffectNode or CommentNode => true,
            IfNode i => i.Then.Concat(i.Else).All(IsGuard),
            _ => false,
        };

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
            var result = new List<Node>();
            List<Node> declarations;
            if (isTop && _fusedSums.Count > 0)
            {
                // Fused loops add to gradients during the forward pass: those are declared before it.
                RemoveFusedContributions(code);
                defined.RemoveAll(_fusedSums.Contains);
                var combined = new List<Node>(forward);
                combined.AddRange(code);
                result.AddRange(DeclareAdjoints(defined, combined, isTop));
                forward = combined.GetRange(0, forward.Count);
                code = combined.GetRange(forward.Count, code.Count);
                declarations = new List<Node>();
            }
            else
            {
                declarations = DeclareAdjoints(defined, code, isTop);
            }

            result.AddRange(forward);
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
                        var piece = new List<Node> { new DeclareNode(let.Name, let.Value.Type, let.Value, null, let.Source) };
                        forwardPieces.Add(piece);
                        if (_active.Contains(let.Name) && _contributed.Contains(let.Name))
                        {
                            reverse.AddRange(Adjoint(let));
                            if (let.Value is PullbackCallExpr call)
                            {
                                // The pullback reads the local arrays as they were at the call: save them now.
                                foreach (var array in LocalArrays(call))
                                {
                                    piece.Add(SaveWhole(array));
                                }
                            }
                        }

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
                        _arrayGradients.TryGetValue(array.Name, out var arrayGradient);
                        string? rented = array.OnStack || arrayGradient is null ? null : _names.Fresh(arrayGradient + "_rented");
                        forwardPieces.Add(new List<Node> { new ArrayNode(array.Name, arrayGradient, array.Element, array.Length, array.OnStack, rented, array.Source) });
                        break;

                    case StoreStmt store:
                        forwardPieces.Add(new List<Node> { new AssignNode(store.Array, store.Value, AssignKind.Assign, null, store.Source, store.Index) });
                        reverse.AddRange(Store(store));
                        break;

                    case ClearStmt clear:
                        // A fresh array each time: zero the values; in reverse, what reached them goes nowhere.
                        forwardPieces.Add(new List<Node> { new ExpressionNode(ClearArray(clear.Array, !_localArrays[clear.Array].OnStack)) });
                        if (_arrayGradients.TryGetValue(clear.Array, out var clearedGradient)) reverse.Add(new ExpressionNode(ClearArray(clearedGradient, onHeap: false)));
                        break;

                    case EffectStmt effect:
                        // A guard: runs in the forward sweep, before any gradient is written; no derivative.
                        forwardPieces.Add(new List<Node> { new EffectNode(effect) });
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
                if (!_active.Contains(merge.Name) || !_contributed.Contains(merge.Name)) continue;
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
                    ? new List<Node> { new AssignNode(buffer, g, AssignKind.Add, "element read: the gradient goes to " + buffer + "[" + Emit.Emitter.Format(element.Index) + "]", let.Source, element.Index) }
                    : new List<Node>();
            }

            if (let.Value is PullbackCallExpr call) return Pullback(call, g, let.Source);

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

        /// <summary>
        /// The reverse of <c>y = F(args)</c> differentiated through a pullback: one call of the Backward-shaped
        /// method with y's gradient as the seed, whose <c>out</c> gradients are added to the arguments'
        /// adjoints and whose buffers are the caller's own gradient buffers (added into, as the contract says).
        /// </summary>
        private List<Node> Pullback(PullbackCallExpr call, VarExpr g, SourceInfo source)
        {
            var args = call.Arguments.Select(a => a.Value).ToList();
            var contributions = new List<Node>();
            foreach (var argument in call.Arguments)
            {
                if (!argument.HasGradient) continue;
                switch (argument.Value)
                {
                    case ArrayRefExpr array:
                        args.Add(_arrayGradients.TryGetValue(array.Array, out var buffer)
                            ? new ArrayRefExpr(buffer, argument.ParameterType)
                            : new LitExpr("new " + argument.ParameterType.Keyword() + "[" + Emit.Emitter.Format(new LengthExpr(array.Array)) + "]", argument.ParameterType));
                        break;
                    case VarExpr v when _active.Contains(v.Name):
                        string name = _names.Fresh(NameGenerator.GradientName(v.Name) + "_call");
                        args.Add(new OutArgExpr(name, argument.ParameterType));
                        // The argument was converted to the parameter's type when lowered: the types agree.
                        contributions.Add(Accumulate(v.Name, new VarExpr(name, argument.ParameterType), null, source));
                        break;
                    default:
                        args.Add(new OutArgExpr(null, argument.ParameterType));
                        break;
                }
            }

            args.Add(g);
            var nodes = new List<Node>
            {
                new CommentNode("call: " + call.Pullback.Replace("global::", string.Empty) + " gives the arguments' gradients", source),
            };

            // Local arrays as the call saw them (saved in the forward pass), last saved first.
            foreach (var array in LocalArrays(call).Reverse())
            {
                nodes.Add(RestoreWhole(array));
            }

            nodes.Add(new ExpressionNode(new CallExpr(call.Pullback, args.ToEquatableArray(), call.Type)));
            nodes.AddRange(contributions);
            return nodes;
        }

        /// <summary><c>a.Clear()</c> for a span, <c>Array.Clear(a, 0, a.Length)</c> for an array.</summary>
        private Expr ClearArray(string array, bool onHeap) => onHeap
            ? new CallExpr("global::System.Array.Clear", EquatableArray.Create<Expr>(new ArrayRefExpr(array, _localArrays[array].Element), new LitExpr("0", ScalarKind.Int32), new LengthExpr(array)), ScalarKind.Int32)
            : new CallExpr(Identifiers.Escape(array) + ".Clear", EquatableArray<Expr>.Empty, ScalarKind.Int32);

        /// <summary>The local arrays (not parameters, not static tables) a pullback call reads, in argument order.</summary>
        private IEnumerable<ArrayRefExpr> LocalArrays(PullbackCallExpr call) =>
            call.Arguments.Select(a => a.Value).OfType<ArrayRefExpr>()
                .Where(a => _localArrays.ContainsKey(a.Array))
                .GroupBy(a => a.Array, StringComparer.Ordinal).Select(g => g.First());

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
                            ? new AssignNode(adjoint, negated.Operand, AssignKind.Subtract, a.Comment, a.Source)
                            : new AssignNode(adjoint, a.Value, AssignKind.Add, a.Comment, a.Source);
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
            var declared = AllDeclared(nodes).Where(wanted.Remove).ToList();
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
                    case EffectNode effect:
                        nodes[i] = new EffectNode(effect.Effect with { Values = effect.Effect.Values.Select(v => IrRenamer.Rename(v, renames)).ToEquatableArray() });
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
                        if (_activity.IsActive(let.Name)) _active.Add(let.Name);
                        break;
                    case IfStmt ifStmt:
                        foreach (var merge in ifStmt.Merges)
                        {
                            _names.Reserve(merge.Name);
                            _types[merge.Name] = merge.Type;
                            if (_activity.IsActive(merge.Name)) _active.Add(merge.Name);
                        }

                        CollectVariables(ifStmt.Then);
                        CollectVariables(ifStmt.Else);
                        break;
                    case LocalArrayStmt array:
                        _names.Reserve(array.Name);
                        _localArrays[array.Name] = array;
                        _localArrayOrder.Add(array);
                        break;
                    case LoopStmt loop:
                        foreach (var carried in loop.Carried)
                        {
                            _names.Reserve(carried.Name);
                            _types[carried.Name] = carried.Type;
                            if (_activity.IsActive(carried.Name)) _active.Add(carried.Name);
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
                    case EffectNode effect:
                        foreach (var value in effect.Effect.Values) CollectReferences(value, names);
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

        /// <summary>The generated method's parameters: the contract's slots, each with its documentation.</summary>
        private static EquatableArray<BackwardParameter> Parameters(MethodModel method)
        {
            var list = new List<BackwardParameter>();
            foreach (var slot in BackwardContract.Slots(method.Parameters, method.ReturnType))
            {
                string of = slot.Of >= 0 ? method.Parameters[slot.Of].Name : string.Empty;
                list.Add((slot.Kind switch
                {
                    SlotKind.Input => new BackwardParameter(slot.Name, slot.Type, false, null, "The value of <c>" + of + "</c> passed to the forward computation.", slot.Shape),
                    SlotKind.OutGradient => new BackwardParameter(
                        slot.Name,
                        slot.Type,
                        true,
                        null,
                        "Receives the gradient of <c>" + method.Name + "</c> with respect to <c>" + of + "</c>, times <paramref name=\"" + method.SeedName + "\"/>."),
                    SlotKind.GradientBuffer => new BackwardParameter(
                        slot.Name,
                        slot.Type,
                        false,
                        null,
                        "The gradient of <c>" + method.Name + "</c> with respect to each element of <c>" + of + "</c>, times <paramref name=\"" + method.SeedName
                        + "\"/>, is <em>added</em> to this buffer (the caller zeroes it, or sums several calls into it). Its "
                        + (slot.Shape is ArrayShape.Matrix or ArrayShape.Jagged ? "shape" : "length") + " must be that of <c>" + of + "</c>.",
                        slot.Shape),
                    _ => new BackwardParameter(
                        method.SeedName,
                        method.ReturnType,
                        false,
                        BackwardContract.SeedDefault(method.ReturnType),
                        "The gradient flowing into the result from further on (1 for the gradient of <c>" + method.Name + "</c> itself); every gradient is multiplied by it."),
                }) with { TypeName = slot.TypeName });
            }

            return list.ToEquatableArray();
        }

        private static Block Freeze(List<Node> nodes) => new(nodes.SelectMany(Freeze).ToEquatableArray());

        private static IEnumerable<Stmt> Freeze(Node node)
        {
            var source = node.Source ?? SourceInfo.None;
            switch (node)
            {
                case DeclareNode d:
                    yield return new DeclareStmt(d.Name, d.Type, d.Value, d.Comment, source);
                    break;
                case AssignNode a:
                    yield return new AssignStmt(a.Name, a.Index, a.Kind, a.Value, a.Comment, source);
                    break;
                case IfNode i:
                    yield return new IfStmt(i.Condition, Freeze(i.Then), Freeze(i.Else), EquatableArray<Merge>.Empty, source);
                    break;
                case WhileTrueNode w:
                    yield return new RepeatStmt(Freeze(w.Body), source);
                    break;
                case BreakNode:
                    yield return new BreakStmt(source);
                    break;
                case ReverseLoopNode r:
                    yield return new ReverseLoopStmt(r.Count, Freeze(r.Body), source);
                    break;
                case ExpressionNode e:
                    yield return new ExprStmt(e.Value, source);
                    break;
                case EffectNode e:
                    yield return e.Effect;
                    break;
                case CheckLengthNode c:
                    yield return new CheckLengthStmt(c.Gradient, c.Input, source);
                    break;
                case StatementNode s:
                    yield return s.Statement;
                    break;
                case TapeNode t:
                    yield return new TapeStmt(t.Name, t.Buffer, t.Type, source);
                    break;
                case ArrayNode a:
                    yield return new LocalArrayStmt(a.Name, a.Element, a.Length, a.OnStack, source);
                    if (a.Adjoint is not null) yield return new GradientArrayStmt(a.Adjoint, a.Element, a.Length, a.OnStack, a.Rented, source);
                    break;
                case ReturnNode r:
                    yield return new ReturnStmt(r.Value, source);
                    break;
                case CommentNode c:
                    yield return new CommentStmt(c.Text, source);
                    break;
                case AccumulateNode a:
                    throw new InvalidOperationException("An adjoint contribution to '" + a.Variable + "' was never declared.");
                default:
                    throw new InvalidOperationException("Unknown node " + node.GetType().Name);
            }
        }
    }
}
