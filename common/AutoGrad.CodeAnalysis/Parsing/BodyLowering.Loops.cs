using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>Loops, break and continue, and local arrays.</summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>
        /// A for, while, do or foreach loop. Variables it assigns that live outside it become carried variables
        /// (SSA's loop-header phi); inside one iteration the body is SSA as usual.
        /// </summary>
        private void LowerLoop(ILoopOperation loop, List<Stmt> output)
        {
            var source = _source;
            IOperation? condition = null;
            bool testAtEnd = false;
            var body = new List<IOperation>();
            var bottom = new List<IOperation>();
            (string Array, ScalarKind Element, bool Active, ILocalSymbol Variable)? foreachOver = null;
            switch (loop)
            {
                case IForLoopOperation forLoop:
                    foreach (var before in forLoop.Before) LowerSimpleStatementAt(before, output);
                    condition = forLoop.Condition;
                    body.Add(forLoop.Body);
                    bottom.AddRange(forLoop.AtLoopBottom);
                    break;
                case IWhileLoopOperation whileLoop when !whileLoop.ConditionIsUntil:
                    condition = whileLoop.Condition;
                    testAtEnd = !whileLoop.ConditionIsTop;
                    body.Add(whileLoop.Body);
                    break;
                case IForEachLoopOperation forEach
                    when ArrayOf(forEach.Collection) is { } array
                         && forEach.Locals.Length == 1 && forEach.Locals[0] is { } variable
                         && ScalarTypes.From(variable.Type) == array.Element:
                    foreachOver = (array.Name, array.Element, array.Active, variable);
                    body.Add(forEach.Body);
                    break;
                default:
                    var (what, hint) = DescribeStatement(loop);
                    Report(DiagnosticDescriptors.UnsupportedStatement, StatementLocation(loop.Syntax), what, hint);
                    return;
            }

            // foreach (var v in a) is for (int i = 0; i < a.Length; i++) { var v = a[i]; ... }.
            SyntheticVariable? index = null;
            if (foreachOver is { } over)
            {
                index = new SyntheticVariable("i");
                _symbolOrder.Add(index);
                Define(index, ScalarKind.Int32, new LitExpr("0", ScalarKind.Int32), output);
            }

            // break and continue become flags: `broke` is carried and ends the loop at the next test,
            // `skipping` is set per iteration and guards the rest of the body.
            var outerJumps = _jumps;
            JumpFlags? jumps = null;
            IOperation? assigningCondition = condition is not null && Assigns(condition) ? condition : null;
            bool returns = ContainsReturn(loop);
            if (returns || assigningCondition is not null || loop.Descendants().OfType<IBranchOperation>().Any(b => JumpFlags.Targets(b, loop)))
            {
                jumps = new JumpFlags(loop, returns);
                _symbolOrder.Add(jumps.Broke);
                _symbolOrder.Add(jumps.Skipping);
                Define(jumps.Broke, ScalarKind.Boolean, new LitExpr("false", ScalarKind.Boolean), output);
            }

            var assigned = AssignedSymbols(loop);
            var carried = new List<(object Key, string Name, ScalarKind Type, bool Active, Expr Init)>();
            foreach (var key in _symbolOrder.ToList())
            {
                bool isCarried = ReferenceEquals(key, index) || (jumps is not null && ReferenceEquals(key, jumps.Broke))
                    || (returns && _flags is { } flags && (ReferenceEquals(key, flags.Result) || ReferenceEquals(key, flags.Returned)))
                    || (key is ISymbol symbol && assigned.Contains(symbol));
                if (!isCarried || !_env.TryGetValue(key, out var init) || init is null) continue;
                string name = NameFor(key);
                bool active = init.Type.IsFloating();
                if (active) _active.Add(name);
                carried.Add((key, name, init.Type, active, init));
                _env[key] = new VarExpr(name, init.Type);
            }

            _loopDepth++;
            var conditionOutput = new List<Stmt>();
            Expr test = new LitExpr("true", ScalarKind.Boolean);
            if (foreachOver is { } each)
            {
                test = new BinaryExpr(BinaryOp.LessThan, _env[index!]!, new LengthExpr(each.Array), ScalarKind.Boolean);
            }
            else if (condition is not null && assigningCondition is null)
            {
                _source = SourceOf(condition.Syntax);
                test = LowerExpression(condition, conditionOutput);
            }

            if (jumps is not null)
            {
                test = new BinaryExpr(BinaryOp.ConditionalAnd, new UnaryExpr(UnaryOp.LogicalNot, _env[jumps.Broke]!, ScalarKind.Boolean), test, ScalarKind.Boolean);
            }

            var bodyOutput = new List<Stmt>();
            _jumps = jumps ?? (outerJumps is null ? null : JumpFlags.None);
            if (jumps is not null)
            {
                _source = source;
                Define(jumps.Skipping, ScalarKind.Boolean, new LitExpr("false", ScalarKind.Boolean), bodyOutput);
            }

            if (foreachOver is { } element)
            {
                _source = source;
                _symbolOrder.Add(element.Variable);
                _env[element.Variable] = null;
                var read = new ElementExpr(element.Array, _env[index!]!, element.Element);
                Define(element.Variable, element.Element, element.Active ? Hoist(read, bodyOutput) : read, bodyOutput);
            }

            if (assigningCondition is not null)
            {
                LowerAssigningCondition(assigningCondition, testAtEnd, jumps!, body.ToImmutableArray(), source, bodyOutput);
                testAtEnd = false;
            }
            else
            {
                LowerSequence(body.ToImmutableArray(), 0, null, bodyOutput);
            }

            _jumps = outerJumps;

            void Step(List<Stmt> stepOutput)
            {
                foreach (var step in bottom)
                {
                    _source = SourceOf(step.Syntax);
                    LowerSimpleStatement(step, stepOutput);
                }

                if (index is not null)
                {
                    var current = _env[index]!;
                    Define(index, ScalarKind.Int32, new BinaryExpr(BinaryOp.Add, current, new LitExpr("1", ScalarKind.Int32), ScalarKind.Int32), stepOutput);
                }
            }

            if (jumps is not null && (bottom.Count > 0 || index is not null))
            {
                // After a break the step does not run: `for (…; …; i++)` leaves i where the break found it.
                LowerJoin(new UnaryExpr(UnaryOp.LogicalNot, _env[jumps.Broke]!, ScalarKind.Boolean), Step, _ => { }, source, bodyOutput);
            }
            else
            {
                Step(bodyOutput);
            }

            _loopDepth--;

            var carriedModels = new List<Carried>();
            foreach (var (key, name, type, active, init) in carried)
            {
                if (_env[key] is not { } next) throw new AbortException();
                carriedModels.Add(new Carried(name, type, active, init, next));
                _env[key] = new VarExpr(name, type);
            }

            _source = source;
            string count = _names.Fresh("iterations");
            Add(output, new LoopStmt(
                carriedModels.ToEquatableArray(),
                ToBlock(conditionOutput),
                test,
                ToBlock(bodyOutput),
                testAtEnd,
                count,
                source));
        }

        private void LowerSimpleStatementAt(IOperation operation, List<Stmt> output)
        {
            _source = SourceOf(operation.Syntax);
            LowerSimpleStatement(operation, output);
        }

        private static IOperation Unwrap(IOperation operation) =>
            operation is IConversionOperation { IsImplicit: true } conversion ? Unwrap(conversion.Operand) : operation;

        /// <summary>The locals and parameters a loop assigns (its condition, body and increments).</summary>
        private static HashSet<ISymbol> AssignedSymbols(IOperation loop)
        {
            var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in loop.DescendantsAndSelf())
            {
                var target = operation switch
                {
                    ISimpleAssignmentOperation a => a.Target,
                    ICompoundAssignmentOperation c => c.Target,
                    IIncrementOrDecrementOperation i => i.Target,
                    _ => null,
                };
                switch (target)
                {
                    case ILocalReferenceOperation local:
                        symbols.Add(local.Local);
                        break;
                    case IParameterReferenceOperation parameter:
                        symbols.Add(parameter.Parameter);
                        break;
                }
            }

            return symbols;
        }

        /// <summary><c>double[] h = new double[n];</c> or <c>Span&lt;double&gt; h = stackalloc double[n];</c>.</summary>
        private void LowerLocalArray(IVariableDeclaratorOperation declarator, ILocalSymbol local, ScalarKind element, List<Stmt> output)
        {
            var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
            IOperation? size = null;
            bool onStack = false;
            if (initializer?.Value is { } value && Unwrap(value) is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation)
            {
                size = creation.DimensionSizes[0];
            }
            else if (initializer?.Value.Syntax is StackAllocArrayCreationExpressionSyntax
                     {
                         Initializer: null,
                         Type: ArrayTypeSyntax { RankSpecifiers: [{ Sizes: [var sizeSyntax] }] },
                     })
            {
                size = _semanticModel.GetOperation(sizeSyntax, _cancellationToken);
                onStack = true;
            }

            if (size is null)
            {
                bool alias = initializer?.Value is { } aliased && ArrayOf(aliased) is not null;
                Report(
                    DiagnosticDescriptors.UnsupportedExpression,
                    (initializer?.Value.Syntax ?? declarator.Syntax).GetLocation(),
                    alias ? "A second name for an array" : "This array initializer",
                    alias
                        ? "use the array by its own name, or copy its elements into a new local array"
                        : "declare a local array as new double[n] or stackalloc double[n] and fill it with assignments");
                return;
            }

            if (_loopDepth > 0 || _outerLoopDepth > 0 || _joinDepth > 0)
            {
                // Inside a loop or a branch (often a helper's scratch array): declared once before them when
                // its length is known there, and cleared where the declaration was.
                var lengthOutput = new List<Stmt>();
                var hoistedLength = LowerExpression(size, lengthOutput);
                var atTop = DefinedAtTop();
                if (lengthOutput.Count > 0 || !IrRenamer.Variables(hoistedLength).All(atTop.Contains))
                {
                    Report(
                        DiagnosticDescriptors.UnsupportedStatement,
                        declarator.Syntax.GetLocation(),
                        "A local array declared inside a loop or a branch, with a length computed there",
                        "declare it once, before the loop or branch, and overwrite its elements, or give it a length known before the loop or branch (constants, the method's parameters, lengths of arrays, values computed before it)");
                    _arrays[local] = (NameFor(local), element, true); // so that its uses are not reported too
                    return;
                }

                // Allocated even where the branch would not run: never with a negative length, and on the
                // stack only when small and fixed.
                bool small = hoistedLength is LitExpr literal && int.TryParse(literal.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) && count >= 0 && count <= 1024;
                if (!small)
                {
                    hoistedLength = new CallExpr("global::System.Math.Max", EquatableArray.Create<Expr>(new LitExpr("0", ScalarKind.Int32), hoistedLength), ScalarKind.Int32);
                }

                bool hoistedOnStack = onStack && (small || _joinDepth == 0);
                string hoisted = NameFor(local);
                _arrays[local] = (hoisted, element, true);
                _localArrayNames.Add(hoisted);
                Add(_topOutput!, new LocalArrayStmt(hoisted, element, hoistedLength, hoistedOnStack, _source));
                Add(output, new ClearStmt(hoisted, _source));
                return;
            }

            var length = LowerExpression(size, output);
            string name = NameFor(local);
            _arrays[local] = (name, element, true);
            _localArrayNames.Add(name);
            Add(output, new LocalArrayStmt(name, element, length, onStack, _source));
        }

        /// <summary>
        /// The names a statement at the top of the method can read here: the parameters, and what the top-level
        /// statements lowered so far define (SSA: none of them changes afterwards).
        /// </summary>
        private HashSet<string> DefinedAtTop()
        {
            var names = new HashSet<string>(_knownAtStart, System.StringComparer.Ordinal);
            foreach (var statement in _topOutput!)
            {
                switch (statement)
                {
                    case LetStmt let:
                        names.Add(let.Name);
                        break;
                    case IfStmt join:
                        foreach (var merge in join.Merges) names.Add(merge.Name);
                        break;
                    case LoopStmt loop:
                        foreach (var carried in loop.Carried) names.Add(carried.Name);
                        break;
                    case LocalArrayStmt array:
                        names.Add(array.Name);
                        break;
                }
            }

            return names;
        }

        /// <summary>An element of a local array as an assignment target: the array and the (atomic) index.</summary>
        private ((string Name, ScalarKind Element, bool Active) Array, Expr Index)? LocalElement(IOperation target, List<Stmt> output)
        {
            (IOperation Array, IOperation Index)? parts = target switch
            {
                IArrayElementReferenceOperation { Indices.Length: 1 } e => (e.ArrayReference, e.Indices[0]),
                IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } p => (instance, p.Arguments[0].Value),
                _ => null,
            };
            ISymbol? symbol = parts is { } candidate
                ? Unwrap(candidate.Array) switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter when _writableArrays.Contains(parameter.Parameter) => parameter.Parameter,
                    _ => null,
                }
                : null;
            if (parts is not { } found || symbol is null || !_arrays.TryGetValue(symbol, out var array))
            {
                return null;
            }

            var index = LowerExpression(found.Index, output);
            if (index.Type != ScalarKind.Int32) index = new ConvertExpr(index, ScalarKind.Int32);
            return (array, Atomize(index, output));
        }

        /// <summary>The flags that stand for break and continue in one loop.</summary>
        private sealed class JumpFlags
        {
            /// <summary>Inside a nested loop without jumps of its own: no jump targets it.</summary>
            public static readonly JumpFlags None = new(null, false);

            private readonly ILoopOperation? _loop;

            /// <summary>Whether a return leaves the loop (it then breaks it, see <see cref="LeaveLoops"/>).</summary>
            private readonly bool _returns;

            public JumpFlags(ILoopOperation? loop, bool returns)
            {
                _loop = loop;
                _returns = returns;
                Broke = new SyntheticVariable("broke");
                Skipping = new SyntheticVariable("skipping");
            }

            public SyntheticVariable Broke { get; }

            public SyntheticVariable Skipping { get; }

            public static bool Targets(IBranchOperation branch, ILoopOperation loop) =>
                (branch.BranchKind is BranchKind.Break or BranchKind.Continue)
                && (SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel)
                    || SymbolEqualityComparer.Default.Equals(branch.Target, loop.ContinueLabel));

            public bool Targets(IBranchOperation branch) => _loop is not null && Targets(branch, _loop);

            public bool AnyIn(IOperation operation) =>
                _loop is not null
                && (operation.Descendants().OfType<IBranchOperation>().Any(Targets)
                    || (_returns && operation.Descendants().Any(d => d is IReturnOperation && Encloses(d))));

            /// <summary>Whether <paramref name="operation"/> is inside this loop (and not in a method inlined into it).</summary>
            public bool Encloses(IOperation operation)
            {
                for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (ReferenceEquals(parent, _loop)) return true;
                }

                return false;
            }
        }
    }
}
