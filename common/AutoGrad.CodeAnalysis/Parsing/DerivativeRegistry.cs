using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>How the generated code differentiates a call.</summary>
    internal enum CalleeKind
    {
        /// <summary>No derivative is known: a call on a differentiable value is an error.</summary>
        None,

        /// <summary>A method of Math, MathF, double or float: a rule in the rule table, a zero gradient, or none.</summary>
        BuiltIn,

        /// <summary>A method whose source is in this compilation: its body is lowered in place of the call.</summary>
        Inline,

        /// <summary>A method with a Backward-shaped derivative (generated, or declared with [DerivativeOf]): called in the reverse pass.</summary>
        Pullback,
    }

    /// <summary>The answer to "what is the derivative of this callee?".</summary>
    /// <param name="Kind">How the call is differentiated.</param>
    /// <param name="Pullback">For <see cref="CalleeKind.Pullback"/>: the method the reverse pass calls.</param>
    /// <param name="Parameters">For <see cref="CalleeKind.Pullback"/>: the callee's parameters as its contract sees them.</param>
    /// <param name="Custom">Whether the pullback is a user's [DerivativeOf] method.</param>
    internal sealed record CalleeDerivative(CalleeKind Kind, IMethodSymbol? Pullback = null, IReadOnlyList<ParameterModel>? Parameters = null, bool Custom = false)
    {
        public static readonly CalleeDerivative NoneKnown = new(CalleeKind.None);

        public static readonly CalleeDerivative BuiltInKnown = new(CalleeKind.BuiltIn);
    }

    /// <summary>A [DerivativeOf] method that does not declare a usable derivative, and why.</summary>
    internal sealed record DerivativeProblem(IMethodSymbol Derivative, AttributeData Attribute, string Message);

    /// <summary>
    /// The one place that answers "what is the derivative of this callee?": built-in math, user-declared
    /// derivatives ([DerivativeOf], which win wherever they apply), methods whose source the generator can
    /// see (inlined), and [Differentiable] methods with a generated Backward (this compilation, recursion, or
    /// a referenced assembly). Shared by the generator and the analyzers, one instance per compilation.
    /// </summary>
    internal sealed class DerivativeRegistry
    {
        public const string DerivativeOfAttributeName = "AutoGrad.DerivativeOfAttribute";

        private static readonly ConditionalWeakTable<Compilation, DerivativeRegistry> Cache = new();

        private readonly Dictionary<IMethodSymbol, IMethodSymbol> _custom = new(SymbolEqualityComparer.Default);
        private readonly List<DerivativeProblem> _problems = new();

        /// <summary>Whether a [Differentiable] method calls itself: asked at every call of it, answered once.</summary>
        private readonly System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool> _callsItself = new(SymbolEqualityComparer.Default);
        private readonly List<(IMethodSymbol Derivative, IMethodSymbol Target)> _declared = new();

        private DerivativeRegistry(Compilation compilation)
        {
            var attribute = compilation.GetTypeByMetadataName(DerivativeOfAttributeName);
            if (attribute is null) return;

            // Syntax first (cheap, no binding): only methods with an attribute spelled DerivativeOf are bound,
            // or every attributed method when a using alias names the attribute.
            bool aliased = compilation.SyntaxTrees.Any(tree => tree.GetRoot()
                .DescendantNodes(node => node is not Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax)
                .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.UsingDirectiveSyntax>()
                .Any(u => u.Alias is not null && u.ToString().IndexOf("DerivativeOf", System.StringComparison.Ordinal) >= 0));
            foreach (var tree in compilation.SyntaxTrees)
            {
                SemanticModel? model = null;
                var declarations = tree.GetRoot().DescendantNodes(node =>
                    node is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax
                        or Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax
                        or Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax);
                foreach (var declaration in declarations.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
                {
                    if (!declaration.AttributeLists.SelectMany(l => l.Attributes).Any(a => aliased || IsDerivativeOfName(a.Name))) continue;
                    model ??= compilation.GetSemanticModel(tree);
                    if (model.GetDeclaredSymbol(declaration) is not IMethodSymbol method) continue;
                    foreach (var data in method.GetAttributes())
                    {
                        if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)) Register(method, data);
                    }
                }
            }
        }

        private static bool IsDerivativeOfName(Microsoft.CodeAnalysis.CSharp.Syntax.NameSyntax name) =>
            (name switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                Microsoft.CodeAnalysis.CSharp.Syntax.AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => string.Empty,
            }) is "DerivativeOf" or "DerivativeOfAttribute";

        /// <summary>The registry of <paramref name="compilation"/>, built once.</summary>
        public static DerivativeRegistry For(Compilation compilation) => Cache.GetValue(compilation, c => new DerivativeRegistry(c));

        /// <summary>[DerivativeOf] methods that declare nothing usable.</summary>
        public IReadOnlyList<DerivativeProblem> Problems => _problems;

        /// <summary>Every custom derivative and the method it is the derivative of.</summary>
        public IReadOnlyList<(IMethodSymbol Derivative, IMethodSymbol Target)> Declared => _declared;

        /// <summary>What the derivative of <paramref name="callee"/> is, as seen from code being differentiated.</summary>
        /// <param name="callee">The called method.</param>
        /// <param name="recursive">Whether the call is (mutual) recursion, so that inlining it would never end.</param>
        public CalleeDerivative Resolve(IMethodSymbol callee, bool recursive, Compilation compilation, CancellationToken cancellationToken)
        {
            var definition = callee.OriginalDefinition;
            if (_custom.TryGetValue(definition, out var custom))
            {
                return new CalleeDerivative(CalleeKind.Pullback, custom, ParametersOf(definition), Custom: true);
            }

            if (MathFunctions.BuiltinClass(definition.ContainingType) is not null) return CalleeDerivative.BuiltInKnown;

            bool differentiable = MethodParser.HasAttribute(definition, MethodParser.DifferentiableAttributeName)
                                  && definition.IsStatic
                                  && (!definition.IsGenericMethod || definition.TypeParameters.All(GenericMath.IsFloatingTypeParameter));
            var source = SourceOf(definition, cancellationToken);

            // Inline what the generator can see, except a [Differentiable] method that calls itself: inlining
            // would unroll one level of it only, and its Backward handles the rest better.
            if (!recursive && source is not null && !(differentiable && _callsItself.GetOrAdd(definition, m => CallsItself(m, source, compilation, cancellationToken))))
            {
                return new CalleeDerivative(CalleeKind.Inline);
            }

            if (differentiable && ParametersOf(definition) is { } parameters)
            {
                // In this compilation the Backward is being generated (the generator cannot see its own output);
                // in a referenced assembly it must be there.
                if (definition.Locations.Any(l => l.IsInSource)) return new CalleeDerivative(CalleeKind.Pullback, null, parameters);
                var backward = definition.ContainingType!.GetMembers(BackwardContract.NameOf(definition.Name)).OfType<IMethodSymbol>()
                    .FirstOrDefault(m => Matches(m, definition, parameters) is null);
                if (backward is not null) return new CalleeDerivative(CalleeKind.Pullback, backward, parameters);
            }

            return CalleeDerivative.NoneKnown;
        }

        /// <summary>Whether the body of <paramref name="method"/> calls the method itself.</summary>
        private static bool CallsItself(IMethodSymbol method, SyntaxNode syntax, Compilation compilation, CancellationToken cancellationToken)
        {
            SemanticModel? model = null;
            foreach (var invocation in syntax.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
            {
                string? name = invocation.Expression switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax id => id.Identifier.ValueText,
                    Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    _ => null,
                };
                if (name != method.Name) continue;
                model ??= compilation.GetSemanticModel(syntax.SyntaxTree);
                if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(invocation, cancellationToken).Symbol?.OriginalDefinition, method)) return true;
            }

            return false;
        }

        /// <summary>The body a call to <paramref name="method"/> can be inlined from: a method or local function declaration with a body.</summary>
        public static SyntaxNode? SourceOf(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var definition = method.PartialImplementationPart ?? method;
            // A generic method's body is followed only over floating-point type parameters (generic math): the
            // caller checks that it passes its own (BodyLowering.IsCallOverTypeParameter).
            if (definition.IsAbstract || definition.IsExtern || (definition.IsGenericMethod && !definition.TypeParameters.All(GenericMath.IsFloatingTypeParameter))) return null;
            foreach (var reference in definition.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                switch (syntax)
                {
                    case Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax m when m.Body is not null || m.ExpressionBody is not null:
                        return m;
                    case Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax f when f.Body is not null || f.ExpressionBody is not null:
                        return f;
                }
            }

            return null;
        }

        /// <summary>
        /// The parameters of <paramref name="method"/> as a Backward contract sees them, or null when one of
        /// them has a type or modifier no contract has.
        /// </summary>
        public static IReadOnlyList<ParameterModel>? ParametersOf(IMethodSymbol method)
        {
            var list = new List<ParameterModel>();
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None || parameter.IsParams) return null;
                var (kind, shape) = ScalarTypes.FromParameter(parameter.Type);
                if (kind is null) return null;
                list.Add(MethodParser.ParameterModelOf(parameter, kind.Value, shape));
            }

            return list;
        }

        /// <summary>
        /// Null when <paramref name="candidate"/> has the Backward signature of <paramref name="target"/>
        /// (names aside); otherwise what differs.
        /// </summary>
        public static string? Matches(IMethodSymbol candidate, IMethodSymbol target, IReadOnlyList<ParameterModel> parameters)
        {
            var returnKind = ScalarTypes.From(target.ReturnType);
            if (returnKind is not (ScalarKind.Double or ScalarKind.Float)) return "'" + target.Name + "' does not return double or float";
            if (!candidate.IsStatic) return "it is not static";
            if (candidate.IsGenericMethod) return "it is generic";
            if (ScalarTypes.From(candidate.ReturnType) != returnKind) return "it must return " + returnKind.Value.Keyword();
            var slots = BackwardContract.Slots(parameters, returnKind.Value);
            if (candidate.Parameters.Length != slots.Count)
            {
                return "it has " + candidate.Parameters.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + " parameters where " + slots.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " are expected";
            }

            for (int i = 0; i < slots.Count; i++)
            {
                var slot = slots[i];
                var parameter = candidate.Parameters[i];
                var (kind, shape) = ScalarTypes.FromParameter(parameter.Type);
                bool wantOut = slot.Kind == SlotKind.OutGradient;
                bool ok = kind == slot.Type && shape == slot.Shape && (parameter.RefKind == RefKind.Out) == wantOut
                          && (wantOut || parameter.RefKind == RefKind.None);
                if (!ok) return "parameter " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " must be '" + BackwardContract.Declaration(slot) + "'";
            }

            return null;
        }

        private void Register(IMethodSymbol derivative, AttributeData data)
        {
            var args = data.ConstructorArguments;
            INamedTypeSymbol? type;
            string? name;
            if (args.Length == 1)
            {
                type = derivative.ContainingType;
                name = args[0].Value as string;
            }
            else if (args.Length == 2)
            {
                type = args[0].Value as INamedTypeSymbol;
                name = args[1].Value as string;
            }
            else
            {
                return; // does not bind: the compiler reports it
            }

            if (type is null || string.IsNullOrEmpty(name)) return;
            var candidates = type.GetMembers(name!).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
            if (candidates.Count == 0)
            {
                _problems.Add(new DerivativeProblem(derivative, data, "'" + type.ToDisplayString() + "' has no method named '" + name + "'"));
                return;
            }

            string? firstProblem = null;
            foreach (var candidate in candidates)
            {
                string? problem;
                if (!candidate.IsStatic) problem = "'" + candidate.Name + "' is not static";
                else if (candidate.IsGenericMethod) problem = "'" + candidate.Name + "' is generic";
                else if (ParametersOf(candidate) is not { } parameters) problem = "'" + candidate.Name + "' has a parameter that is not double, float, int, long, bool, or an array or span of them";
                else
                {
                    problem = Matches(derivative, candidate, parameters);
                    if (problem is not null)
                    {
                        var returnKind = ScalarTypes.From(candidate.ReturnType) ?? ScalarKind.Double;
                        problem += "; the derivative of '" + candidate.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "' must be declared as '"
                            + BackwardContract.Signature(derivative.Name, parameters, returnKind).Replace(BackwardContract.NameOf(derivative.Name), derivative.Name) + "'";
                    }
                }

                if (problem is null && _custom.TryGetValue(candidate.OriginalDefinition, out var first))
                {
                    problem = "'" + candidate.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "' already has a derivative, '"
                        + first.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'; declare one derivative per method";
                    _problems.Add(new DerivativeProblem(derivative, data, problem));
                    return;
                }

                if (problem is null)
                {
                    _custom[candidate.OriginalDefinition] = derivative;
                    _declared.Add((derivative, candidate.OriginalDefinition));
                    return;
                }

                firstProblem ??= problem;
            }

            _problems.Add(new DerivativeProblem(derivative, data, firstProblem!));
        }
    }
}
