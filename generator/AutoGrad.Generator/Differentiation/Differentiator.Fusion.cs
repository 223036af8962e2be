using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>
    /// Fused loops: a loop at the top of the method that sums terms (<c>s += f(x[i])</c>), whose sums reach the
    /// result through additions and multiplications by values known before the loop, gets each sum's gradient
    /// before it runs. Each iteration then runs its reverse right after its forward, as a hand-written gradient
    /// does: nothing of the iteration is kept, and there is no reverse loop.
    /// </summary>
    internal sealed partial class Differentiator
    {
        /// <summary>The carried sums of fused loops: their gradients are declared before the loop, not by the reverse pass.</summary>
        private readonly HashSet<string> _fusedSums = new(StringComparer.Ordinal);

        /// <summary>
        /// For a loop of the method's top-level block, each active carried variable and its gradient as an
        /// expression over the seed and values defined before the loop; null when the loop cannot be fused.
        /// </summary>
        /// <remarks>
        /// Fusing is right when the gradient flowing into the loop from after it does not depend on anything the
        /// loop or later statements compute, and when no gradient flows from one iteration back to an earlier
        /// one except along the sums. So: every active carried variable is a sum whose only use in the loop is
        /// its own update (its gradient is then the same in every iteration); the statements after the loop use
        /// the sums only in additions, subtractions, and products or quotients with values known before the loop;
        /// and no local array carries values between iterations or out of the loop (the loop writes only arrays
        /// it allocates afresh in each iteration and nothing after it reads them, and the arrays it reads are not
        /// written after it, whose reverse would clear their gradients after the fused loop added to them).
        /// </remarks>
        private Fusion? FusionPlan(LoopStmt loop)
        {
            var top = _method.Body.Statements;
            int at = -1;
            for (int i = 0; i < top.Count; i++)
            {
                if (ReferenceEquals(top[i], loop)) at = i;
            }

            if (at < 0) return null;
            var sums = loop.Carried.Where(c => _active.Contains(c.Name)).ToList();
            if (sums.Count == 0 || sums.Any(s => s.Type != _method.ReturnType || !IsSum(loop, s))) return null;
            if (!ArraysStayInTheIteration(loop, top.Skip(at + 1))) return null;

            // What exists before the loop: the gradient's expression may read it.
            var before = new HashSet<string>(_method.Parameters.Select(p => p.Name), StringComparer.Ordinal);
            before.UnionWith(DefinedAt(top, at));

            var plan = new List<(Carried, Expr)>();
            var early = new List<LetStmt>();
            foreach (var sum in sums)
            {
                var gradient = GradientAfter(sum, top.Skip(at + 1).ToList(), before, early);
                if (gradient is null) return null;
                plan.Add((sum, gradient));
            }

            return new Fusion(plan, early);
        }

        /// <summary>
        /// A fused loop's plan: each sum's gradient, over values from before the loop and the seed, and the
        /// statements after the loop that those gradients read and that can be computed before it (a mean's
        /// <c>(double)x.Length</c>): the loop computes them first, under fresh names.
        /// </summary>
        private sealed record Fusion(List<(Carried Sum, Expr Gradient)> Sums, List<LetStmt> Early);

        /// <summary>
        /// Whether <paramref name="sum"/> is updated only by adding or subtracting terms that do not depend on it
        /// (<c>s = s + e</c>, <c>s = e + s</c>, <c>s = s - e</c>, in either branch of an <c>if</c> or not at all in
        /// one, and in loops nested in the iteration), and neither it nor its partial updates are used anywhere else
        /// in the loop: its gradient is then the same in every iteration.
        /// </summary>
        private static bool IsSum(LoopStmt loop, Carried sum)
        {
            // The values that are the sum plus terms: the sum itself, then each partial update.
            var chain = new HashSet<string>(StringComparer.Ordinal) { sum.Name };
            int structural = 0;
            bool IsChain(Expr e) => e is VarExpr v && chain.Contains(v.Name);
            bool Mentions(Expr e) => IrRenamer.Variables(e).Any(chain.Contains);

            void Walk(Block block)
            {
                foreach (var statement in block.Statements)
                {
                    switch (statement)
                    {
                        case LetStmt { Value: BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b } let
                            when b.Type == sum.Type
                                && ((IsChain(b.Left) && !Mentions(b.Right)) || (b.Op == BinaryOp.Add && IsChain(b.Right) && !Mentions(b.Left))):
                            chain.Add(let.Name);
                            structural++;
                            break;
                        case LetStmt { Value: VarExpr copy } let when chain.Contains(copy.Name):
                            // A copy of the sum so far (`t = s`, added to and copied back).
                            chain.Add(let.Name);
                            structural++;
                            break;
                        case IfStmt ifStmt:
                            Walk(ifStmt.Then);
                            Walk(ifStmt.Else);
                            foreach (var merge in ifStmt.Merges.Where(m => IsChain(m.WhenTrue) && IsChain(m.WhenFalse)))
                            {
                                chain.Add(merge.Name);
                                structural += 2;
                            }

                            break;
                        case LoopStmt inner:
                            // A sum carried through a nested loop enters it as the sum so far and leaves it as
                            // the sum plus the nested loop's terms, if the nested loop only adds to it.
                            var entering = inner.Carried.Where(c => IsChain(c.Init)).ToList();
                            foreach (var carried in entering)
                            {
                                chain.Add(carried.Name);
                                structural++;
                            }

                            Walk(inner.Body);
                            structural += entering.Count(c => IsChain(c.Next));
                            break;
                    }
                }
            }

            Walk(loop.Body);
            if (!IsChain(sum.Next) || ((VarExpr)sum.Next).Name == sum.Name) return false;

            // Every mention of the chain in the loop must be one of the updates above, or the sum's next value.
            int uses = 0;
            void Count(Expr expr) => uses += IrRenamer.Variables(expr).Count(chain.Contains);
            foreach (var carried in loop.Carried)
            {
                Count(carried.Init);
                Count(carried.Next);
            }

            Count(loop.Test);
            ForEachExpr(loop.Condition, Count);
            ForEachExpr(loop.Body, Count);
            return uses == structural + 1;
        }

        /// <summary>
        /// Whether no gradient crosses from one iteration of <paramref name="loop"/> to another, or out of it, through
        /// a local array: see <see cref="FusionPlan"/>.
        /// </summary>
        private bool ArraysStayInTheIteration(LoopStmt loop, IEnumerable<Stmt> after)
        {
            var fresh = new HashSet<string>(StringComparer.Ordinal);
            var used = new HashSet<string>(StringComparer.Ordinal);
            var written = new HashSet<string>(StringComparer.Ordinal);
            bool ok = true;
            WalkLoop(
                loop,
                expr => used.UnionWith(IrRenamer.Variables(expr, lengths: false).Where(_localArrays.ContainsKey)),
                (statement, depth, conditional) =>
                {
                    switch (statement)
                    {
                        case ClearStmt clear:
                            if (depth == 0 && !conditional && !used.Contains(clear.Array) && !written.Contains(clear.Array)) fresh.Add(clear.Array);
                            written.Add(clear.Array);
                            break;
                        case StoreStmt store:
                            written.Add(store.Array);
                            break;
                        case LocalArrayStmt or ReturnStmt:
                            ok = false; // an allocation or a return inside the loop
                            break;
                        case EffectStmt:
                            ok = false; // a guard: a fused loop adds to the gradient buffers before a later iteration's guard could throw
                            break;
                    }
                });

            if (!ok || written.Any(a => !fresh.Contains(a))) return false;

            // After the loop (at the top level: what follows it runs once, after it).
            var referencedAfter = new HashSet<string>(StringComparer.Ordinal);
            var writtenAfter = new HashSet<string>(StringComparer.Ordinal);
            WalkStatements(new Block(after.ToEquatableArray()), 0, false, e => referencedAfter.UnionWith(IrRenamer.Variables(e)), (statement, _, _) =>
            {
                switch (statement)
                {
                    case StoreStmt store:
                        writtenAfter.Add(store.Array);
                        break;
                    case ClearStmt clear:
                        writtenAfter.Add(clear.Array);
                        break;
                }
            });

            referencedAfter.UnionWith(writtenAfter);
            return !written.Any(referencedAfter.Contains) && !used.Any(writtenAfter.Contains);
        }

        /// <summary>
        /// The gradient of the result with respect to <paramref name="sum"/>'s final value, from the top-level
        /// statements after its loop, as an expression over the seed and <paramref name="before"/>; null when the
        /// result depends on the sum in any other way than through additions, subtractions, negations, and
        /// products and quotients with such values.
        /// </summary>
        private Expr? GradientAfter(Carried sum, List<Stmt> after, HashSet<string> before, List<LetStmt> early)
        {
            var type = sum.Type;
            var gradients = new Dictionary<string, Expr>(StringComparer.Ordinal) { [sum.Name] = ScalarTypes.Literal(1, type) };
            bool Depends(Expr expr) => IrRenamer.Variables(expr).Any(gradients.ContainsKey);
            bool Known(Expr expr) => IsPure(expr) && IrRenamer.Variables(expr).All(before.Contains);

            // The derivative of `expr` with respect to the sum: null when it does not depend on it; throws Unfusable.
            Expr? Derivative(Expr expr)
            {
                if (!Depends(expr)) return null;
                switch (expr)
                {
                    case VarExpr v:
                        return gradients[v.Name];
                    case UnaryExpr { Op: UnaryOp.Negate } u when u.Type == type:
                        return Negate(Derivative(u.Operand)!);
                    case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b when b.Type == type:
                        var left = Derivative(b.Left);
                        var right = Derivative(b.Right);
                        if (right is null) return left;
                        if (b.Op == BinaryOp.Subtract) right = Negate(right);
                        return left is null ? right : new BinaryExpr(BinaryOp.Add, left, right, type);
                    case BinaryExpr { Op: BinaryOp.Multiply } b when b.Type == type && !Depends(b.Right) && Known(b.Right):
                        return Times(Derivative(b.Left)!, b.Right);
                    case BinaryExpr { Op: BinaryOp.Multiply } b when b.Type == type && !Depends(b.Left) && Known(b.Left):
                        return Times(b.Left, Derivative(b.Right)!);
                    case BinaryExpr { Op: BinaryOp.Divide } b when b.Type == type && !Depends(b.Right) && Known(b.Right):
                        return new BinaryExpr(BinaryOp.Divide, Derivative(b.Left)!, b.Right, type);
                    default:
                        throw new Unfusable();
                }
            }

            try
            {
                foreach (var statement in after)
                {
                    switch (statement)
                    {
                        case LetStmt let:
                            if (Derivative(let.Value) is { } d)
                            {
                                gradients[let.Name] = d;
                            }
                            else if (!before.Contains(let.Name) && Known(let.Value))
                            {
                                // Computable before the loop: the gradient may read it.
                                before.Add(let.Name);
                                early.Add(let);
                            }

                            break;
                        case ReturnStmt ret:
                            return Derivative(ret.Value) is { } result ? Times(result, _seed) : null;
                        default:
                            bool depends = false;
                            ForEachExpr(new Block(EquatableArray.Create(statement)), e => depends |= Depends(e));
                            if (depends) return null;
                            break;
                    }
                }
            }
            catch (Unfusable)
            {
            }

            return null;
        }

        private sealed class Unfusable : Exception
        {
        }

        private static Expr Negate(Expr e) => e is UnaryExpr { Op: UnaryOp.Negate } n ? n.Operand : new UnaryExpr(UnaryOp.Negate, e, e.Type);

        private static Expr Times(Expr a, Expr b) =>
            IsOne(a) ? b : IsOne(b) ? a : new BinaryExpr(BinaryOp.Multiply, a, b, a.Type);

        private static bool IsOne(Expr e) => e is LitExpr l && ScalarTypes.TryGetNumber(l, out var value) && value == 1;

        /// <summary>Calls <paramref name="visit"/> on every expression of <paramref name="block"/>, nested blocks included.</summary>
        private static void ForEachExpr(Block block, Action<Expr> visit) => WalkStatements(block, 0, false, visit, (_, _, _) => { });

        /// <summary>
        /// Walks a loop in order: <paramref name="read"/> gets every expression (carried values, conditions, tests,
        /// merges, statement values); <paramref name="statement"/> gets every statement that is not an if or a
        /// loop, after its expressions, with how many loops inside <paramref name="loop"/> it sits and whether it
        /// runs only on some paths of an iteration (in an if, or in the loop's condition).
        /// </summary>
        private static void WalkLoop(LoopStmt loop, Action<Expr> read, Action<Stmt, int, bool> statement)
        {
            foreach (var carried in loop.Carried)
            {
                read(carried.Init);
                read(carried.Next);
            }

            WalkStatements(loop.Condition, 0, true, read, statement);
            read(loop.Test);
            WalkStatements(loop.Body, 0, false, read, statement);
        }

        private static void WalkStatements(Block block, int depth, bool conditional, Action<Expr> read, Action<Stmt, int, bool> statement)
        {
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case LetStmt let:
                        read(let.Value);
                        break;
                    case StoreStmt store:
                        read(store.Index);
                        read(store.Value);
                        break;
                    case ReturnStmt ret:
                        read(ret.Value);
                        break;
                    case LocalArrayStmt array:
                        read(array.Length);
                        break;
                    case EffectStmt effect:
                        foreach (var value in effect.Values) read(value);
                        break;
                    case IfStmt ifStmt:
                        read(ifStmt.Condition);
                        WalkStatements(ifStmt.Then, depth, true, read, statement);
                        WalkStatements(ifStmt.Else, depth, true, read, statement);
                        foreach (var merge in ifStmt.Merges)
                        {
                            read(merge.WhenTrue);
                            read(merge.WhenFalse);
                        }

                        continue;
                    case LoopStmt inner:
                        foreach (var carried in inner.Carried)
                        {
                            read(carried.Init);
                            read(carried.Next);
                        }

                        WalkStatements(inner.Condition, depth + 1, true, read, statement);
                        read(inner.Test);
                        WalkStatements(inner.Body, depth + 1, conditional, read, statement);
                        continue;
                }

                statement(s, depth, conditional);
            }
        }

        /// <summary>The variables <paramref name="nodes"/> assign (not array elements), nested lists included.</summary>
        private static void CollectAssigned(List<Node> nodes, HashSet<string> names)
        {
            foreach (var node in nodes)
            {
                if (node is AssignNode { Index: null } a) names.Add(a.Name);
                foreach (var list in node.Lists) CollectAssigned(list, names);
            }
        }

        /// <summary>Removes the contributions to the fused sums' gradients from <paramref name="code"/>: their value was computed before the loop.</summary>
        private void RemoveFusedContributions(List<Node> code)
        {
            code.RemoveAll(n => n is AccumulateNode a && _fusedSums.Contains(a.Variable));
            foreach (var node in code)
            {
                foreach (var list in node.Lists) RemoveFusedContributions(list);
            }
        }
    }
}
