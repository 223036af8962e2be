using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Tuples. The IR holds no tuples: a tuple value is its leaves (its scalar elements, nested tuples flattened,
    /// left to right), each an ordinary IR value. A deconstruction assigns the leaves to its targets after every
    /// value is computed (so <c>(a, b) = (b, a)</c> swaps); a tuple local is one variable per leaf, which joins
    /// and loops merge and carry like any local; <c>Math.SinCos(x)</c> is <c>(Math.Sin(x), Math.Cos(x))</c>;
    /// <c>Math.DivRem(a, b)</c> is <c>(a / b, a % b)</c>; and a helper returning a tuple is inlined with one
    /// result per leaf.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>The variables that hold a tuple local's leaves.</summary>
        private readonly Dictionary<ILocalSymbol, SyntheticVariable[]> _tupleLocals = new(SymbolEqualityComparer.Default);

        /// <summary>The tuple local each leaf variable belongs to (a loop that assigns the local carries its leaves).</summary>
        private readonly Dictionary<SyntheticVariable, ILocalSymbol> _tupleLeafOwners = new();

        /// <summary>The scalar types of a tuple type's leaves, or null when a leaf is not a scalar (or it is no tuple).</summary>
        private static List<ScalarKind>? TupleLeaves(ITypeSymbol? type)
        {
            if (type is not INamedTypeSymbol { IsTupleType: true } tuple) return null;
            var leaves = new List<ScalarKind>();
            foreach (var element in tuple.TupleElements)
            {
                if (element.Type is INamedTypeSymbol { IsTupleType: true })
                {
                    if (TupleLeaves(element.Type) is not { } nested) return null;
                    leaves.AddRange(nested);
                }
                else if (ScalarTypes.From(element.Type) is { } kind)
                {
                    leaves.Add(kind);
                }
                else
                {
                    return null;
                }
            }

            return leaves;
        }

        private static bool IsTuple(ITypeSymbol? type) => type is INamedTypeSymbol { IsTupleType: true };

        /// <summary>Declares a local of a tuple type: one variable per leaf, unassigned.</summary>
        private SyntheticVariable[] DeclareTupleLocal(ILocalSymbol local, List<ScalarKind> leaves)
        {
            var tuple = (INamedTypeSymbol)local.Type;
            var names = LeafNames(tuple, local.Name).ToList();
            var slots = new SyntheticVariable[leaves.Count];
            for (int i = 0; i < slots.Length; i++)
            {
                slots[i] = new SyntheticVariable(names[i]);
                _tupleLeafOwners[slots[i]] = local;
                _symbolOrder.Add(slots[i]);
                _env[slots[i]] = null;
            }

            _tupleLocals[local] = slots;
            return slots;
        }

        /// <summary><c>sc_Sin</c>, <c>t_Item1</c>, …: readable names for a tuple local's leaves.</summary>
        private static IEnumerable<string> LeafNames(INamedTypeSymbol tuple, string prefix)
        {
            foreach (var element in tuple.TupleElements)
            {
                string name = prefix + "_" + element.Name;
                if (element.Type is INamedTypeSymbol { IsTupleType: true } nested)
                {
                    foreach (var inner in LeafNames(nested, name)) yield return inner;
                }
                else
                {
                    yield return name;
                }
            }
        }

        /// <summary><c>var t = (x, y);</c> or <c>(double Sin, double Cos) sc = Math.SinCos(x);</c>.</summary>
        private void LowerTupleDeclarator(IVariableDeclaratorOperation declarator, ILocalSymbol local, List<ScalarKind> leaves, List<Stmt> output)
        {
            var slots = DeclareTupleLocal(local, leaves);
            var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
            if (initializer?.Value is not { } value) return;
            if (LowerTuple(value, output) is not { } values) return;
            AssignLeaves(slots, leaves, values, output);
        }

        private void AssignLeaves(SyntheticVariable[] slots, List<ScalarKind> leaves, List<Expr> values, List<Stmt> output)
        {
            if (values.Count != slots.Length) throw new AbortException();
            for (int i = 0; i < slots.Length; i++) Define(slots[i], leaves[i], values[i], output);
        }

        /// <summary>
        /// The leaves of a tuple-typed expression, lowered left to right; null when it is a tuple the lowering cannot
        /// follow (reported).
        /// </summary>
        private List<Expr>? LowerTuple(IOperation operation, List<Stmt> output)
        {
            switch (operation)
            {
                case IParenthesizedOperation parenthesized:
                    return LowerTuple(parenthesized.Operand, output);

                case ITupleOperation tuple:
                {
                    var values = new List<Expr>();
                    foreach (var element in tuple.Elements)
                    {
                        if (IsTuple(element.Type))
                        {
                            if (LowerTuple(element, output) is not { } nested) return null;
                            values.AddRange(nested);
                        }
                        else
                        {
                            values.Add(LowerExpression(element, output));
                        }
                    }

                    return values;
                }

                case IConversionOperation { OperatorMethod: null } conversion when TupleLeaves(conversion.Type) is { } kinds:
                {
                    // `(double, double) p = (x, 1);`: the literal's leaves converted to the target's.
                    if (LowerTuple(conversion.Operand, output) is not { } values) return null;
                    if (values.Count != kinds.Count) throw new AbortException();
                    return values.Select((v, i) => Convert(v, kinds[i], output)).ToList();
                }

                case ILocalReferenceOperation local when _tupleLocals.TryGetValue(local.Local, out var slots):
                    return slots.Select(s => (Expr)(_env[s] ?? throw new AbortException())).ToList();

                case IFieldReferenceOperation { Instance: { } instance } field when IsTuple(instance.Type) && TupleLeaves(field.Type) is not null:
                {
                    // A nested tuple element: its slice of the parent's leaves.
                    if (LowerTuple(instance, output) is not { } values) return null;
                    var (offset, count) = LeafRange((INamedTypeSymbol)instance.Type!, field.Field);
                    return values.GetRange(offset, count);
                }

                case IConditionalOperation { WhenFalse: { } otherwise } conditional when TupleLeaves(conditional.Type) is { } kinds:
                {
                    // `flip ? (y, x) : (x, y)`: a join whose every leaf is one merge (the gradient flows through the branch taken).
                    var condition = LowerExpression(conditional.Condition, output);
                    List<Expr>? whenTrue = null, whenFalse = null;
                    LowerJoin(
                        condition,
                        thenOutput => whenTrue = LowerTuple(conditional.WhenTrue, thenOutput)?.Select((v, i) => Convert(v, kinds[i], thenOutput)).ToList(),
                        elseOutput => whenFalse = LowerTuple(otherwise, elseOutput)?.Select((v, i) => Convert(v, kinds[i], elseOutput)).ToList(),
                        _source,
                        output);
                    if (whenTrue is null || whenFalse is null) return null;
                    if (whenTrue.Count != kinds.Count || whenFalse.Count != kinds.Count) throw new AbortException();
                    var merged = new List<Expr>();
                    for (int i = 0; i < kinds.Count; i++)
                    {
                        string name = NewTemp();
                        bool active = IsActive(whenTrue[i]) || IsActive(whenFalse[i]);
                        if (active) _active.Add(name);
                        AddMerge(output, new Merge(name, kinds[i], active, whenTrue[i], whenFalse[i]));
                        merged.Add(new VarExpr(name, kinds[i]));
                    }

                    return merged;
                }

                case IInvocationOperation call when IsSinCos(call) && ScalarTypes.From(call.Arguments[0].Value.Type) is { } kind:
                {
                    var angle = Atomize(LowerExpression(call.Arguments[0].Value, output), output);
                    var mathClass = kind == ScalarKind.Float ? MathClass.MathF : MathClass.Math;
                    return new List<Expr>
                    {
                        MathCall(MathFunction.Sin, mathClass, angle, kind, output),
                        MathCall(MathFunction.Cos, mathClass, angle, kind, output),
                    };
                }

                case IInvocationOperation { TargetMethod: { Name: "DivRem", Parameters.Length: 2 } divRem } call
                    when MathFunctions.BuiltinClass(divRem.ContainingType) == MathClass.Math && ScalarTypes.From(divRem.Parameters[0].Type) is ScalarKind.Int32 or ScalarKind.Int64:
                {
                    var kind = ScalarTypes.From(divRem.Parameters[0].Type)!.Value;
                    var left = Atomize(Convert(LowerExpression(call.Arguments[0].Value, output), kind, output), output);
                    var right = Atomize(Convert(LowerExpression(call.Arguments[1].Value, output), kind, output), output);
                    return new List<Expr>
                    {
                        new BinaryExpr(BinaryOp.Divide, left, right, kind),
                        new BinaryExpr(BinaryOp.Remainder, left, right, kind),
                    };
                }

                case IInvocationOperation call when TupleLeaves(call.Type) is { } kinds:
                    return LowerTupleCall(call, kinds, output);

                case IFieldReferenceOperation { Field.IsStatic: true } table when TupleLeaves(table.Type) is { } kinds:
                {
                    // `static readonly (double, double) Origin = (1, 2);`: a constant per leaf, read as Origin.Item1, ….
                    CheckAccessible(table.Field, table);
                    var paths = new List<string>();
                    LeafPaths((INamedTypeSymbol)table.Type!, QualifiedName(table.Field), paths);
                    return paths.Select((path, i) => (Expr)new LitExpr(path, kinds[i])).ToList();
                }

                case var deconstructed when StructOf(deconstructed) is { } view:
                    return DeconstructStruct(deconstructed, view);

                case IInvalidOperation:
                    throw new AbortException();

                default:
                    ReportUnsupportedExpression(
                        operation,
                        "The tuple '" + Shorten(operation.Syntax.ToString()) + "'",
                        "build tuples from values ((a, b)), tuple locals, Math.SinCos, Math.DivRem, or static helpers whose source is in this compilation");
                    return null;
            }
        }

        private Expr MathCall(MathFunction function, MathClass mathClass, Expr argument, ScalarKind kind, List<Stmt> output)
        {
            var call = new MathCallExpr(function, mathClass, EquatableArray.Create(argument), kind);
            return IsActive(argument) ? Hoist(call, output) : call;
        }

        /// <summary>The position and number of the leaves of <paramref name="field"/> within its tuple's leaves.</summary>
        /// <summary>The C# text that reads each leaf of a tuple held in <paramref name="prefix"/>, in leaf order.</summary>
        private static void LeafPaths(INamedTypeSymbol tuple, string prefix, List<string> paths)
        {
            foreach (var element in tuple.TupleElements)
            {
                string path = prefix + "." + (element.CorrespondingTupleField ?? element).Name;
                if (element.Type is INamedTypeSymbol { IsTupleType: true } nested) LeafPaths(nested, path, paths);
                else paths.Add(path);
            }
        }

        private static (int Offset, int Count) LeafRange(INamedTypeSymbol tuple, IFieldSymbol field)
        {
            int offset = 0;
            var target = field.CorrespondingTupleField ?? field;
            foreach (var element in tuple.TupleElements)
            {
                int count = TupleLeaves(element.Type)?.Count ?? 1;
                if (SymbolEqualityComparer.Default.Equals(element.CorrespondingTupleField ?? element, target)) return (offset, count);
                offset += count;
            }

            throw new AbortException();
        }

        /// <summary>A scalar element of a tuple: <c>sc.Sin</c>, <c>t.Item2</c>, <c>Math.SinCos(x).Cos</c>.</summary>
        private Expr? LowerTupleElement(IFieldReferenceOperation field, List<Stmt> output)
        {
            if (field.Instance is not { } instance || !IsTuple(instance.Type) || TupleLeaves(instance.Type) is null) return null;
            if (LowerTuple(instance, output) is not { } values) return Placeholder(ScalarTypes.From(field.Type) ?? ScalarKind.Double);
            var (offset, _) = LeafRange((INamedTypeSymbol)instance.Type!, field.Field);
            return values[offset];
        }

        /// <summary>
        /// A call of a static helper that returns a tuple: inlined, each of its returns defining one result per leaf.
        /// Anything else that returns a tuple is reported.
        /// </summary>
        private List<Expr>? LowerTupleCall(IInvocationOperation call, List<ScalarKind> kinds, List<Stmt> output)
        {
            var method = call.TargetMethod;
            bool recursive = _callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition));
            if (!HasInlinableBody(call) || recursive)
            {
                ReportUnsupportedExpression(
                    call,
                    "Calling '" + method.Name + "', which returns a tuple,",
                    "a method that returns a tuple is followed when it is a static, non-recursive helper whose source is in this compilation");
                return null;
            }

            if (LowerArguments(call, method, output) is not { } args) return null;
            var values = new List<Expr>();
            Inline(call, method, null, args, output, (kinds, values));
            return values;
        }

        /// <summary>A return in a helper that returns a tuple: defines the call's results.</summary>
        private void LowerTupleReturn(IReturnOperation ret, InlineFrame frame, List<Stmt> output)
        {
            if (_flags is not null || _loopDepth > 0)
            {
                ReportUnsupportedExpression(
                    ret,
                    "Returning a tuple from inside a loop, or after an if whose branches may both go on,",
                    "keep the results in locals and return the tuple at the end of the helper");
                throw new AbortException();
            }

            if (LowerTuple(ret.ReturnedValue!, output) is not { } values) throw new AbortException();
            AssignLeaves(frame.TupleResults!, frame.TupleKinds!, values, output);
        }

        /// <summary>
        /// <c>var (s, c) = Math.SinCos(x);</c>, <c>(a, b) = (b, a + b);</c>, <c>(v[i], v[j]) = (v[j], v[i]);</c>: every
        /// value first, then the targets left to right.
        /// </summary>
        private void LowerDeconstruction(IDeconstructionAssignmentOperation deconstruction, List<Stmt> output)
        {
            var targets = new List<IOperation>();
            FlattenTargets(deconstruction.Target, targets);

            // Elements of local arrays: their indices are evaluated before the values, as C# does.
            var elements = new Dictionary<IOperation, (ArrayView Array, Expr Index)>();
            foreach (var target in targets)
            {
                if (LocalElement(target, output) is { } element) elements[target] = element;
            }

            var values = LowerTuple(deconstruction.Value, output);
            int position = 0;
            foreach (var target in targets)
            {
                int count = IsTuple(target.Type) ? TupleLeaves(target.Type)?.Count ?? 1 : 1;
                if (values is not null && position + count > values.Count) throw new AbortException();
                var slice = values?.GetRange(position, count);
                position += count;
                if (elements.Count > 0 && slice is not null)
                {
                    // A value read from an array must be read before any element is written (reads of local arrays are
                    // hoisted into variables today, so this only guards against an element read left as an expression).
                    for (int i = 0; i < slice.Count; i++) slice[i] = Copy(slice[i], output);
                }

                AssignTarget(target, slice, elements, output);
            }
        }

        private static void FlattenTargets(IOperation target, List<IOperation> targets)
        {
            switch (target)
            {
                case IDeclarationExpressionOperation declaration:
                    FlattenTargets(declaration.Expression, targets);
                    break;
                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements) FlattenTargets(element, targets);
                    break;
                default:
                    targets.Add(target);
                    break;
            }
        }

        /// <summary>Assigns one deconstruction target; <paramref name="values"/> is null after an error (the local still gets a value).</summary>
        private void AssignTarget(
            IOperation target,
            List<Expr>? values,
            Dictionary<IOperation, (ArrayView Array, Expr Index)>? elements,
            List<Stmt> output)
        {
            switch (target)
            {
                case IDiscardOperation:
                    return;

                case ILocalReferenceOperation { Local: var local } when TupleLeaves(local.Type) is { } leaves:
                {
                    var slots = _tupleLocals.TryGetValue(local, out var known) ? known : DeclareTupleLocal(local, leaves);
                    AssignLeaves(slots, leaves, values ?? leaves.Select(k => (Expr)Placeholder(k)).ToList(), output);
                    return;
                }

                case ILocalReferenceOperation { Local: { IsRef: false } local } when ScalarTypes.From(local.Type) is { } kind && !_env.ContainsKey(local):
                    _symbolOrder.Add(local);
                    _env[local] = null;
                    Define(local, kind, values?[0] ?? Placeholder(kind), output);
                    return;
            }

            if (values is null) return;
            if (elements is not null && elements.TryGetValue(target, out var element))
            {
                Store(element.Array, element.Index, values[0], output);
                return;
            }

            if (target is IFieldReferenceOperation field && TupleLeaf(field) is { } leaf)
            {
                // `(t.a, t.b) = (t.b, t.a)`: an element of a tuple local.
                Define(leaf.Slot, leaf.Kind, values[0], output);
                return;
            }

            if (TryGetAssignable(target, out var symbol, out var targetKind)) Define(symbol, targetKind, values[0], output);
        }

        /// <summary>
        /// <c>t = (t.b, t.a);</c>, <c>t.a = v;</c> and <c>t.a += v;</c> on a tuple local; false when the assignment is
        /// not to a tuple local.
        /// </summary>
        private bool LowerTupleAssignment(IOperation operation, List<Stmt> output)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } } whole
                    when _tupleLocals.TryGetValue(local, out var slots) && TupleLeaves(local.Type) is { } leaves:
                    if (LowerTuple(whole.Value, output) is { } values) AssignLeaves(slots, leaves, values, output);
                    return true;

                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } simple when TupleLeaf(field) is { } leaf:
                    Define(leaf.Slot, leaf.Kind, LowerExpression(simple.Value, output), output);
                    return true;

                case ICompoundAssignmentOperation { Target: IFieldReferenceOperation field, OperatorMethod: null } compound
                    when TupleLeaf(field) is { } leaf && MapBinary(compound.OperatorKind) is { } op:
                {
                    var right = LowerExpression(compound.Value, output);
                    var current = _env[leaf.Slot] ?? throw new AbortException();
                    var result = Binary(op, Convert(current, right.Type, output), right, right.Type, output);
                    Define(leaf.Slot, leaf.Kind, result, output);
                    return true;
                }

                default:
                    return false;
            }
        }

        /// <summary>The variable of a scalar element of a tuple local (<c>t.a</c>, <c>t.Item2.x</c>), or null.</summary>
        private (SyntheticVariable Slot, ScalarKind Kind)? TupleLeaf(IFieldReferenceOperation field)
        {
            if (ScalarTypes.From(field.Type) is not { } kind) return null;
            int offset = 0;
            IOperation current = field;
            while (current is IFieldReferenceOperation { Instance: { Type: INamedTypeSymbol { IsTupleType: true } tuple } instance } element)
            {
                if (TupleLeaves(tuple) is null) return null;
                offset += LeafRange(tuple, element.Field).Offset;
                current = instance;
            }

            return current is ILocalReferenceOperation { Local: var local } && _tupleLocals.TryGetValue(local, out var slots) && offset < slots.Length
                ? (slots[offset], kind)
                : null;
        }

        /// <summary><c>Math.DivRem(a, b, out int r)</c> on integers: the quotient, with <c>r = a % b</c>.</summary>
        private static bool IsDivRemWithOut(IMethodSymbol method) =>
            method is { Name: "DivRem", Parameters.Length: 3 }
            && method.Parameters[2].RefKind == RefKind.Out
            && MathFunctions.BuiltinClass(method.ContainingType) == MathClass.Math;

        private Expr LowerDivRemWithOut(IInvocationOperation call, ScalarKind kind, List<Stmt> output)
        {
            var arguments = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
            var left = Atomize(Convert(LowerExpression(arguments[0].Value, output), kind, output), output);
            var right = Atomize(Convert(LowerExpression(arguments[1].Value, output), kind, output), output);
            var remainder = new BinaryExpr(BinaryOp.Remainder, left, right, kind);
            var targets = new List<IOperation>();
            FlattenTargets(arguments[2].Value, targets);
            AssignTarget(targets[0], new List<Expr> { remainder }, null, output);
            return new BinaryExpr(BinaryOp.Divide, left, right, kind);
        }

        /// <summary>The value in a fresh variable unless it is one already (or a literal).</summary>
        private Expr Copy(Expr value, List<Stmt> output)
        {
            if (value is VarExpr or LitExpr) return value;
            string name = NewTemp();
            bool active = IsActive(value);
            if (active) _active.Add(name);
            Add(output, new LetStmt(name, value, active, _source));
            return new VarExpr(name, value.Type);
        }
    }
}
