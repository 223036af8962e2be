using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Calls of user methods. The derivative registry says how each call is differentiated: a method whose
    /// source is in the compilation is inlined (its body is lowered in place of the call, with its parameters
    /// bound to the arguments), so the generated code is as fast as the same model written in one method; a
    /// recursive call, a [Differentiable] method of another assembly and a method with a [DerivativeOf]
    /// derivative become a <see cref="PullbackCallExpr"/>, whose reverse pass calls the Backward-shaped method.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>The method being differentiated and the methods being inlined into it, outermost first.</summary>
        private readonly List<IMethodSymbol> _callStack = new();

        /// <summary>The IR names of the method's local arrays (declared in it or in a callee inlined into it).</summary>
        private readonly HashSet<string> _localArrayNames = new(System.StringComparer.Ordinal);

        /// <summary>Parameters of inlined methods bound to a local array of the caller: their elements may be written.</summary>
        private readonly HashSet<ISymbol> _writableArrays = new(SymbolEqualityComparer.Default);

        private InlineFrame? _inline;

        /// <summary>The [DerivativeOf] methods this body's calls use.</summary>
        public List<IMethodSymbol> CustomDerivatives { get; } = new();
        private INamedTypeSymbol? _callerType;

        /// <summary>Loops around the call being inlined (inside the inlined body, <see cref="_loopDepth"/> counts its own loops).</summary>
        private int _outerLoopDepth;

        /// <summary>One argument of a call: a scalar value, a whole array or span, or a struct (its members).</summary>
        private readonly struct Argument
        {
            public Argument(IParameterSymbol parameter, Expr? scalar, ArrayView? array, StructView? structView = null)
            {
                Parameter = parameter;
                Scalar = scalar;
                Array = array;
                Struct = structView;
            }

            /// <summary>For a struct argument, the members it names (bound to the callee's parameter when inlined).</summary>
            public StructView? Struct { get; }

            public IParameterSymbol Parameter { get; }

            public Expr? Scalar { get; }

            public ArrayView? Array { get; }

            public Expr Value => Scalar ?? new ArrayRefExpr(Array!.Value.Name, Array.Value.Element);
        }

        /// <summary>A method whose body is being lowered in place of a call.</summary>
        private sealed class InlineFrame
        {
            public InlineFrame(IMethodSymbol callee, Location callSite, SourceInfo source, InlineFrame? parent, bool isVoid, List<ScalarKind>? tupleKinds = null)
            {
                IsVoid = isVoid;
                if (tupleKinds is not null)
                {
                    TupleKinds = tupleKinds;
                    string stem = ResultStem(callee.Name);
                    TupleResults = tupleKinds.Select((_, i) => new SyntheticVariable(stem + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
                }

                Callee = callee;
                CallSite = callSite;
                Source = source;
                Parent = parent;
                Result = new SyntheticVariable(ResultStem(callee.Name));
            }

            public IMethodSymbol Callee { get; }

            /// <summary>A void method: its returns only end it, and falling off its end is fine.</summary>
            public bool IsVoid { get; }

            public Location CallSite { get; }

            /// <summary>The calling statement: the inlined statements are shown under it.</summary>
            public SourceInfo Source { get; }

            public InlineFrame? Parent { get; }

            /// <summary>The variable each return of the body defines.</summary>
            public SyntheticVariable Result { get; }

            /// <summary>For a method that returns a tuple: the variables each return defines, one per leaf.</summary>
            public SyntheticVariable[]? TupleResults { get; }

            /// <summary>The types of <see cref="TupleResults"/>.</summary>
            public List<ScalarKind>? TupleKinds { get; }
        }

        private Expr LowerInvocation(IInvocationOperation invocation, List<Stmt> output)
        {
            var method = invocation.TargetMethod;
            var kind = ScalarTypes.From(method.ReturnType);
            bool localFunction = method.MethodKind == MethodKind.LocalFunction;
            if (invocation.Instance is not null || !(method.IsStatic || localFunction))
            {
                if (method.MethodKind == MethodKind.DelegateInvoke)
                {
                    ReportUnsupportedExpression(invocation, "Calling a delegate", "the generator cannot see which method a delegate runs; call the method directly");
                }
                else if (invocation.Instance?.Type is { IsValueType: true } structType && StructOf(invocation.Instance) is not null)
                {
                    // `v.Length()` on a struct parameter: its members are what the method can read.
                    ReportUnsupportedExpression(
                        invocation,
                        "Calling method '" + method.Name + "' of the struct '" + structType.Name + "'",
                        "the method reads a struct parameter's members, not its methods; compute with the members instead (for example v.X * v.X + v.Y * v.Y)");
                }
                else
                {
                    ReportUnsupportedExpression(invocation, "Calling instance method '" + method.Name + "'", "the generator cannot see which method an instance call runs; call a static method or a local function");
                }

                return Placeholder(kind ?? ScalarKind.Double);
            }

            if (GenericMath.IsInterfaceMember(method)) return LowerGenericMathCall(invocation, output);
            if ((method.IsGenericMethod && !IsCallOverTypeParameter(method)) || kind is null || method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                ReportUnsupportedExpression(invocation, "Calling '" + method.Name + "'", "call static methods that take and return double, float, int, long or bool (a generic one only with the method's own floating-point type parameter)");
                return Placeholder(kind ?? ScalarKind.Double);
            }

            if (IsStopGradient(method)) return LowerStopGradient(invocation, output);
            if (IsDivRemWithOut(method) && !kind.Value.IsFloating()) return LowerDivRemWithOut(invocation, kind.Value, output);
            if (LowerArguments(invocation, method, output) is not { } args) return Placeholder(kind.Value);
            if (args.Any(IsStructArgument)) return LowerStructCall(invocation, method, kind.Value, args, output);

            bool anyActive = args.Any(a => a.Array is { Active: true } || (a.Scalar is { } s && IsActive(s)));
            bool recursive = _callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition));

            // The registry decides for calls on active values (a custom derivative wins over everything). A local
            // function does not exist in the generated method, so every call of one is inlined; a built-in is
            // lowered as one even on constants (double.Exp is emitted as Math.Exp).
            var derivative = anyActive || localFunction
                ? DerivativeRegistry.For(_semanticModel.Compilation).Resolve(method, recursive, _semanticModel.Compilation, _cancellationToken)
                : MathFunctions.BuiltinClass(method.ContainingType) is not null ? CalleeDerivative.BuiltInKnown : CalleeDerivative.NoneKnown;
            if (localFunction && derivative.Kind != CalleeKind.Inline)
            {
                Report(
                    DiagnosticDescriptors.CalleeNotDifferentiable,
                    invocation.Syntax.GetLocation(),
                    method.Name,
                    "a local function that calls itself cannot be followed; make it a static method of the type marked [Differentiable]");
                return Placeholder(kind.Value);
            }

            switch (derivative.Kind)
            {
                case CalleeKind.BuiltIn:
                    return LowerBuiltin(invocation, method, kind.Value, args.Select(a => a.Scalar!).ToList(), anyActive, output);
                case CalleeKind.Inline:
                    return Inline(invocation, method, kind.Value, args, output)!;
                case CalleeKind.Pullback:
                    return Pullback(invocation, method, derivative, kind.Value, args, output);
            }

            if (anyActive)
            {
                if (recursive && DerivativeRegistry.SourceOf(method, _cancellationToken) is not null)
                {
                    Report(
                        DiagnosticDescriptors.CalleeNotDifferentiable,
                        invocation.Syntax.GetLocation(),
                        method.Name,
                        "it calls itself, directly or through other methods; mark '" + method.Name + "' [Differentiable] so that the recursion can call its generated Backward");
                }
                else if (kind.Value.IsFloating())
                {
                    Report(DiagnosticDescriptors.NoDerivative, invocation.Syntax.GetLocation(), (method.ContainingType?.Name ?? string.Empty) + "." + method.Name);
                }
                else if (kind.Value != ScalarKind.Boolean)
                {
                    Report(DiagnosticDescriptors.ZeroGradient, invocation.Syntax.GetLocation(), Shorten(invocation.Syntax.ToString()));
                }
            }

            CheckAccessible(method, invocation);
            if (ReportPartialArrayArgument(invocation, method, args)) return Placeholder(kind.Value);
            return new CallExpr(QualifiedName(method), args.Select(a => a.Value).ToEquatableArray(), kind.Value);
        }

        /// <summary>The arguments in parameter order, lowered in the caller; null when one cannot be passed (reported).</summary>
        private List<Argument>? LowerArguments(IInvocationOperation invocation, IMethodSymbol method, List<Stmt> output)
        {
            // Lowered in evaluation order (as written, named arguments included): an inlined argument may
            // write a local array another argument reads. Bound in parameter order below.
            var args = new List<Argument>();
            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter is null || argument.Parameter.RefKind != RefKind.None)
                {
                    ReportUnsupportedExpression(invocation, "Calling '" + method.Name + "' with ref, out or params arguments", "call methods that take their arguments by value");
                    return null;
                }

                if (TryStructArgument(argument, out var structView) is { } followed)
                {
                    if (!followed) return null;
                    args.Add(new Argument(argument.Parameter, null, null, structView));
                    continue;
                }

                var (_, shape) = ScalarTypes.FromParameter(argument.Parameter.Type);
                if (shape == ArrayShape.Jagged)
                {
                    ReportUnsupportedExpression(
                        argument.Value,
                        "Passing the jagged array '" + Shorten(argument.Value.Syntax.ToString()) + "' to '" + method.Name + "'",
                        "pass its rows (a double[] or span parameter given J[i]) instead, or loop over the rows in this method");
                    return null;
                }

                if (shape != ArrayShape.None)
                {
                    if (ViewOf(argument.Value, output) is not { } array)
                    {
                        ReportUnsupportedExpression(
                            argument.Value,
                            "Passing '" + Shorten(argument.Value.Syntax.ToString()) + "' to '" + method.Name + "'",
                            "pass an array or span parameter, a local array or a span local by its name, or a slice of one (AsSpan, Slice, a range)");
                        return null;
                    }

                    args.Add(new Argument(argument.Parameter, null, array));
                    continue;
                }

                args.Add(new Argument(argument.Parameter, LowerExpression(argument.Value, output), null));
            }

            return args.OrderBy(a => a.Parameter.Ordinal).ToList();
        }

        /// <summary>
        /// A call of a void method as a statement: its only effect the generator can follow is writing the
        /// elements of a local array passed to it, so it is inlined.
        /// </summary>
        private void LowerCallStatement(IInvocationOperation invocation, List<Stmt> output)
        {
            if (TryLowerGuardCall(invocation, output)) return;
            var method = invocation.TargetMethod;
            if (!HasInlinableBody(invocation))
            {
                if (UsesReportedLocal(invocation)) return;
                Report(
                    DiagnosticDescriptors.UnsupportedStatement,
                    invocation.Syntax.GetLocation(),
                    "Calling void method '" + method.Name + "'",
                    "a void method can be called when it is static and its source is in this compilation, so that the generator can follow what it writes");
                return;
            }

            if (_callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition)))
            {
                Report(
                    DiagnosticDescriptors.CalleeNotDifferentiable,
                    invocation.Syntax.GetLocation(),
                    method.Name,
                    "a void method that calls itself cannot be followed; return a value instead");
                return;
            }

            if (LowerArguments(invocation, method, output) is not { } args) return;
            Inline(invocation, method, null, args, output);
        }

        // ---- inlining ---------------------------------------------------------------------------

        /// <summary>
        /// Lowers the callee's body in place of the call; returns the call's value (null for a void method, or for one
        /// that returns a tuple, whose leaves go into <paramref name="tuple"/>'s list).
        /// </summary>
        private Expr? Inline(IInvocationOperation invocation, IMethodSymbol method, ScalarKind? kind, List<Argument> args, List<Stmt> output, (List<ScalarKind> Kinds, List<Expr> Values)? tuple = null)
        {
            var callee = method.OriginalDefinition;
            var syntax = DerivativeRegistry.SourceOf(callee, _cancellationToken)!;
            var model = syntax.SyntaxTree == _semanticModel.SyntaxTree ? _semanticModel : _semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
            IOperation? body = model.GetOperation(syntax, _cancellationToken) switch
            {
                IMethodBodyOperation m => (IOperation?)m.BlockBody ?? m.ExpressionBody,
                ILocalFunctionOperation f => f.Body,
                _ => null,
            };
            if (body is not IBlockOperation block) throw new AbortException();

            var frame = new InlineFrame(callee, invocation.Syntax.GetLocation(), _source, _inline, kind is null && tuple is null, tuple?.Kinds);
            var saved = (_semanticModel, _returnKind, _flags, _jumps, _loopDepth, _outerLoopDepth, _inline);
            int symbolsBefore = _symbolOrder.Count;
            var bound = new List<ISymbol>();
            bool pushed = false;
            try
            {
                // The arguments were lowered in the caller; bind the callee's parameters to them.
                foreach (var argument in args)
                {
                    var parameter = argument.Parameter.OriginalDefinition;
                    bound.Add(parameter);
                    if (argument.Array is { } array)
                    {
                        _arrays[parameter] = array;
                        if (_localArrayNames.Contains(array.Name)) _writableArrays.Add(parameter);
                        continue;
                    }

                    if (argument.Struct is { } members)
                    {
                        _structs[parameter] = members;
                        continue;
                    }

                    var parameterKind = ScalarTypes.From(parameter.Type) ?? argument.Scalar!.Type;
                    _symbolOrder.Add(parameter);
                    var value = Convert(argument.Scalar!, parameterKind, output);
                    if (value is VarExpr variable && !_temps.Contains(variable.Name))
                    {
                        _env[parameter] = variable;
                    }
                    else
                    {
                        // Named as the callee's (fresh) variable, which NameFor does while the frame is current.
                        _inline = frame;
                        Define(parameter, parameterKind, value, output);
                        _inline = saved._inline;
                    }
                }

                _semanticModel = model;
                _returnKind = kind is { } k ? ScalarTypes.From(callee.ReturnType) ?? k : ScalarKind.Int32; // unused for void and tuple methods
                _flags = null;
                _jumps = null;
                _outerLoopDepth += _loopDepth;
                _loopDepth = 0;
                _inline = frame;
                _callStack.Add(callee);
                pushed = true;

                // Every return defines the result; branches that return merge it like any variable.
                var result = frame.Result;
                _symbolOrder.Add(result);
                _env[result] = null;
                foreach (var leaf in frame.TupleResults ?? System.Array.Empty<SyntheticVariable>())
                {
                    _symbolOrder.Add(leaf);
                    _env[leaf] = null;
                }

                bool returned = LowerSequence(block.Operations, 0, null, output);
                if (frame.IsVoid) return null;
                if (tuple is { } results)
                {
                    if (!returned) throw new AbortException();
                    results.Values.AddRange(frame.TupleResults!.Select(r => _env[r] ?? throw new AbortException()));
                    return null;
                }

                if (!returned) throw new AbortException();
                return _env[result] ?? throw new AbortException();
            }
            finally
            {
                (_semanticModel, _returnKind, _flags, _jumps, _loopDepth, _outerLoopDepth, _inline) = saved;
                if (pushed) _callStack.RemoveAt(_callStack.Count - 1);
                for (int i = symbolsBefore; i < _symbolOrder.Count; i++) _env.Remove(_symbolOrder[i]);
                _symbolOrder.RemoveRange(symbolsBefore, _symbolOrder.Count - symbolsBefore);
                foreach (var symbol in bound)
                {
                    _env.Remove(symbol);
                    _arrays.Remove(symbol);
                    _structs.Remove(symbol);
                    _writableArrays.Remove(symbol);
                }
            }
        }

        /// <summary>The stem of an inlined call's result: the callee's name with a lower-case first letter.</summary>
        private static string ResultStem(string name) =>
            name.Length == 0 ? "result" : char.ToLowerInvariant(name[0]) + name.Substring(1);

        // ---- pullbacks --------------------------------------------------------------------------

        private Expr Pullback(IInvocationOperation invocation, IMethodSymbol method, CalleeDerivative derivative, ScalarKind kind, List<Argument> args, List<Stmt> output)
        {
            var parameters = derivative.Parameters!;
            if (derivative.Pullback is null && !CanBeGenerated(method.OriginalDefinition))
            {
                // Its own errors are reported on it; its callers cannot call a Backward that is not generated.
                Report(
                    DiagnosticDescriptors.CalleeNotDifferentiable,
                    invocation.Syntax.GetLocation(),
                    method.Name,
                    "it has errors of its own (see its diagnostics), so its Backward is not generated");
                return Placeholder(kind);
            }

            if (ReportPartialArrayArgument(invocation, method, args)) return Placeholder(kind);
            var written = new HashSet<string>(WrittenBy(method, derivative), System.StringComparer.Ordinal);
            if (args.Where(a => a.Array is not null && written.Contains(a.Parameter.Name)).Select(a => a.Parameter).FirstOrDefault() is { } changed)
            {
                // The forward pass would change the caller's array through a call the reverse pass cannot look into.
                Report(
                    DiagnosticDescriptors.CalleeNotDifferentiable,
                    invocation.Syntax.GetLocation(),
                    method.Name,
                    "it writes the elements of its array parameter '" + changed.Name + "', and a call that is not inlined (recursion, another assembly) cannot follow those writes; have '"
                    + method.Name + "' copy '" + changed.Name + "' into a local array and work on the copy");
                return Placeholder(kind);
            }

            var arguments = new List<CallArgument>();
            foreach (var argument in args)
            {
                var model = parameters[argument.Parameter.Ordinal];
                bool active = argument.Array is { Active: true } || (argument.Scalar is { } scalar && IsActive(scalar));
                if (active && model.GradientName is null && model.Type.IsFloating())
                {
                    // The pullback has no gradient for it: the path through this argument would be lost silently.
                    Report(
                        DiagnosticDescriptors.CalleeNotDifferentiable,
                        invocation.Syntax.GetLocation(),
                        method.Name,
                        "its parameter '" + model.Name + "' is [NoGrad], so its " + (derivative.Custom ? "declared derivative" : "Backward")
                        + " gives no gradient for it, but the argument depends on a differentiable input; remove [NoGrad] from '" + model.Name
                        + "', or wrap the argument in Diff.StopGradient(...) if no gradient should flow through it");
                    return Placeholder(kind);
                }

                if (argument.Array is { } array)
                {
                    arguments.Add(new CallArgument(new ArrayRefExpr(array.Name, array.Element), model.GradientName is not null, model.Type));
                    continue;
                }

                var value = Atomize(Convert(argument.Scalar!, model.Type, output), output);
                arguments.Add(new CallArgument(value, model.GradientName is not null, model.Type));
            }

            // Named as called (`G<int>.F`), not as declared (`G<T>.F`).
            string target = QualifiedName(method);
            string pullback = derivative.Pullback is { } p ? QualifiedName(p) : QualifiedName(method, BackwardContract.NameOf(method.Name));
            CheckAccessible(method, invocation);
            if (derivative.Pullback is { } pullbackMethod) CheckAccessible(pullbackMethod, invocation);
            if (derivative.Custom) CustomDerivatives.Add(derivative.Pullback!);
            return Hoist(new PullbackCallExpr(target, pullback, arguments.ToEquatableArray(), kind), output);
        }

        /// <summary>
        /// Whether the call's target is a static method or local function, not generic, whose source is in this
        /// compilation: one whose body can be lowered in place of the call (for a void method or one returning a tuple,
        /// the only way to follow it).
        /// </summary>
        private bool HasInlinableBody(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            return invocation.Instance is null
                   && (method.IsStatic || method.MethodKind == MethodKind.LocalFunction)
                   && (!method.IsGenericMethod || IsCallOverTypeParameter(method))
                   && DerivativeRegistry.SourceOf(method, _cancellationToken) is not null;
        }

        /// <summary>Methods whose generability is being checked, so that recursion through the check ends.</summary>
        [System.ThreadStatic]
        private static HashSet<IMethodSymbol>? s_checking;

        /// <summary>Whether the generator produces a Backward for the [Differentiable] method <paramref name="method"/> of this compilation.</summary>
        private bool CanBeGenerated(IMethodSymbol method)
        {
            if (_callStack.Count > 0 && SymbolEqualityComparer.Default.Equals(_callStack[0], method)) return true; // the method being lowered: its own errors stop it anyway
            if (_generable.TryGetValue(method, out bool known)) return known;
            s_checking ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            if (!s_checking.Add(method)) return true; // checked further out
            try
            {
                var model = DerivativeRegistry.SourceOf(method, _cancellationToken) is MethodDeclarationSyntax syntax
                    ? MethodParser.Parse(
                        syntax,
                        method,
                        syntax.SyntaxTree == _semanticModel.SyntaxTree ? _semanticModel : _semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree),
                        _cancellationToken).Model
                    : null;
                bool result = model is { Rejection: null }; // a stub Backward only throws
                _generable[method] = result;
                if (model is not null) _writesOf[method] = model.WrittenInputs;
                return result;
            }
            finally
            {
                s_checking.Remove(method);
            }
        }

        private readonly Dictionary<IMethodSymbol, bool> _generable = new(SymbolEqualityComparer.Default);

        /// <summary>For the [Differentiable] methods of this compilation called through a pullback: the array parameters each writes.</summary>
        private readonly Dictionary<IMethodSymbol, EquatableArray<string>> _writesOf = new(SymbolEqualityComparer.Default);

        /// <summary>
        /// The array parameters that <paramref name="method"/>, called through a pullback, writes: the method being
        /// lowered (recursion) knows its own; another of this compilation was parsed by <see cref="CanBeGenerated"/>; one of
        /// another assembly says so with <c>[WritesArguments]</c> on its Backward.
        /// </summary>
        private IEnumerable<string> WrittenBy(IMethodSymbol method, CalleeDerivative derivative)
        {
            var definition = method.OriginalDefinition;
            if (_callStack.Count > 0 && SymbolEqualityComparer.Default.Equals(_callStack[0], definition))
            {
                return (IEnumerable<string>?)_copiedInputs ?? WrittenInputs;
            }

            if (derivative.Pullback is null) return _writesOf.TryGetValue(definition, out var written) ? written : Enumerable.Empty<string>();
            var attribute = derivative.Pullback.GetAttributes().FirstOrDefault(a =>
                a.AttributeClass is { Name: "WritesArgumentsAttribute", ContainingNamespace: { Name: "AutoGrad", ContainingNamespace.IsGlobalNamespace: true } });
            return attribute is { ConstructorArguments: [{ Kind: TypedConstantKind.Array } names] }
                ? names.Values.Select(v => v.Value as string).OfType<string>()
                : Enumerable.Empty<string>();
        }

        /// <summary>A type parameter in <paramref name="type"/>'s name that is not in scope in the caller's type.</summary>
        private ITypeParameterSymbol? ForeignTypeParameter(INamedTypeSymbol? type)
        {
            var inScope = new HashSet<ITypeParameterSymbol>(SymbolEqualityComparer.Default);
            for (var caller = _callerType; caller is not null; caller = caller.ContainingType)
            {
                foreach (var own in caller.TypeParameters) inScope.Add(own);
            }

            for (var t = type; t is not null; t = t.ContainingType)
            {
                foreach (var argument in t.TypeArguments)
                {
                    if (argument is ITypeParameterSymbol parameter && !inScope.Contains(parameter)) return parameter;
                }
            }

            return null;
        }

        private static string QualifiedName(ISymbol member, string name) =>
            member.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Identifiers.Escape(name);

        /// <summary>
        /// Inlined code runs in the caller's type: a private member of another type that the callee uses is out
        /// of its reach.
        /// </summary>
        private void CheckAccessible(ISymbol symbol, IOperation at)
        {
            if (_callerType is null || symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction } || GenericMath.IsInterfaceMember(symbol)) return;

            // An inlined body of a generic type names its members with the type's parameters, which the
            // caller does not have (`G<T>.Table` read from a method of another type).
            if (ForeignTypeParameter(symbol.ContainingType) is { } parameter)
            {
                Report(
                    DiagnosticDescriptors.CalleeNotDifferentiable,
                    at.Syntax.GetLocation(),
                    _inline?.Callee.Name ?? symbol.Name,
                    "it uses '" + symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "', a member of a generic type named with its type parameter '" + parameter.Name + "', which the generated code in '" + _callerType.Name + "' does not have");
                return;
            }

            if (_semanticModel.Compilation.IsSymbolAccessibleWithin(symbol, _callerType)) return;
            Report(
                DiagnosticDescriptors.CalleeNotDifferentiable,
                at.Syntax.GetLocation(),
                _inline?.Callee.Name ?? symbol.Name,
                "it uses '" + symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "', which the generated code in '" + _callerType.Name + "' cannot access; make it internal or public");
        }
    }
}
