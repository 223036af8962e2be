using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Lowers a method body (through Roslyn's IOperation tree) to the IR: SSA-renamed straight-line code,
    /// active operations hoisted into three-address <see cref="LetStmt"/>s, and early returns normalised so
    /// that every <see cref="IfStmt"/> is either a join or terminal (see <c>Model/Ir.cs</c>).
    /// Unsupported constructs are reported and lowering goes on, so that one pass finds them all.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>Most IR statements one method may lower to, so that a huge generated method is refused rather than built.</summary>
        private const int StatementBudget = 10000;

        private SemanticModel _semanticModel;
        private readonly List<Diagnostic> _diagnostics;
        private readonly CancellationToken _cancellationToken;
        private readonly NameGenerator _names;
        private readonly HashSet<string> _userNames;
        private readonly HashSet<string> _claimedUserNames = new(StringComparer.Ordinal);
        private readonly HashSet<string> _active = new(StringComparer.Ordinal);
        private readonly HashSet<string> _temps = new(StringComparer.Ordinal);

        /// <summary>Locals whose declaration got AG0009: their uses are not reported again.</summary>
        private readonly HashSet<ILocalSymbol> _reportedLocals = new(SymbolEqualityComparer.Default);
        private readonly List<object> _symbolOrder = new();
        private Dictionary<object, VarExpr?> _env = new(KeyComparer.Instance);

        /// <summary>Set while lowering a region where a return records its value instead of returning (see <see cref="LowerFlagged"/>).</summary>
        private (SyntheticVariable Result, SyntheticVariable Returned)? _flags;

        /// <summary>Array and span parameters, local arrays and span locals: the array (or slice) each names.</summary>
        private readonly Dictionary<ISymbol, ArrayView> _arrays = new(SymbolEqualityComparer.Default);
        private int _loopDepth;

        /// <summary>The method's top-level statement list: where local arrays declared in loops and branches go.</summary>
        private List<Stmt>? _topOutput;

        /// <summary>Names whose value is the same everywhere in the method (parameters as passed, top-level local arrays).</summary>
        private readonly HashSet<string> _knownAtStart = new(StringComparer.Ordinal);
        private int _joinDepth;

        /// <summary>The innermost loop whose body has break or continue: its labels and flags.</summary>
        private JumpFlags? _jumps;
        private ScalarKind _returnKind;
        private int _tempCounter;
        private int _statementCount;
        private SourceInfo _source = new(0, string.Empty);
        private Location _methodLocation = Location.None;

        public BodyLowering(
            SemanticModel semanticModel,
            HashSet<string> reservedNames,
            List<Diagnostic> diagnostics,
            CancellationToken cancellationToken)
        {
            _semanticModel = semanticModel;
            _diagnostics = diagnostics;
            _cancellationToken = cancellationToken;
            _names = new NameGenerator(reservedNames);
            _userNames = new HashSet<string>(reservedNames, StringComparer.Ordinal);
        }

        /// <summary>Lowers the body; null when it cannot be lowered (a compiler error, or one reported here).</summary>
        public Block? Lower(MethodDeclarationSyntax syntax, IMethodSymbol method, IReadOnlyList<ParameterModel> parameters)
        {
            _methodLocation = syntax.Identifier.GetLocation();
            _callStack.Add(method.OriginalDefinition);
            _callerType = method.ContainingType;
            _returnKind = ScalarTypes.From(method.ReturnType) ?? ScalarKind.Double;
            // Locals the user named like a generated parameter are renamed in the generated code.
            _claimedUserNames.Add(MethodParser.SeedName);
            foreach (var parameter in parameters)
            {
                if (parameter.GradientName is { } gradient) _claimedUserNames.Add(gradient);
            }

            foreach (var parameter in method.Parameters)
            {
                var model = parameters[parameter.Ordinal];
                _claimedUserNames.Add(parameter.Name);
                if (model.Matrix is { } matrix)
                {
                    DeclareMatrix(parameter, model, matrix);
                    continue;
                }

                if (model.Shape != ArrayShape.None)
                {
                    if (model.Shape != ArrayShape.ReadOnlySpan) _writableInputs.Add(parameter.Name);
                    _knownAtStart.Add(parameter.Name);
                    _arrays[parameter] = (parameter.Name, model.Type, model.GradientName is not null);
                    continue;
                }

                if (model.Struct is { } bundle)
                {
                    BindStructParameter(parameter, bundle, model.GradientName is not null);
                    continue;
                }

                _env[parameter] = new VarExpr(parameter.Name, model.Type);
                _knownAtStart.Add(parameter.Name);
                _symbolOrder.Add(parameter);
                if (model.GradientName is not null) _active.Add(parameter.Name);
            }

            if (_semanticModel.GetOperation(syntax, _cancellationToken) is not IMethodBodyOperation body)
            {
                return null;
            }

            try
            {
                var output = new List<Stmt>();
                _topOutput = output;
                var root = body.BlockBody ?? body.ExpressionBody;
                if (root is null) return null;
                foreach (var parameter in method.Parameters)
                {
                    if (_copiedInputs?.Contains(parameter.Name) == true && _arrays.TryGetValue(parameter, out var input))
                    {
                        CopyInput(parameter, input.Element, input.Active, output);
                    }
                }

                bool returned = LowerSequence(root.Operations, 0, null, output);
                return returned ? NumberTemporaries(CopyBackBeforeReturns(ToBlock(output))) : null;
            }
            catch (AbortException)
            {
                return null;
            }
        }

        /// <summary>Renames the temporaries t0, t1, … in the order they are defined, closing the gaps left by renaming.</summary>
        private Block NumberTemporaries(Block block)
        {
            var definitions = IrRenamer.Definitions(block).ToList();
            var taken = new HashSet<string>(_userNames, StringComparer.Ordinal);
            taken.UnionWith(definitions.Where(d => !_temps.Contains(d)));
            var names = new NameGenerator(taken);
            int counter = 0;
            var renames = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var definition in definitions)
            {
                if (_temps.Contains(definition) && !renames.ContainsKey(definition))
                {
                    renames[definition] = names.FreshNumbered("t", ref counter);
                }
            }

            return IrRenamer.Rename(block, renames);
        }

        // ---- statements -------------------------------------------------------------------------

        private sealed class Continuation
        {
            public Continuation(ImmutableArray<IOperation> operations, int index, Continuation? parent)
            {
                Operations = operations;
                Index = index;
                Parent = parent;
            }

            public ImmutableArray<IOperation> Operations { get; }

            public int Index { get; }

            public Continuation? Parent { get; }
        }

        /// <summary>Lowers operations[start..] and then the continuation; true when every path returned.</summary>
        private bool LowerSequence(ImmutableArray<IOperation> operations, int start, Continuation? continuation, List<Stmt> output)
        {
            for (int i = start; i < operations.Length; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var operation = operations[i];
                switch (operation)
                {
                    case IBlockOperation block when IsPlainBlock(block):
                        return LowerSequence(block.Operations, 0, new Continuation(operations, i + 1, continuation), output);

                    case IBranchOperation branch when _jumps is { } jumps && jumps.Targets(branch):
                        _source = SourceOf(operation.Syntax);
                        if (branch.BranchKind == BranchKind.Break)
                        {
                            Define(jumps.Broke, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), output);
                        }

                        Define(jumps.Skipping, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), output);
                        return true;

                    case IConditionalOperation conditional when conditional.Type is null && _jumps is { } jumps && jumps.AnyIn(conditional):
                    {
                        // The rest of this iteration's body runs only if the if did not break or continue.
                        _source = SourceOf(operation.Syntax);
                        var source = _source;
                        LowerJoinIf(conditional, output);
                        var remaining = new Continuation(operations, i + 1, continuation);
                        var notSkipping = new UnaryExpr(UnaryOp.LogicalNot, _env[jumps.Skipping]!, ScalarKind.Boolean);
                        LowerJoin(notSkipping, thenOutput => LowerSequence(remaining.Operations, remaining.Index, remaining.Parent, thenOutput), _ => { }, source, output);
                        return true;
                    }

                    case IConditionalOperation conditional when conditional.Type is null:
                        _source = SourceOf(operation.Syntax);
                        if (!ContainsReturn(conditional) || _loopDepth > 0)
                        {
                            LowerJoinIf(conditional, output);
                            break;
                        }

                        var rest = new Continuation(operations, i + 1, continuation);
                        if (_flags is null && !(CanFallThrough(conditional.WhenTrue) && CanFallThrough(conditional.WhenFalse)))
                        {
                            // The usual early return: the code after the if moves into the branch that falls through.
                            LowerTerminalIf(conditional, rest, output);
                            return true;
                        }

                        // Both branches may fall through: moving the code after the if into both would copy it.
                        return LowerFlagged(branchOutput => LowerJoinIf(conditional, branchOutput), rest, output);

                    case ISwitchOperation switchOperation:
                        _source = SourceOf(operation.Syntax);
                        if (LowerSwitch(switchOperation, new Continuation(operations, i + 1, continuation), output) is { } switchReturned) return switchReturned;
                        break;

                    case ILoopOperation loop when ContainsReturn(loop):
                        _source = SourceOf(operation.Syntax);
                        return LowerLoopWithReturn(loop, new Continuation(operations, i + 1, continuation), output);

                    case IThrowOperation { Syntax: ThrowStatementSyntax } thrown:
                        _source = SourceOf(operation.Syntax);
                        return LowerThrowStatement(thrown, output);

                    case IReturnOperation ret:
                        _source = SourceOf(operation.Syntax);
                        if (ret.ReturnedValue is null)
                        {
                            if (_inline is not { IsVoid: true }) throw new AbortException();
                            if (_flags is { } voidFlags) Define(voidFlags.Returned, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), output);
                            LeaveLoops(ret, output);
                            return true;
                        }

                        if (_inline is { TupleResults: not null } tupleFrame)
                        {
                            LowerTupleReturn(ret, tupleFrame, output);
                            return true;
                        }

                        var value = LowerExpression(ret.ReturnedValue, output);
                        if (_flags is { } flags)
                        {
                            Define(flags.Result, _returnKind, value, output);
                            Define(flags.Returned, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), output);
                            LeaveLoops(ret, output);
                        }
                        else if (_inline is { } frame)
                        {
                            // A return of an inlined body: its value is the call's.
                            Define(frame.Result, _returnKind, value, output);
                        }
                        else
                        {
                            Add(output, new ReturnStmt(value, _source));
                        }

                        return true;

                    default:
                        _source = SourceOf(operation.Syntax);
                        LowerSimpleStatement(operation, output);
                        break;
                }
            }

            return continuation is not null
                && LowerSequence(continuation.Operations, continuation.Index, continuation.Parent, output);
        }

        private void LowerTerminalIf(IConditionalOperation conditional, Continuation continuation, List<Stmt> output)
        {
            var source = _source;
            var condition = LowerExpression(conditional.Condition, output);
            if (_inline is not null)
            {
                // An inlined body's early return: both paths define the result, which the join merges.
                LowerJoin(
                    condition,
                    thenOutput =>
                    {
                        if (!LowerSequence(ImmutableArray.Create(conditional.WhenTrue), 0, continuation, thenOutput) && !_inline.IsVoid) throw new AbortException();
                    },
                    elseOutput =>
                    {
                        var operations = conditional.WhenFalse is { } f ? ImmutableArray.Create(f) : ImmutableArray<IOperation>.Empty;
                        if (!LowerSequence(operations, 0, continuation, elseOutput) && !_inline.IsVoid) throw new AbortException();
                    },
                    source,
                    output);
                return;
            }

            var saved = CopyEnv();

            var thenOutput = new List<Stmt>();
            bool thenReturns = LowerSequence(ImmutableArray.Create(conditional.WhenTrue), 0, continuation, thenOutput);

            _env = new Dictionary<object, VarExpr?>(saved, KeyComparer.Instance);
            var elseOutput = new List<Stmt>();
            bool elseReturns = conditional.WhenFalse is { } whenFalse
                ? LowerSequence(ImmutableArray.Create(whenFalse), 0, continuation, elseOutput)
                : LowerSequence(ImmutableArray<IOperation>.Empty, 0, continuation, elseOutput);

            _env = saved;
            if (!thenReturns || !elseReturns) throw new AbortException();
            Add(output, new IfStmt(condition, ToBlock(thenOutput), ToBlock(elseOutput), EquatableArray<Merge>.Empty, source));
        }

        private void LowerJoinIf(IConditionalOperation conditional, List<Stmt> output)
        {
            var source = _source;
            var condition = LowerExpression(conditional.Condition, output);
            LowerJoin(
                condition,
                thenOutput => LowerSequence(ImmutableArray.Create(conditional.WhenTrue), 0, null, thenOutput),
                elseOutput =>
                {
                    if (conditional.WhenFalse is { } elseBranch) LowerSequence(ImmutableArray.Create(elseBranch), 0, null, elseOutput);
                },
                source,
                output);
        }

        /// <summary>
        /// An if whose branches may both fall through, and one may return. Its returns record the value and set a
        /// flag (the if becomes a join); the code after it runs only when the flag is clear. Outside such a
        /// region this ends in <c>if (returned) return result; else …rest</c>, so nothing is copied.
        /// </summary>
        /// <param name="rest">What follows, or null when nothing can (after a <c>while (true)</c> that only returns).</param>
        private bool LowerFlagged(Action<List<Stmt>> lowerBranches, Continuation? rest, List<Stmt> output)
        {
            var source = _source;
            bool outermost = _flags is null && _inline is null;
            if (_flags is null)
            {
                // In an inlined body the flag region lasts to the end of the body, and its result is the call's.
                var result = _inline?.Result ?? new SyntheticVariable("result");
                var returned = new SyntheticVariable("returned");
                if (_inline is null) _symbolOrder.Add(result);
                _symbolOrder.Add(returned);
                if (_inline is not { IsVoid: true }) Define(result, _returnKind, Placeholder(_returnKind), output);
                Define(returned, ScalarKind.Boolean, new LitExpr("false", ScalarKind.Boolean), output);
                _flags = (result, returned);
            }

            var flags = _flags.Value;
            lowerBranches(output);
            var returnedVar = (VarExpr)_env[flags.Returned]!;
            var notReturned = new UnaryExpr(UnaryOp.LogicalNot, returnedVar, ScalarKind.Boolean);

            if (!outermost)
            {
                // Still inside the region: guard what follows in it.
                if (rest is null) return true;
                LowerJoin(notReturned, thenOutput => LowerSequence(rest.Operations, rest.Index, rest.Parent, thenOutput), _ => { }, source, output);
                return true;
            }

            _flags = null;
            var resultVar = (VarExpr)_env[flags.Result]!;
            if (rest is null)
            {
                Add(output, new ReturnStmt(resultVar, source));
                return true;
            }

            var saved = CopyEnv();
            var elseOutput = new List<Stmt>();
            bool elseReturns = LowerSequence(rest.Operations, rest.Index, rest.Parent, elseOutput);
            _env = saved;
            if (!elseReturns) throw new AbortException();
            var thenBlock = new Block(EquatableArray.Create<Stmt>(new ReturnStmt(resultVar, source)));
            Add(output, new IfStmt(returnedVar, thenBlock, ToBlock(elseOutput), EquatableArray<Merge>.Empty, source));
            return true;
        }

        /// <summary>Lowers a two-way branch whose paths meet again, merging the variables either branch changed.</summary>
        private void LowerJoin(Expr condition, Action<List<Stmt>> lowerThen, Action<List<Stmt>> lowerElse, SourceInfo source, List<Stmt> output)
        {
            var before = CopyEnv();

            _joinDepth++;
            var thenOutput = new List<Stmt>();
            lowerThen(thenOutput);
            var afterThen = _env;

            _env = new Dictionary<object, VarExpr?>(before, KeyComparer.Instance);
            var elseOutput = new List<Stmt>();
            lowerElse(elseOutput);
            var afterElse = _env;
            _env = before;
            _joinDepth--;

            var merges = new List<Merge>();
            foreach (var symbol in _symbolOrder)
            {
                if (!before.ContainsKey(symbol)) continue;
                afterThen.TryGetValue(symbol, out var whenTrue);
                afterElse.TryGetValue(symbol, out var whenFalse);
                if (Equals(whenTrue, whenFalse))
                {
                    _env[symbol] = whenTrue;
                    continue;
                }

                if (whenTrue is null || whenFalse is null)
                {
                    _env[symbol] = null;
                    continue;
                }

                string name = NameFor(symbol);
                bool active = IsActive(whenTrue) || IsActive(whenFalse);
                if (active) _active.Add(name);
                merges.Add(new Merge(name, whenTrue.Type, active, whenTrue, whenFalse));
                _env[symbol] = new VarExpr(name, whenTrue.Type);
            }

            Add(output, new IfStmt(condition, ToBlock(thenOutput), ToBlock(elseOutput), merges.ToEquatableArray(), source));
        }

        /// <summary>Whether control can reach the end of <paramref name="operation"/> (conservatively: yes unless every path returns).</summary>
        private static bool CanFallThrough(IOperation? operation)
        {
            switch (operation)
            {
                case null:
                    return true;
                case IReturnOperation:
                case IThrowOperation:
                    return false;
                case IBlockOperation block:
                    foreach (var inner in block.Operations)
                    {
                        if (!CanFallThrough(inner)) return false;
                    }

                    return true;
                case IConditionalOperation { Type: null } conditional:
                    return CanFallThrough(conditional.WhenTrue) || CanFallThrough(conditional.WhenFalse);
                default:
                    return true;
            }
        }

        private void LowerSimpleStatement(IOperation operation, List<Stmt> output)
        {
            switch (operation)
            {
                case IEmptyOperation:
                case ILocalFunctionOperation: // lowered where it is called
                    return;

                case IVariableDeclarationGroupOperation group:
                    foreach (var declaration in group.Declarations)
                    {
                        foreach (var declarator in declaration.Declarators)
                        {
                            LowerDeclarator(declarator, output);
                        }
                    }

                    return;

                case IExpressionStatementOperation statement:
                    LowerExpressionStatement(statement.Operation, output);
                    return;

                case IInvalidOperation:
                    throw new AbortException();

                case IForLoopOperation or IWhileLoopOperation or IForEachLoopOperation:
                    LowerLoop((ILoopOperation)operation, output);
                    return;

                default:
                    var (what, hint) = DescribeStatement(operation);
                    var syntax = operation.Syntax is BlockSyntax { Parent: StatementSyntax parent } ? parent : operation.Syntax;
                    Report(DiagnosticDescriptors.UnsupportedStatement, StatementLocation(syntax), what, hint);
                    return;
            }
        }

        private void LowerDeclarator(IVariableDeclaratorOperation declarator, List<Stmt> output)
        {
            var local = declarator.Symbol;
            if (local.IsConst) return; // references fold to the constant
            if (local.IsRef)
            {
                LowerRefLocal(declarator, local, output);
                return;
            }

            if (TryDeclareView(declarator, local, output)) return;
            if (ReportLocalMatrix(declarator, local)) return;
            if (ScalarTypes.FromParameter(local.Type) is ({ } element, ArrayShape.Array or ArrayShape.Span) && element.IsFloating())
            {
                LowerLocalArray(declarator, local, element, output);
                return;
            }

            if (!local.IsRef && TupleLeaves(local.Type) is { } leaves)
            {
                LowerTupleDeclarator(declarator, local, leaves, output);
                return;
            }

            if (TryDeclareStructCopy(declarator, local)) return;

            var kind = ScalarTypes.From(local.Type);
            if (kind is null || local.IsRef)
            {
                _reportedLocals.Add(local);
                Report(
                    DiagnosticDescriptors.UnsupportedLocalType,
                    declarator.Syntax is VariableDeclaratorSyntax v ? v.Identifier.GetLocation() : declarator.Syntax.GetLocation(),
                    local.Name,
                    local.Type.ToDisplayString());
                return;
            }

            _symbolOrder.Add(local);
            _env[local] = null;
            var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
            if (initializer?.Value is { } value)
            {
                Define(local, kind.Value, LowerExpression(value, output), output);
            }
        }

        private void LowerExpressionStatement(IOperation operation, List<Stmt> output)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IDiscardOperation } discard:
                    LowerExpression(discard.Value, output);
                    return;

                case ISimpleAssignmentOperation when ReportRefReassignment(operation):
                    return;

                case ISimpleAssignmentOperation assignment when TryAssignView(assignment, output):
                    return;

                case ISimpleAssignmentOperation or ICompoundAssignmentOperation when LowerTupleAssignment(operation, output):
                    return;

                case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                    LowerAssignment(operation, output);
                    return;

                case IInvalidOperation:
                    throw new AbortException();

                case IInvocationOperation call when call.TargetMethod.ReturnsVoid:
                    LowerCallStatement(call, output);
                    return;

                case IInvocationOperation call when DerivativeRegistry.SourceOf(call.TargetMethod, _cancellationToken) is not null
                                                    && call.TargetMethod.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction:
                    // A helper called for what it writes, its value unused: lowered like any call.
                    LowerExpression(call, output);
                    return;

                case IDeconstructionAssignmentOperation deconstruction:
                    LowerDeconstruction(deconstruction, output);
                    return;

                case IThrowOperation:
                    Report(
                        DiagnosticDescriptors.UnsupportedStatement,
                        StatementLocation(operation.Syntax.Parent ?? operation.Syntax),
                        "A 'throw' statement",
                        "validate the inputs before calling the method");
                    return;


                default:
                    Report(
                        DiagnosticDescriptors.UnsupportedStatement,
                        operation.Syntax.GetLocation(),
                        "An expression statement that is not an assignment",
                        "a [Differentiable] method computes values; assign the result to a local or remove the statement");
                    return;
            }
        }

        private bool TryGetAssignable(IOperation target, out ISymbol symbol, out ScalarKind kind)
        {
            symbol = null!;
            kind = default;
            switch (target)
            {
                case ILocalReferenceOperation local when AliasTarget(local) is { } alias:
                    if (alias.Symbol is null)
                    {
                        // An element of an array the method may not write (a writable one is stored by LocalElement).
                        ReportArrayWrite(target, alias.Array!.Value.Name);
                        return false;
                    }

                    symbol = alias.Symbol;
                    kind = ScalarTypes.From(local.Local.Type) ?? ScalarKind.Double;
                    return true;
                case ILocalReferenceOperation local when ScalarTypes.From(local.Local.Type) is { } localKind && _env.ContainsKey(local.Local):
                    symbol = local.Local;
                    kind = localKind;
                    return true;
                case IParameterReferenceOperation parameter when ScalarTypes.From(parameter.Parameter.Type) is { } parameterKind:
                    symbol = parameter.Parameter;
                    kind = parameterKind;
                    return true;
                case IArrayElementReferenceOperation element when ArrayOf(element.ArrayReference) is { } array:
                    ReportArrayWrite(target, array.Name);
                    return false;
                case IArrayElementReferenceOperation element when JaggedWritten(element) is { } jagged:
                    ReportArrayWrite(target, jagged);
                    return false;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } when ArrayOf(instance) is { } span:
                    ReportArrayWrite(target, span.Name);
                    return false;
                case IImplicitIndexerReferenceOperation { Instance: { } fromEnd } when ArrayOf(fromEnd) is { } hatted:
                    // x[^1] = …: like x[x.Length - 1] = ….
                    ReportArrayWrite(target, hatted.Name);
                    return false;
                case IFieldReferenceOperation field:
                    Report(DiagnosticDescriptors.StateWrite, target.Syntax.GetLocation(), "field", field.Field.Name);
                    return false;
                case IPropertyReferenceOperation property:
                    Report(DiagnosticDescriptors.StateWrite, target.Syntax.GetLocation(), "property", property.Property.Name);
                    return false;
                case IEventReferenceOperation eventReference:
                    Report(DiagnosticDescriptors.StateWrite, target.Syntax.GetLocation(), "event", eventReference.Event.Name);
                    return false;
                case IInvalidOperation:
                    throw new AbortException();
                case ILocalReferenceOperation or IParameterReferenceOperation when ReportStructWrite(target):
                    return false;
                case ILocalReferenceOperation or IParameterReferenceOperation when ArrayOf(target) is { } array:
                    ReportUnsupportedExpression(
                        target.Parent ?? target,
                        "Assigning the array variable '" + UserArrayName(array.Name) + "'",
                        "an array variable keeps the array it starts with; copy elements into it instead");
                    return false;
                case ILocalReferenceOperation or IParameterReferenceOperation:
                    // A local of an unsupported type (already reported) or one we did not declare.
                    return false;
                default:
                    ReportUnsupportedExpression(target, "Assigning to '" + Shorten(target.Syntax.ToString()) + "'", "assign to a local variable or parameter of type double, float, int, long or bool");
                    return false;
            }
        }

        private void Define(object symbol, ScalarKind kind, Expr value, List<Stmt> output)
        {
            value = Convert(value, kind, output);
            string name = NameFor(symbol);

            // `double y = <temporary just computed>` renames the temporary instead of copying it.
            if (value is VarExpr variable && _temps.Contains(variable.Name) && output.Count > 0)
            {
                switch (output[output.Count - 1])
                {
                    case LetStmt let when let.Name == variable.Name:
                        output[output.Count - 1] = let with { Name = name, Source = _source };
                        Rebind(symbol, variable, name);
                        return;
                    case IfStmt ifStmt when ifStmt.Merges.Count == 1 && ifStmt.Merges[0].Name == variable.Name:
                        output[output.Count - 1] = ifStmt with { Merges = EquatableArray.Create(ifStmt.Merges[0] with { Name = name }) };
                        Rebind(symbol, variable, name);
                        return;
                }
            }

            bool active = IsActive(value);
            if (active) _active.Add(name);
            Add(output, new LetStmt(name, value, active, _source));
            _env[symbol] = new VarExpr(name, kind);
        }

        private void Rebind(object symbol, VarExpr temporary, string name)
        {
            _temps.Remove(temporary.Name);
            if (_active.Remove(temporary.Name)) _active.Add(name);
            _env[symbol] = new VarExpr(name, temporary.Type);
        }

        private string NameFor(object key)
        {
            if (key is not ISymbol symbol) return _names.Fresh(((SyntheticVariable)key).Name);
            if (_inline is not null) return _names.Fresh(symbol.Name);
            if (_userNames.Contains(symbol.Name) && _claimedUserNames.Add(symbol.Name)) return symbol.Name;
            return _names.Fresh(symbol.Name);
        }

        // ---- expressions ------------------------------------------------------------------------

        private Expr LowerExpression(IOperation operation, List<Stmt> output)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (operation is IInvalidOperation || operation.Type is IErrorTypeSymbol) throw new AbortException();

            if (operation.Type is { } type && ScalarTypes.From(type) is null)
            {
                // Lambdas, queries, arrays... have a non-scalar type: name the construct rather than its type.
                var construct = operation is IConversionOperation { IsImplicit: true } implicitConversion ? implicitConversion.Operand : operation;
                var (what, hint) = HasOwnDescription(construct)
                    ? DescribeExpression(construct)
                    : ("An expression of type '" + type.ToDisplayString() + "'", "use double, float, int, long or bool values");
                ReportUnsupportedExpression(operation, what, hint);
                return Placeholder(ScalarKind.Double);
            }

            var kind = ScalarTypes.From(operation.Type);
            if (operation.ConstantValue.HasValue && kind is { } constantKind)
            {
                if (WellKnownConstant(operation) is { } known) return new LitExpr(known, constantKind);
                var text = ScalarTypes.FormatConstant(operation.ConstantValue.Value, constantKind);
                if (text is not null) return new LitExpr(text, constantKind);
            }

            switch (operation)
            {
                case ILocalReferenceOperation local when _refAliases.TryGetValue(local.Local, out var alias):
                    return ReadAlias(alias, operation, output);
                case IFieldReferenceOperation or IPropertyReferenceOperation when LowerStructMember(operation) is { } member:
                    return member;
                case ILocalReferenceOperation local:
                    return Read(local.Local, operation);
                case IParameterReferenceOperation parameter:
                    return Read(parameter.Parameter, operation);
                case IArrayElementReferenceOperation { Indices.Length: 2 } element when MatrixOf(element.ArrayReference) is { } matrix:
                    return ReadMatrixElement(matrix, element, output);
                case IInvocationOperation { TargetMethod.Name: "GetLength", Instance: { } instance } getLength when MatrixOf(instance) is { } matrix:
                    return MatrixLength(matrix, getLength, output);
                case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when JaggedOf(instance) is { } jagged:
                    return new VarExpr(jagged.View.Rows, ScalarKind.Int32);
                case IConversionOperation conversion:
                    return LowerConversion(conversion, output);
                case IBinaryOperation binary:
                    return LowerBinary(binary, output);
                case IUnaryOperation unary:
                    return LowerUnary(unary, output);
                case IInvocationOperation invocation:
                    return LowerInvocation(invocation, output);
                case IConditionalOperation conditional when kind is { } conditionalKind:
                    return LowerConditional(conditional, conditionalKind, output);
                case IParenthesizedOperation parenthesized:
                    return LowerExpression(parenthesized.Operand, output);
                case IArrayElementReferenceOperation element when element.Indices.Length == 1
                                                                  && ViewOf(element.ArrayReference, output) is { } array:
                    return ReadElement(array, element.Indices[0], output);
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } indexer
                    when ViewOf(instance, output) is { } span:
                    return ReadElement(span, indexer.Arguments[0].Value, output);
                case IImplicitIndexerReferenceOperation { Argument.Type.Name: "Index" } implicitIndexer when ViewOf(implicitIndexer.Instance, output) is { } span:
                    return ReadElement(span, implicitIndexer.Argument, output);
                case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when ViewOf(instance, output) is { } sized:
                    return LengthOf(sized);
                case IFieldReferenceOperation tupleField when LowerTupleElement(tupleField, output) is { } leaf:
                    return leaf;
                case IFieldReferenceOperation field when field.Field.IsStatic && kind is { } fieldKind:
                    CheckAccessible(field.Field, operation);
                    return new LitExpr(QualifiedName(field.Field), fieldKind);
                case IPropertyReferenceOperation property when property.Property.IsStatic && property.Arguments.IsEmpty && kind is { } propertyKind:
                    CheckAccessible(property.Property, operation);
                    return new LitExpr(QualifiedName(property.Property), propertyKind);
                case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                    return LowerAssignment(operation, output);
                case ISwitchExpressionOperation switchExpression when kind is { } switchKind:
                    return LowerSwitchExpression(switchExpression, switchKind, output);
                case IIsPatternOperation isPattern:
                    return LowerPattern(isPattern.Pattern, Subject(LowerExpression(isPattern.Value, output), output), output);
                default:
                    var (what, hint) = DescribeExpression(operation);
                    ReportUnsupportedExpression(operation, what, hint);
                    return Placeholder(kind ?? ScalarKind.Double);
            }
        }

        private ArrayView? ArrayOf(IOperation operation)
        {
            var unwrapped = Unwrap(operation);
            ISymbol? symbol = unwrapped switch
            {
                IParameterReferenceOperation parameter => parameter.Parameter,
                ILocalReferenceOperation local => local.Local,
                _ => null,
            };
            if (symbol is not null) return _arrays.TryGetValue(symbol, out var array) ? array : null;

            return ConstantTable(unwrapped);
        }

        /// <summary>An element of an array, span or slice: a value to hoist when the array is differentiated.</summary>
        private Expr ReadElement(ArrayView array, IOperation index, List<Stmt> output)
        {
            var read = new ElementExpr(array.Name, ElementIndex(array, index, output), array.Element);
            return array.Active ? Hoist(read, output) : read;
        }

        private Expr Read(ISymbol symbol, IOperation reference)
        {
            if (symbol is ILocalSymbol { IsConst: true }) throw new AbortException();
            if (_env.TryGetValue(symbol, out var value))
            {
                if (value is null) throw new AbortException(); // not definitely assigned: a compiler error
                return value;
            }

            if (symbol is ILocalSymbol local && ScalarTypes.From(local.Type) is null)
            {
                return Placeholder(ScalarKind.Double); // its declaration was reported
            }

            ReportUnsupportedExpression(reference, "'" + symbol.Name + "'", "declare locals with a statement of their own and assign them before use");
            return Placeholder(ScalarTypes.From((symbol as ILocalSymbol)?.Type) ?? ScalarKind.Double);
        }

        private Expr LowerConversion(IConversionOperation conversion, List<Stmt> output)
        {
            var target = ScalarTypes.From(conversion.Type);
            if (conversion.OperatorMethod is not null || target is null)
            {
                ReportUnsupportedExpression(conversion, "A user-defined conversion", "convert between double, float, int and long only");
                return Placeholder(target ?? ScalarKind.Double);
            }

            var operand = LowerExpression(conversion.Operand, output);
            if (operand.Type == target.Value) return operand;
            if (!target.Value.IsFloating() && operand.Type.IsFloating() && IsActive(operand))
            {
                Report(DiagnosticDescriptors.ZeroGradient, conversion.Syntax.GetLocation(), Shorten(conversion.Syntax.ToString()));
            }

            return Convert(operand, target.Value, output);
        }

        private Expr Convert(Expr operand, ScalarKind target, List<Stmt> output)
        {
            if (operand.Type == target) return operand;
            var converted = new ConvertExpr(operand, target);
            return target.IsFloating() && operand.Type.IsFloating() && IsActive(operand) ? Hoist(converted, output) : converted;
        }

        private Expr LowerBinary(IBinaryOperation binary, List<Stmt> output)
        {
            var kind = ScalarTypes.From(binary.Type);
            if (!GenericMath.IsBuiltInOperator(binary.OperatorMethod) || MapBinary(binary.OperatorKind) is not { } op || kind is null)
            {
                ReportUnsupportedExpression(binary, "The operator in '" + Shorten(binary.Syntax.ToString()) + "'", "use the built-in arithmetic, comparison and logical operators on double, float, int, long and bool");
                return Placeholder(kind ?? ScalarKind.Double);
            }

            if (op is BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr)
            {
                var left = LowerExpression(binary.LeftOperand, output);
                return ShortCircuit(op, left, rightOutput => LowerExpression(binary.RightOperand, rightOutput), output);
            }

            var l = LowerExpression(binary.LeftOperand, output);
            var r = LowerExpression(binary.RightOperand, output);
            return Binary(op, l, r, kind.Value, output);
        }

        /// <summary><c>left &amp;&amp; right</c> or <c>left || right</c>, the right operand lowered where it runs.</summary>
        private Expr ShortCircuit(BinaryOp op, Expr left, Func<List<Stmt>, Expr> lowerRight, List<Stmt> output)
        {
            // The right operand runs only when needed: a join, since it may inline a call with effects.
            Expr right = new LitExpr("false", ScalarKind.Boolean);
            Action<List<Stmt>> lower = rightOutput => right = lowerRight(rightOutput);
            if (op == BinaryOp.ConditionalAnd) LowerJoin(left, lower, _ => { }, _source, output);
            else LowerJoin(left, _ => { }, lower, _source, output);
            if (TakeEmptyJoin(output)) return new BinaryExpr(op, left, right, ScalarKind.Boolean);

            string name = NewTemp();
            var shortCircuit = new LitExpr(op == BinaryOp.ConditionalAnd ? "false" : "true", ScalarKind.Boolean);
            AddMerge(output, op == BinaryOp.ConditionalAnd
                ? new Merge(name, ScalarKind.Boolean, false, right, shortCircuit)
                : new Merge(name, ScalarKind.Boolean, false, shortCircuit, right));
            return new VarExpr(name, ScalarKind.Boolean);
        }

        private Expr Binary(BinaryOp op, Expr left, Expr right, ScalarKind kind, List<Stmt> output)
        {
            bool arithmetic = op is BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder;
            if (!kind.IsFloating() || !arithmetic || (!IsActive(left) && !IsActive(right)))
            {
                return new BinaryExpr(op, left, right, kind);
            }

            if (op is not (BinaryOp.Add or BinaryOp.Subtract))
            {
                left = Atomize(left, output);
                right = Atomize(right, output);
            }

            return Hoist(new BinaryExpr(op, left, right, kind), output);
        }

        private Expr LowerUnary(IUnaryOperation unary, List<Stmt> output)
        {
            var kind = ScalarTypes.From(unary.Type);
            if (!GenericMath.IsBuiltInOperator(unary.OperatorMethod) || kind is null)
            {
                ReportUnsupportedExpression(unary, "A user-defined operator", "use the built-in operators");
                return Placeholder(kind ?? ScalarKind.Double);
            }

            var operand = LowerExpression(unary.Operand, output);
            switch (unary.OperatorKind)
            {
                case UnaryOperatorKind.Plus:
                    return operand;
                case UnaryOperatorKind.Minus:
                    var negated = new UnaryExpr(UnaryOp.Negate, operand, kind.Value);
                    return kind.Value.IsFloating() && IsActive(operand) ? Hoist(negated, output) : negated;
                case UnaryOperatorKind.Not:
                    return new UnaryExpr(UnaryOp.LogicalNot, operand, kind.Value);
                case UnaryOperatorKind.BitwiseNegation:
                    return new UnaryExpr(UnaryOp.BitwiseNot, operand, kind.Value);
                default:
                    ReportUnsupportedExpression(unary, "The operator in '" + Shorten(unary.Syntax.ToString()) + "'", "use the built-in arithmetic and logical operators");
                    return Placeholder(kind.Value);
            }
        }

        private Expr LowerConditional(IConditionalOperation conditional, ScalarKind kind, List<Stmt> output)
        {
            // A join like an if statement: an operand may inline a call that changes variables or declares arrays.
            var condition = LowerExpression(conditional.Condition, output);
            Expr whenTrue = Placeholder(kind);
            Expr whenFalse = Placeholder(kind);
            LowerJoin(
                condition,
                thenOutput => whenTrue = Convert(LowerExpression(conditional.WhenTrue, thenOutput), kind, thenOutput),
                elseOutput => whenFalse = conditional.WhenFalse is { } f ? Convert(LowerExpression(f, elseOutput), kind, elseOutput) : Placeholder(kind),
                _source,
                output);
            return JoinedValue(condition, whenTrue, whenFalse, kind, output);
        }

        /// <summary>The value of the join just added: <paramref name="whenTrue"/> on its then path, <paramref name="whenFalse"/> on its else path.</summary>
        private Expr JoinedValue(Expr condition, Expr whenTrue, Expr whenFalse, ScalarKind kind, List<Stmt> output)
        {
            bool active = IsActive(whenTrue) || IsActive(whenFalse);
            if (!active && TakeEmptyJoin(output)) return new ConditionalExpr(condition, whenTrue, whenFalse, kind);

            // Gradients flow through the branch taken only: the result is one more merge of the join.
            string name = NewTemp();
            if (active) _active.Add(name);
            AddMerge(output, new Merge(name, kind, active, whenTrue, whenFalse));
            return new VarExpr(name, kind);
        }

        /// <summary>Removes the join just added when its branches compute nothing and merge nothing.</summary>
        private static bool TakeEmptyJoin(List<Stmt> output)
        {
            if (output[output.Count - 1] is not IfStmt { Merges.Count: 0 } join
                || join.Then.Statements.Count > 0
                || join.Else.Statements.Count > 0)
            {
                return false;
            }

            output.RemoveAt(output.Count - 1);
            return true;
        }

        private static void AddMerge(List<Stmt> output, Merge merge)
        {
            var join = (IfStmt)output[output.Count - 1];
            output[output.Count - 1] = join with { Merges = join.Merges.Append(merge).ToEquatableArray() };
        }

        // ---- helpers ----------------------------------------------------------------------------

        private bool IsActive(Expr value) => value is VarExpr v && _active.Contains(v.Name);

        private static bool IsAtomic(Expr value) => value switch
        {
            VarExpr or LitExpr or LengthExpr => true,
            ElementExpr { Index: VarExpr or LitExpr } => true,
            ConvertExpr { Operand: VarExpr or LitExpr } c => !c.Operand.Type.IsFloating(),
            _ => false,
        };

        private Expr Atomize(Expr value, List<Stmt> output)
        {
            if (IsAtomic(value)) return value;
            string name = NewTemp();
            Add(output, new LetStmt(name, value, false, _source));
            return new VarExpr(name, value.Type);
        }

        private Expr Hoist(Expr operation, List<Stmt> output)
        {
            string name = NewTemp();
            _active.Add(name);
            Add(output, new LetStmt(name, operation, true, _source));
            return new VarExpr(name, operation.Type);
        }

        private string NewTemp()
        {
            string name = _names.FreshNumbered("t", ref _tempCounter);
            _temps.Add(name);
            return name;
        }

        private void Add(List<Stmt> output, Stmt statement)
        {
            if (++_statementCount > StatementBudget)
            {
                Report(
                    DiagnosticDescriptors.UnsupportedStatement,
                    _methodLocation,
                    "A method this large",
                    "it lowers to more than " + StatementBudget.ToString(System.Globalization.CultureInfo.InvariantCulture) + " operations; split the computation into smaller methods");
                throw new AbortException();
            }

            RecordInteger(statement);
            output.Add(statement);
        }

        private Dictionary<object, VarExpr?> CopyEnv() => new(_env, KeyComparer.Instance);

        private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());

        private static LitExpr Placeholder(ScalarKind kind) =>
            new(ScalarTypes.FormatConstant(kind == ScalarKind.Boolean ? (object)false : 0, kind) ?? "0.0", kind);

        private static bool IsPlainBlock(IBlockOperation block) =>
            block.Syntax is BlockSyntax
            {
                Parent: BlockSyntax or MethodDeclarationSyntax or IfStatementSyntax or ElseClauseSyntax or ArrowExpressionClauseSyntax
                    or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax or SwitchSectionSyntax or null,
            }
            || block.Syntax is ArrowExpressionClauseSyntax
            || block.IsImplicit;

        private static bool ContainsReturn(IOperation operation) =>
            operation.Descendants().Any(d => d is IReturnOperation);

        private static BinaryOp? MapBinary(BinaryOperatorKind kind) => kind switch
        {
            BinaryOperatorKind.Add => BinaryOp.Add,
            BinaryOperatorKind.Subtract => BinaryOp.Subtract,
            BinaryOperatorKind.Multiply => BinaryOp.Multiply,
            BinaryOperatorKind.Divide => BinaryOp.Divide,
            BinaryOperatorKind.Remainder => BinaryOp.Remainder,
            BinaryOperatorKind.Equals => BinaryOp.Equal,
            BinaryOperatorKind.NotEquals => BinaryOp.NotEqual,
            BinaryOperatorKind.LessThan => BinaryOp.LessThan,
            BinaryOperatorKind.LessThanOrEqual => BinaryOp.LessThanOrEqual,
            BinaryOperatorKind.GreaterThan => BinaryOp.GreaterThan,
            BinaryOperatorKind.GreaterThanOrEqual => BinaryOp.GreaterThanOrEqual,
            BinaryOperatorKind.ConditionalAnd => BinaryOp.ConditionalAnd,
            BinaryOperatorKind.ConditionalOr => BinaryOp.ConditionalOr,
            BinaryOperatorKind.And => BinaryOp.And,
            BinaryOperatorKind.Or => BinaryOp.Or,
            BinaryOperatorKind.ExclusiveOr => BinaryOp.ExclusiveOr,
            BinaryOperatorKind.LeftShift => BinaryOp.LeftShift,
            BinaryOperatorKind.RightShift => BinaryOp.RightShift,
            _ => null,
        };

        private static string? WellKnownConstant(IOperation operation)
        {
            if (operation is not IFieldReferenceOperation { Field: { IsConst: true } field }) return null;
            switch (field.ContainingType?.SpecialType)
            {
                case SpecialType.System_Double:
                    return "double." + field.Name;
                case SpecialType.System_Single:
                    return "float." + field.Name;
                case SpecialType.System_Int32:
                    return "int." + field.Name;
                case SpecialType.System_Int64:
                    return "long." + field.Name;
            }

            string? containing = field.ContainingType?.ToDisplayString();
            return containing is "System.Math" or "System.MathF" ? "global::" + containing + "." + field.Name : null;
        }

        private static string QualifiedName(ISymbol member) =>
            GenericMath.IsInterfaceMember(member) ? GenericMath.Marker + "." + Identifiers.Escape(member.Name) : member.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Identifiers.Escape(member.Name);

        private SourceInfo SourceOf(SyntaxNode syntax)
        {
            // Inlined statements are shown under the statement that calls them.
            if (_inline is { } frame) return frame.Source;
            var line = syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            string text = syntax switch
            {
                IfStatementSyntax ifStatement => "if (" + ifStatement.Condition + ")",
                SwitchStatementSyntax switchStatement => "switch (" + switchStatement.Expression + ")",
                ArrowExpressionClauseSyntax arrow => "=> " + arrow.Expression,
                _ when syntax.Parent is ArrowExpressionClauseSyntax arrow => "=> " + arrow.Expression,
                _ => syntax.ToString(),
            };
            return new SourceInfo(line, Shorten(text));
        }

        /// <summary>The text on one line, white space collapsed, at most 100 characters.</summary>
        internal static string Shorten(string text)
        {
            var builder = new StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    space = builder.Length > 0;
                    continue;
                }

                if (space) builder.Append(' ');
                space = false;
                builder.Append(c);
            }

            return builder.Length > 100 ? builder.ToString(0, 97) + "..." : builder.ToString();
        }

        private static Location StatementLocation(SyntaxNode syntax)
        {
            // Past any attributes, so that `[A] double G() => ...` is reported at `double`, not at `[`.
            var first = syntax is StatementSyntax { AttributeLists.Count: > 0 } attributed
                ? attributed.AttributeLists[attributed.AttributeLists.Count - 1].GetLastToken().GetNextToken()
                : syntax.GetFirstToken();
            return syntax is StatementSyntax && first.Span.Length > 0 ? first.GetLocation() : syntax.GetLocation();
        }

        private void Report(DiagnosticDescriptor descriptor, Location location, params object[] args)
        {
            // Inside Diff.StopGradient(…) a missing or zero gradient is what the user asked for.
            if (_stopGradientDepth > 0 && descriptor.Id is DiagnosticDescriptors.NoDerivativeId or DiagnosticDescriptors.ZeroGradientId) return;

            if (_inline is null)
            {
                _diagnostics.Add(Diagnostic.Create(descriptor, location, args));
                return;
            }

            // Inside an inlined method: report at the outermost call, which is in the method being differentiated.
            var outermost = _inline;
            var chain = new List<string>();
            for (var frame = _inline; frame is not null; frame = frame.Parent)
            {
                chain.Insert(0, frame.Callee.Name);
                outermost = frame;
            }

            var inner = new[] { location };
            if (descriptor.DefaultSeverity != DiagnosticSeverity.Error)
            {
                _diagnostics.Add(Diagnostic.Create(descriptor, outermost.CallSite, inner, args));
                return;
            }

            string message;
            if (descriptor.Id == DiagnosticDescriptors.CalleeNotDifferentiableId && args.Length == 2)
            {
                // Already about a call: name it in the chain rather than wrap the message twice.
                if (!Equals(args[0], chain[chain.Count - 1])) chain.Add((string)args[0]);
                message = (string)args[1];
            }
            else
            {
                message = descriptor.Id + ": " + Diagnostic.Create(descriptor, location, args).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            }

            _diagnostics.Add(Diagnostic.Create(
                DiagnosticDescriptors.CalleeNotDifferentiable,
                outermost.CallSite,
                inner,
                string.Join(" → ", chain),
                message));
        }

        private void ReportUnsupportedExpression(IOperation operation, string what, string hint)
        {
            if (UsesReportedLocal(operation)) return;
            Report(DiagnosticDescriptors.UnsupportedExpression, operation.Syntax.GetLocation(), what, hint);
        }

        /// <summary>
        /// Whether <paramref name="operation"/> uses a local whose declaration was already reported (AG0009): one
        /// diagnostic per construct, not one more per use of it (<c>l.Add(x)</c>, <c>l[0]</c>, <c>l.Count</c>).
        /// </summary>
        private bool UsesReportedLocal(IOperation operation) =>
            _reportedLocals.Count > 0
            && operation.DescendantsAndSelf().Any(d => d is ILocalReferenceOperation local && _reportedLocals.Contains(local.Local));

        /// <summary>A variable of the lowering's own (the early-return flag and value), compared by reference.</summary>
        private sealed class SyntheticVariable
        {
            public SyntheticVariable(string name) => Name = name;

            public string Name { get; }
        }

        /// <summary>Symbols compare as symbols; synthetic variables by reference.</summary>
        private sealed class KeyComparer : IEqualityComparer<object>
        {
            public static readonly KeyComparer Instance = new();

            public new bool Equals(object? x, object? y) =>
                x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : ReferenceEquals(x, y);

            public int GetHashCode(object obj) =>
                obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }

        private sealed class AbortException : Exception
        {
        }
    }
}
