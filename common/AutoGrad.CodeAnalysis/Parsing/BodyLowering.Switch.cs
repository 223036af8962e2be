using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Patterns (<c>x is &gt; 0 and &lt; 1</c>), switch expressions and switch statements, lowered to chains of
    /// two-way branches: the IR has only <see cref="IfStmt"/>, so <c>switch</c> becomes if/else if/else, testing
    /// the sections (or arms) in order and taking the default section when none matches.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>A switch section: the labels that lead to it, and its statements without the closing break.</summary>
        private sealed class SwitchSection
        {
            public SwitchSection(ISwitchCaseOperation section, ImmutableArray<IOperation> body)
            {
                Case = section;
                Body = body;
            }

            public ISwitchCaseOperation Case { get; }

            public ImmutableArray<IOperation> Body { get; }

            public bool CanFallThrough => Body.All(operation => BodyLowering.CanFallThrough(operation));
        }

        /// <summary>The value a pattern or switch tests, evaluated once: a variable or a constant.</summary>
        private Expr Subject(Expr value, List<Stmt> output)
        {
            if (value is VarExpr or LitExpr) return value;
            string name = NewTemp();
            Add(output, new LetStmt(name, value, false, _source));
            return new VarExpr(name, value.Type);
        }

        /// <summary>Whether <paramref name="subject"/> matches <paramref name="pattern"/>: an inactive bool.</summary>
        private Expr LowerPattern(IPatternOperation pattern, Expr subject, List<Stmt> output)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constant:
                    return ConstantTest(subject, constant.Value, output);

                case IRelationalPatternOperation relational when MapBinary(relational.OperatorKind) is { } op:
                {
                    var value = Convert(LowerExpression(relational.Value, output), subject.Type, output);
                    return new BinaryExpr(op, subject, value, ScalarKind.Boolean);
                }

                case INegatedPatternOperation negated:
                    return new UnaryExpr(UnaryOp.LogicalNot, LowerPattern(negated.Pattern, subject, output), ScalarKind.Boolean);

                case IBinaryPatternOperation binary:
                {
                    // Patterns have no effects, so both sides can be computed before the test.
                    var left = LowerPattern(binary.LeftPattern, subject, output);
                    var right = LowerPattern(binary.RightPattern, subject, output);
                    var op = binary.OperatorKind == BinaryOperatorKind.And ? BinaryOp.ConditionalAnd : BinaryOp.ConditionalOr;
                    return new BinaryExpr(op, left, right, ScalarKind.Boolean);
                }

                case IDiscardPatternOperation:
                    return new LitExpr("true", ScalarKind.Boolean);

                // `x is double d`, `case var v`: on a value of that very type, always a match that names it.
                case IDeclarationPatternOperation declaration when ScalarTypes.From(declaration.MatchedType ?? declaration.InputType) == subject.Type
                                                                   && ScalarTypes.From(declaration.InputType) == subject.Type:
                    if (declaration.DeclaredSymbol is ILocalSymbol local)
                    {
                        // A copy, not Define: Define would rename the subject's temporary, which the other tests still read.
                        if (!_env.ContainsKey(local)) _symbolOrder.Add(local);
                        string name = NameFor(local);
                        bool active = IsActive(subject);
                        if (active) _active.Add(name);
                        Add(output, new LetStmt(name, subject, active, _source));
                        _env[local] = new VarExpr(name, subject.Type);
                    }

                    return new LitExpr("true", ScalarKind.Boolean);

                case ITypePatternOperation type when ScalarTypes.From(type.MatchedType) == subject.Type && ScalarTypes.From(type.InputType) == subject.Type:
                    return new LitExpr("true", ScalarKind.Boolean);

                default:
                    ReportUnsupportedExpression(
                        pattern,
                        "The pattern '" + Shorten(pattern.Syntax.ToString()) + "'",
                        "use constant, relational (< 1), 'and', 'or', 'not' and discard patterns on double, float, int, long and bool values");
                    return new LitExpr("false", ScalarKind.Boolean);
            }
        }

        /// <summary><c>subject == constant</c>, where a NaN constant matches NaN as C# patterns do.</summary>
        private Expr ConstantTest(Expr subject, IOperation constant, List<Stmt> output)
        {
            if (constant.ConstantValue is { HasValue: true, Value: double.NaN or float.NaN } && subject.Type.IsFloating())
            {
                string isNaN = subject.Type == ScalarKind.Float ? "float.IsNaN" : "double.IsNaN";
                return new CallExpr(isNaN, EquatableArray.Create(subject), ScalarKind.Boolean);
            }

            var value = Convert(LowerExpression(constant, output), subject.Type, output);
            return new BinaryExpr(BinaryOp.Equal, subject, value, ScalarKind.Boolean);
        }

        /// <summary>A pattern and its <c>when</c> clause, which runs only when the pattern matches.</summary>
        private Expr PatternAndGuard(IPatternOperation pattern, IOperation? guard, Expr subject, List<Stmt> output)
        {
            var test = LowerPattern(pattern, subject, output);
            if (guard is null) return test;
            if (test is LitExpr { Text: "true" }) return LowerExpression(guard, output);
            return ShortCircuit(BinaryOp.ConditionalAnd, test, guardOutput => LowerExpression(guard, guardOutput), output);
        }

        // ---- switch expressions ---------------------------------------------------------------------

        /// <summary>
        /// <c>x switch { &lt; 0 =&gt; a, _ =&gt; b }</c>: nested joins like the conditional operator, so that the
        /// gradient flows through the arm taken. A switch expression must have an arm for every value.
        /// </summary>
        private Expr LowerSwitchExpression(ISwitchExpressionOperation switchExpression, ScalarKind kind, List<Stmt> output)
        {
            if (!switchExpression.IsExhaustive || switchExpression.Arms.IsEmpty)
            {
                // C# throws SwitchExpressionException where no arm matches; a gradient has nothing to say there.
                ReportUnsupportedExpression(
                    switchExpression,
                    "A switch expression without an arm for every value",
                    "end it with a discard arm '_ => …' (for double and float, NaN matches no relational pattern)");
                return Placeholder(kind);
            }

            var subject = Subject(LowerExpression(switchExpression.Value, output), output);
            return LowerArms(switchExpression.Arms, 0, subject, kind, output);
        }

        private Expr LowerArms(ImmutableArray<ISwitchExpressionArmOperation> arms, int index, Expr subject, ScalarKind kind, List<Stmt> output)
        {
            var arm = arms[index];
            bool last = index == arms.Length - 1;
            var test = PatternAndGuard(arm.Pattern, arm.Guard, subject, output);

            // The switch is exhaustive: a value that reaches an unguarded last arm matches it.
            if (test is LitExpr { Text: "true" } || (last && arm.Guard is null))
            {
                return Convert(LowerExpression(arm.Value, output), kind, output);
            }

            Expr whenTrue = Placeholder(kind);
            Expr whenFalse = Placeholder(kind);
            LowerJoin(
                test,
                armOutput => whenTrue = Convert(LowerExpression(arm.Value, armOutput), kind, armOutput),
                restOutput =>
                {
                    // After a guarded last arm nothing is left: the unguarded arms before it cover every value.
                    if (!last) whenFalse = LowerArms(arms, index + 1, subject, kind, restOutput);
                },
                _source,
                output);
            return JoinedValue(test, whenTrue, whenFalse, kind, output);
        }

        // ---- switch statements ----------------------------------------------------------------------

        /// <summary>
        /// A switch statement as an if/else chain over its sections, the default section last. Like an if, the
        /// chain is a join when no section returns, terminal when at most one path goes on past the switch, and
        /// otherwise flagged (see <see cref="LowerFlagged"/>). Null when lowering goes on with the next statement;
        /// otherwise whether every path returned.
        /// </summary>
        private bool? LowerSwitch(ISwitchOperation switchOperation, Continuation rest, List<Stmt> output)
        {
            var source = _source;
            var sections = new List<SwitchSection>();
            SwitchSection? fallback = null;
            foreach (var section in switchOperation.Cases)
            {
                var body = section.Body;
                if (body.Length > 0 && body[body.Length - 1] is IBranchOperation { BranchKind: BranchKind.Break } closing
                    && SymbolEqualityComparer.Default.Equals(closing.Target, switchOperation.ExitLabel))
                {
                    body = body.RemoveAt(body.Length - 1);
                }

                if (!CheckSectionJumps(switchOperation, body)) return null;
                var lowered = new SwitchSection(section, body);
                if (section.Clauses.Any(c => c is IDefaultCaseClauseOperation)) fallback = lowered;
                else sections.Add(lowered);
            }

            var subject = Subject(LowerExpression(switchOperation.Value, output), output);
            Action<List<Stmt>> chain = chainOutput => LowerSwitchJoin(sections, 0, fallback, subject, source, chainOutput);

            if (_jumps is { } jumps && jumps.AnyIn(switchOperation))
            {
                // A section continues the loop: the rest of the iteration runs only if none did.
                chain(output);
                var notSkipping = new UnaryExpr(UnaryOp.LogicalNot, _env[jumps.Skipping]!, ScalarKind.Boolean);
                LowerJoin(notSkipping, thenOutput => LowerSequence(rest.Operations, rest.Index, rest.Parent, thenOutput), _ => { }, source, output);
                return true;
            }

            if (!ContainsReturn(switchOperation) || _loopDepth > 0)
            {
                chain(output);
                return null;
            }

            int pathsOn = sections.Count(s => s.CanFallThrough) + (fallback is null || fallback.CanFallThrough ? 1 : 0);
            if (_flags is null && pathsOn <= 1)
            {
                // The code after the switch moves into the one path that reaches it.
                return LowerSwitchTerminal(sections, 0, fallback, subject, rest, source, output);
            }

            return LowerFlagged(chain, rest, output);
        }

        /// <summary>
        /// Reports jumps that an if/else chain cannot express: a break out of the middle of a section, and goto
        /// (goto case, goto default: one section running into another). True when there is none.
        /// </summary>
        private bool CheckSectionJumps(ISwitchOperation switchOperation, ImmutableArray<IOperation> body)
        {
            foreach (var branch in body.SelectMany(o => o.DescendantsAndSelf()).OfType<IBranchOperation>())
            {
                if (branch.BranchKind == BranchKind.GoTo)
                {
                    Report(
                        DiagnosticDescriptors.UnsupportedStatement,
                        StatementLocation(branch.Syntax),
                        "A 'goto' in a switch section",
                        "write the code the sections share in each of them, or in a helper method both call");
                    return false;
                }

                if (branch.BranchKind == BranchKind.Break && SymbolEqualityComparer.Default.Equals(branch.Target, switchOperation.ExitLabel))
                {
                    Report(
                        DiagnosticDescriptors.UnsupportedStatement,
                        StatementLocation(branch.Syntax),
                        "A 'break' before the end of a switch section",
                        "end the section with its only break, and use if/else inside the section");
                    return false;
                }
            }

            return true;
        }

        /// <summary>Whether the subject matches one of the section's labels; the labels are tried in order.</summary>
        private Expr SectionTest(SwitchSection section, Expr subject, List<Stmt> output)
        {
            Expr? test = null;
            foreach (var clause in section.Case.Clauses)
            {
                Expr Clause(List<Stmt> clauseOutput)
                {
                    switch (clause)
                    {
                        case ISingleValueCaseClauseOperation single:
                            return ConstantTest(subject, single.Value, clauseOutput);
                        case IPatternCaseClauseOperation patternClause:
                            return PatternAndGuard(patternClause.Pattern, patternClause.Guard, subject, clauseOutput);
                        default:
                            ReportUnsupportedExpression(clause, "The case label '" + Shorten(clause.Syntax.ToString()) + "'", "use constant and relational patterns");
                            return new LitExpr("false", ScalarKind.Boolean);
                    }
                }

                test = test is null ? Clause(output) : ShortCircuit(BinaryOp.ConditionalOr, test, Clause, output);
            }

            return test ?? new LitExpr("false", ScalarKind.Boolean);
        }

        /// <summary>Sections index.. as a chain of joins; the default section (or nothing) at its end.</summary>
        private void LowerSwitchJoin(List<SwitchSection> sections, int index, SwitchSection? fallback, Expr subject, SourceInfo source, List<Stmt> output)
        {
            if (index == sections.Count)
            {
                if (fallback is not null) LowerSequence(fallback.Body, 0, null, output);
                return;
            }

            _source = source;
            var condition = SectionTest(sections[index], subject, output);
            LowerJoin(
                condition,
                thenOutput => LowerSequence(sections[index].Body, 0, null, thenOutput),
                elseOutput => LowerSwitchJoin(sections, index + 1, fallback, subject, source, elseOutput),
                source,
                output);
        }

        /// <summary>Sections index.. as terminal ifs (see <see cref="LowerTerminalIf"/>), each followed by the code after the switch.</summary>
        private bool LowerSwitchTerminal(List<SwitchSection> sections, int index, SwitchSection? fallback, Expr subject, Continuation rest, SourceInfo source, List<Stmt> output)
        {
            if (index == sections.Count)
            {
                return LowerSequence(fallback?.Body ?? ImmutableArray<IOperation>.Empty, 0, rest, output);
            }

            _source = source;
            var condition = SectionTest(sections[index], subject, output);
            var body = sections[index].Body;
            if (_inline is { } frame)
            {
                // An inlined body's early return: every path defines the result, which the join merges.
                LowerJoin(
                    condition,
                    thenOutput =>
                    {
                        if (!LowerSequence(body, 0, rest, thenOutput) && !frame.IsVoid) throw new AbortException();
                    },
                    elseOutput =>
                    {
                        if (!LowerSwitchTerminal(sections, index + 1, fallback, subject, rest, source, elseOutput) && !frame.IsVoid) throw new AbortException();
                    },
                    source,
                    output);
                return true;
            }

            var saved = CopyEnv();
            var thenOutput = new List<Stmt>();
            bool thenReturns = LowerSequence(body, 0, rest, thenOutput);
            _env = new Dictionary<object, VarExpr?>(saved, KeyComparer.Instance);
            var elseOutput = new List<Stmt>();
            bool elseReturns = LowerSwitchTerminal(sections, index + 1, fallback, subject, rest, source, elseOutput);
            _env = saved;
            if (!thenReturns || !elseReturns) throw new AbortException();
            Add(output, new IfStmt(condition, ToBlock(thenOutput), ToBlock(elseOutput), EquatableArray<Merge>.Empty, source));
            return true;
        }
    }
}
