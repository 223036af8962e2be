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
            (ArrayView View, ILocalSymbol Variable)? foreachOver = null;
            (MatrixView View, ScalarKind Element, bool Active)? foreachRows = null;
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
                case IForEachLoopOperation rowLoop
                    when rowLoop.Locals.Length == 1 && JaggedOf(rowLoop.Collection) is { } jagged:
                    // foreach (var row in J): over the row index, row being J[i].
                    foreachOver = (new ArrayView(jagged.View.Flat, jagged.Element, false, null, new VarExpr(jagged.View.Rows, ScalarKind.Int32)), rowLoop.Locals[0]);
                    foreachRows = jagged;
                    body.Add(rowLoop.Body);
                    break;
                case IForEachLoopOperation forEach
                    when forEach.Locals.Length == 1 && forEach.Locals[0] is { } variable
                         && ViewOf(forEach.Collection, output) is { } array
                         && ScalarTypes.From(variable.Type) == array.Element:
                    foreachOver = (array, variable);
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
                    || (key is ISymbol symbol && assigned.Contains(symbol))
                    || (key is SyntheticVariable leaf && _tupleLeafOwners.TryGetValue(leaf, out var owner) && assigned.Contains(owner));
                if (!isCarried || !_env.TryGetValue(key, out var before)) continue;
                Expr init;
                if (before is not null)
                {
                    init = before;
                }
                else if (key is ILocalSymbol { Type: var type } && ScalarTypes.From(type) is { } unassigned)
                {
                    // `double t; do { t = …; } while (…); return t;`: assigned in the loop before any read (C# checks
                    // that), so the value it starts with is never seen; zero stands for it.
                    init = ScalarTypes.Literal(0, unassigned);
                }
                else
                {
                    continue;
                }

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
                test = new BinaryExpr(BinaryOp.LessThan, _env[index!]!, LengthOf(each.View), ScalarKind.Boolean);
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

            var bounds = AddLoopBounds(test, testAtEnd);
            var bodyOutput = new List<Stmt>();
            _jumps = jumps ?? (outerJumps is null ? null : JumpFlags.None);
            if (jumps is not null)
            {
                _source = source;
                Define(jumps.Skipping, ScalarKind.Boolean, new LitExpr("false", ScalarKind.Boolean), bodyOutput);
            }

            if (foreachRows is { } rowsOf)
            {
                _source = source;
                _arrays[foreachOver!.Value.Variable] = JaggedRowAt(rowsOf, _env[index!]!, isChecked: true, bodyOutput);
            }
            else if (foreachOver is { } element)
            {
                _source = source;
                _symbolOrder.Add(element.Variable);
                _env[element.Variable] = null;
                var view = element.View;
                Expr position = _env[index!]!;
                if (view.Offset is { } offset) position = Atomize(new BinaryExpr(BinaryOp.Add, offset, position, ScalarKind.Int32), bodyOutput);
                var read = new ElementExpr(view.Name, position, view.Element);
                Define(element.Variable, view.Element, view.Active ? Hoist(read, bodyOutput) : read, bodyOutput);
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
            RemoveLoopBounds(bounds);

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
        private HashSet<ISymbol> AssignedSymbols(IOperation loop)
        {
            var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in loop.DescendantsAndSelf())
            {
                var target = operation switch
                {
                    ISimpleAssignmentOperation a => a.Target,
                    ICompoundAssignmentOperation c => c.Target,
                    IIncrementOrDecrementOperation i => i.Target,
                    IDeconstructionAssignmentOperation d => d.Target,
                    _ => null,
                };

                // A deconstruction's targets, and the tuple local whose element is assigned (`t.a = …`).
                while (target is IFieldReferenceOperation { Instance: { } tupleInstance } && IsTuple(tupleInstance.Type)) target = tupleInstance;
                if (target is ITupleOperation or IDeclarationExpressionOperation)
                {
                    var leaves = new List<IOperation>();
                    FlattenTargets(target, leaves);
                    foreach (var element in leaves)
                    {
                        var leaf = element;
                        while (leaf is IFieldReferenceOperation { Instance: { } owner } && IsTuple(owner.Type)) leaf = owner;
                        if (leaf is ILocalReferenceOperation { Local.IsRef: true } alias)
                        {
                            if (AliasedSymbol(alias.Local, loop) is { } aliased) symbols.Add(aliased);
                        }
                        else if (leaf is ILocalReferenceOperation local) symbols.Add(local.Local);
                        else if (leaf is IParameterReferenceOperation parameter) symbols.Add(parameter.Parameter);
                    }

                    continue;
                }

                switch (target)
                {
                    case ILocalReferenceOperation { Local.IsRef: true } alias:
                        if (AliasedSymbol(alias.Local, loop) is { } aliased) symbols.Add(aliased);
                        break;
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

        /// <summary>
        /// <c>double[] h = new double[n];</c>, <c>Span&lt;double&gt; h = stackalloc double[n];</c>, or an array created with
        /// its elements (<c>new[] { a, b }</c>, <c>[a, b]</c>, <c>stackalloc double[] { a, b }</c>), which is declared
        /// and then filled by element stores.
        /// </summary>
        private void LowerLocalArray(IVariableDeclaratorOperation declarator, ILocalSymbol local, ScalarKind element, List<Stmt> output)
        {
            var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
            IOperation? size = null;
            bool onStack = false;
            IOperation? spread = null;
            var elements = initializer?.Value is { } created ? InitializerElements(created, out onStack, out spread) : null;
            if (elements is not null && spread is not null)
            {
                ReportUnsupportedExpression(spread, "A spread ('..') in a collection expression", "list the elements, or copy the array's elements into a new local array with a loop");
                _arrays[local] = (NameFor(local), element, true); // so that its uses are not reported too
                return;
            }

            if (elements is not null)
            {
                // Sized by its elements.
            }
            else if (initializer?.Value is { } value && Unwrap(value) is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation)
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

            if (size is null && elements is null)
            {
                _reportedLocals.Add(local); // its uses are not reported again
                if (initializer?.Value is { } guarded && guarded.DescendantsAndSelf().Any(o => o is IThrowOperation))
                {
                    // `var w2 = w ?? throw new ArgumentNullException(nameof(w));`: the throw, not the array, is the problem.
                    var (what, hint) = DescribeExpression(guarded.DescendantsAndSelf().First(o => o is IThrowOperation));
                    ReportUnsupportedExpression(guarded, what, hint);
                    return;
                }

                bool alias = initializer?.Value is { } aliased && ArrayOf(aliased) is not null;
                Report(
                    DiagnosticDescriptors.UnsupportedExpression,
                    (initializer?.Value.Syntax ?? declarator.Syntax).GetLocation(),
                    alias ? "A second name for an array" : "This array initializer",
                    alias
                        ? "use the array by its own name, or copy its elements into a new local array"
                        : "declare a local array as new double[n], stackalloc double[n] or with its elements (new[] { a, b }, [a, b]) and fill it with assignments");
                return;
            }

            // An initializer's length is its count of elements; a collection expression for a span is on the stack when small.
            var lengthOutput = new List<Stmt>();
            var length = elements is { } listed
                ? IntegerLiteral(listed.Length, ScalarKind.Int32)
                : LowerExpression(size!, lengthOutput);
            if (elements is { Length: > 1024 }) onStack = false;
            string name = NameFor(local);
            var array = (name, element, true);
            _arrays[local] = array;
            _localArrayNames.Add(name);

            if (_loopDepth > 0 || _outerLoopDepth > 0 || _joinDepth > 0)
            {
                // Inside a loop or a branch (often a helper's scratch array): declared once before them, and
                // cleared where the declaration was. Its length must be known there, or bounded by what the
                // loops' tests prove (then the array is declared with the bound, and this declaration's length
                // is kept for its Length).
                var atTop = DefinedAtTop();
                var hoistedLength = length;
                if (lengthOutput.Count > 0 || !KnownAtTop(length, atTop))
                {
                    if (UpperBound(length, atTop) is not { } bound)
                    {
                        Report(
                            DiagnosticDescriptors.UnsupportedStatement,
                            declarator.Syntax.GetLocation(),
                            "A local array declared inside a loop or a branch, with a length that is neither known before them nor bounded by a loop's test",
                            "declare it once, before the loop or branch, with the largest length it needs, or compute its length from the loop variable of a for loop with a bound known before the loop (new double[i + 1] in for (int i = 0; i < n; i++))");
                        return;
                    }

                    foreach (var statement in lengthOutput) output.Add(statement);
                    _arrayLengths[name] = Atomize(length, output);
                    hoistedLength = bound;
                }

                // Allocated even where the branch would not run: never with a negative length, and on the
                // stack only when small and fixed.
                bool small = hoistedLength is LitExpr literal && int.TryParse(literal.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) && count >= 0 && count <= 1024;
                if (!small)
                {
                    hoistedLength = new CallExpr("global::System.Math.Max", EquatableArray.Create<Expr>(IntegerLiteral(0, hoistedLength.Type), hoistedLength), hoistedLength.Type);
                }

                bool hoistedOnStack = onStack && (small || _joinDepth == 0);
                Add(_topOutput!, new LocalArrayStmt(name, element, hoistedLength, hoistedOnStack, _source));
                Add(output, new ClearStmt(name, _source));
            }
            else
            {
                foreach (var statement in lengthOutput) output.Add(statement);
                Add(output, new LocalArrayStmt(name, element, length, onStack, _source));
            }

            if (elements is { } stored) StoreElements(array, stored, output);
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
        /// <summary>The array (or span) and the index of an element access <c>a[i]</c>, <c>s[i]</c> or <c>s[^k]</c>.</summary>
        private static (IOperation Array, IOperation Index)? ElementParts(IOperation target) => target switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } e => (e.ArrayReference, e.Indices[0]),
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } p => (instance, p.Arguments[0].Value),
            IImplicitIndexerReferenceOperation { Argument.Type.Name: "Index" } h => (h.Instance, h.Argument),
            _ => null,
        };

        private (ArrayView Array, Expr Index)? LocalElement(IOperation target, List<Stmt> output)
        {
            if (AliasTarget(target) is { Array: { } aliased, Writable: true } element) return (aliased, element.Index!);
            var parts = ElementParts(target);
            ISymbol? symbol = parts is { } candidate
                ? Unwrap(candidate.Array) switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter when _writableArrays.Contains(parameter.Parameter) => parameter.Parameter,
                    _ => null,
                }
                : null;
            if (parts is { } sliced && symbol is null && WritableSliceOf(sliced.Array, output) is { } slice)
            {
                return (slice with { Offset = null, Count = null }, ElementIndex(slice, sliced.Index, output));
            }

            if (parts is not { } found || symbol is null || !_arrays.TryGetValue(symbol, out var array)
                || (_viewLocals.ContainsKey(symbol) && !_localArrayNames.Contains(array.Name)))
            {
                // A span local over an input array is not written (AG0016 is reported for it).
                return null;
            }

            return (array with { Offset = null, Count = null }, ElementIndex(array, found.Index, output));
        }

        private void Store(ArrayView array, Expr index, Expr value, List<Stmt> output) =>
            Add(output, new StoreStmt(array.Name, index, Atomize(Convert(value, array.Element, output), output), _source));

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
