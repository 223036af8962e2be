using System;
using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>
    /// Which values of a method need a gradient: the activity analysis, a pass over the IR of its own.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A value is <em>active</em> when it is both <em>varied</em> (it depends on a differentiable input) and
    /// <em>useful</em> (the result depends on it). Only active values get an adjoint, reverse code or a place
    /// on the tape: a value computed from the inputs that never reaches the result costs nothing in the
    /// reverse pass.
    /// </para>
    /// <para>
    /// Varied is a forward property. The parse stage decides an upper bound of it (the <c>IsActive</c> flag of
    /// lets, merges and carried variables), because it shapes the IR: only varied operations are split into
    /// one operation per statement. This pass narrows it to the values a gradient path from a differentiable
    /// parameter reaches. Useful is a backward property, computed here: from the values the method
    /// returns, back along every edge a gradient can flow (an operand of a floating-point operation, an
    /// element read from an array, a value stored into an array, a merge's branch values, a loop variable's
    /// initial and next values, an argument with a gradient of a pullback call). Conditions, indices, integer
    /// arithmetic and calls without a derivative carry no gradient. The analysis is flow-insensitive (one
    /// answer per SSA name or array for the whole method), which can only keep more than needed, never less.
    /// </para>
    /// <para>
    /// Forward mode needs only the varied half; reverse mode needs both. A transform that adds statements
    /// runs it again on its result.
    /// </para>
    /// </remarks>
    internal sealed class ActivityAnalysis
    {
        private readonly HashSet<string> _varied = new(StringComparer.Ordinal);
        private readonly HashSet<string> _useful = new(StringComparer.Ordinal);

        /// <summary>For each value or array, the values and arrays its gradient flows into.</summary>
        private readonly Dictionary<string, List<string>> _flowsTo = new(StringComparer.Ordinal);
        private readonly List<string> _results = new();
        private readonly List<string> _inputs = new();

        private ActivityAnalysis()
        {
        }

        /// <summary>Whether <paramref name="name"/> depends on a differentiable input.</summary>
        public bool IsVaried(string name) => _varied.Contains(name);

        /// <summary>Whether the method's result depends on <paramref name="name"/> (a value or an array).</summary>
        public bool IsUseful(string name) => _useful.Contains(name);

        /// <summary>Whether <paramref name="name"/> needs a gradient: varied and useful.</summary>
        public bool IsActive(string name) => _varied.Contains(name) && _useful.Contains(name);

        public static ActivityAnalysis Analyze(MethodModel method)
        {
            var analysis = new ActivityAnalysis();
            foreach (var parameter in method.Parameters)
            {
                if (parameter.GradientName is null) continue;
                analysis._varied.Add(parameter.Name);
                analysis._inputs.Add(parameter.Name);
            }

            analysis.Visit(method.Body);
            analysis.Propagate();
            return analysis;
        }

        private void Visit(Block block)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case LetStmt let:
                        if (let.IsActive) _varied.Add(let.Name);
                        Flow(let.Name, let.Value);
                        break;
                    case IfStmt ifStmt:
                        foreach (var merge in ifStmt.Merges)
                        {
                            if (merge.IsActive) _varied.Add(merge.Name);
                            Flow(merge.Name, merge.WhenTrue);
                            Flow(merge.Name, merge.WhenFalse);
                        }

                        Visit(ifStmt.Then);
                        Visit(ifStmt.Else);
                        break;
                    case LoopStmt loop:
                        foreach (var carried in loop.Carried)
                        {
                            if (carried.IsActive) _varied.Add(carried.Name);
                            Flow(carried.Name, carried.Init);
                            Flow(carried.Name, carried.Next);
                        }

                        Visit(loop.Condition);
                        Visit(loop.Body);
                        break;
                    case StoreStmt store:
                        Flow(store.Array, store.Value);
                        break;
                    case ReturnStmt ret:
                        var operands = new List<string>();
                        GradientOperands(ret.Value, operands);
                        _results.AddRange(operands);
                        break;
                }
            }
        }

        private void Flow(string target, Expr value)
        {
            if (!_flowsTo.TryGetValue(target, out var list))
            {
                list = new List<string>();
                _flowsTo[target] = list;
            }

            GradientOperands(value, list);
        }

        /// <summary>The values and arrays a gradient arriving at <paramref name="expr"/> flows into.</summary>
        private static void GradientOperands(Expr expr, List<string> operands)
        {
            if (!expr.Type.IsFloating()) return;
            switch (expr)
            {
                case VarExpr v:
                    operands.Add(v.Name);
                    break;
                case ElementExpr e:
                    operands.Add(e.Array);
                    break;
                case ArrayRefExpr a:
                    operands.Add(a.Array);
                    break;
                case UnaryExpr u:
                    GradientOperands(u.Operand, operands);
                    break;
                case BinaryExpr b:
                    GradientOperands(b.Left, operands);
                    GradientOperands(b.Right, operands);
                    break;
                case MathCallExpr m:
                    foreach (var arg in m.Args) GradientOperands(arg, operands);
                    break;
                case ConvertExpr c:
                    GradientOperands(c.Operand, operands);
                    break;
                case ConditionalExpr c:
                    GradientOperands(c.WhenTrue, operands);
                    GradientOperands(c.WhenFalse, operands);
                    break;
                case PullbackCallExpr p:
                    foreach (var argument in p.Arguments)
                    {
                        if (argument.HasGradient) GradientOperands(argument.Value, operands);
                    }

                    break;

                // Literals, calls without a derivative (CallExpr), lengths: no gradient flows on.
            }
        }

        private void Propagate()
        {
            // Varied, forwards: the parse stage's flag is an upper bound (it marks every floating-point loop
            // variable, for one); a value is varied only if a gradient path leads to it from a differentiable
            // parameter. A sign flipped in a loop (`sign = -sign` from 1.0) is not.
            var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var pair in _flowsTo)
            {
                foreach (var operand in pair.Value)
                {
                    if (!dependents.TryGetValue(operand, out var list))
                    {
                        list = new List<string>();
                        dependents[operand] = list;
                    }

                    list.Add(pair.Key);
                }
            }

            var reached = new HashSet<string>(StringComparer.Ordinal);
            var frontier = new Stack<string>(_inputs);
            while (frontier.Count > 0)
            {
                string name = frontier.Pop();
                if (!reached.Add(name) || !dependents.TryGetValue(name, out var next)) continue;
                foreach (var dependent in next)
                {
                    if (!reached.Contains(dependent)) frontier.Push(dependent);
                }
            }

            _varied.IntersectWith(reached);

            var pending = new Stack<string>(_results);
            while (pending.Count > 0)
            {
                string name = pending.Pop();
                if (!_useful.Add(name) || !_flowsTo.TryGetValue(name, out var operands)) continue;
                foreach (var operand in operands)
                {
                    if (!_useful.Contains(operand)) pending.Push(operand);
                }
            }
        }
    }
}
