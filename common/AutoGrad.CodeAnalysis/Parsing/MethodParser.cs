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

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Parse stage: checks a [Differentiable] method's signature and lowers its body to the IR. Shared by the
    /// generator (which keeps the model) and the analyzer (which reports the diagnostics), so both agree.
    /// </summary>
    internal static class MethodParser
    {
        public const string DifferentiableAttributeName = "AutoGrad.DifferentiableAttribute";
        public const string NoGradAttributeName = "AutoGrad.NoGradAttribute";
        public const string BackwardSuffix = BackwardContract.Suffix;
        public const string SeedName = BackwardContract.SeedName;
        public const string GeneratorName = "AutoGrad.Generator";

        public static ParseResult Parse(
            MethodDeclarationSyntax syntax,
            IMethodSymbol method,
            SemanticModel semanticModel,
            CancellationToken cancellationToken)
        {
            // Half-typed code: the compiler already reports it, and nothing sensible can be differentiated. When only
            // the body is half-typed, the Backward's signature is still known: a stub keeps its call sites quiet.
            bool bodyOnly = false;
            if (syntax.ContainsDiagnostics || HasCompilerErrors(syntax, semanticModel, cancellationToken))
            {
                if (!SignatureIsSound(syntax, method, semanticModel, cancellationToken))
                {
                    return new ParseResult(null, ImmutableArray<Diagnostic>.Empty);
                }

                bodyOnly = true;
            }

            var diagnostics = new List<Diagnostic>();
            string backwardName = BackwardContract.NameOf(method.Name);
            var identifier = syntax.Identifier.GetLocation();

            if (!method.IsStatic)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.MethodNotStatic, identifier, method.Name));
            }

            var (generic, genericProblem) = GenericMath.Signature(method);
            if (genericProblem is not null)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.GenericMethod,
                    syntax.TypeParameterList?.GetLocation() ?? identifier,
                    method.Name,
                    genericProblem));
            }

            var returnKind = ScalarTypes.From(method.ReturnType);
            // A type parameter AG0006 rejects is not reported again where it is used.
            bool rejectedTypeParameter = genericProblem is not null && method.ReturnType is ITypeParameterSymbol;
            if ((returnKind is not (ScalarKind.Double or ScalarKind.Float or ScalarKind.Generic) && !rejectedTypeParameter) || method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticDescriptors.UnsupportedReturnType,
                    syntax.ReturnType.GetLocation(),
                    method.Name,
                    syntax.ReturnType.ToString()));
            }

            var containingTypes = new List<ContainingType>();
            foreach (var typeSyntax in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
            {
                if (!typeSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticDescriptors.TypeNotPartial,
                        identifier,
                        typeSyntax.Identifier.ValueText,
                        backwardName));
                }

                containingTypes.Insert(0, new ContainingType(
                    TypeKeyword(typeSyntax),
                    typeSyntax.Identifier.ValueText,
                    (typeSyntax.TypeParameterList?.Parameters.Select(p => p.Identifier.ValueText) ?? Enumerable.Empty<string>())
                        .ToEquatableArray()));
            }

            var parameters = new List<ParameterModel>();
            var parameterKinds = new List<ScalarKind>();
            var parameterTypes = new List<string>();
            foreach (var parameter in method.Parameters)
            {
                var parameterSyntax = syntax.ParameterList.Parameters.Count > parameter.Ordinal
                    ? syntax.ParameterList.Parameters[parameter.Ordinal]
                    : null;
                var location = parameterSyntax?.GetLocation() ?? identifier;
                var modifier = parameterSyntax is null ? default : parameterSyntax.Modifiers.FirstOrDefault(IsByReferenceModifier);
                bool hasModifier = !modifier.IsKind(SyntaxKind.None);
                if (parameter.RefKind != RefKind.None || parameter.IsParams || hasModifier)
                {
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticDescriptors.UnsupportedParameterModifier,
                        hasModifier ? modifier.GetLocation() : location,
                        parameter.Name,
                        hasModifier ? modifier.ValueText : parameter.RefKind.ToString().ToLowerInvariant()));
                }

                var (kind, shape) = ScalarTypes.FromParameter(parameter.Type);
                if (kind is null && genericProblem is not null && parameter.Type is ITypeParameterSymbol or IArrayTypeSymbol { ElementType: ITypeParameterSymbol })
                {
                    kind = ScalarKind.Double; // reported by AG0006
                }
                else if (kind is null && shape == ArrayShape.None
                    && StructTypes.TryAddParameter(parameter, parameterSyntax?.Type?.GetLocation() ?? location, semanticModel.Compilation, parameters, parameterKinds, parameterTypes, diagnostics))
                {
                    continue;
                }
                else if (kind is null)
                {
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticDescriptors.UnsupportedParameterType,
                        parameterSyntax?.Type?.GetLocation() ?? location,
                        parameter.Name,
                        ScalarTypes.Display(parameter.Type),
                        DiagnosticDescriptors.ParameterTypeAdvice));
                    kind = ScalarKind.Double;
                }

                parameters.Add(ParameterModelOf(parameter, kind.Value, shape));
                parameterKinds.Add(kind.Value);
                parameterTypes.Add(generic is null ? ScalarTypes.Describe(kind.Value, shape) : GenericMath.Substitute(ScalarTypes.Describe(kind.Value, shape), generic.TypeParameter));
            }

            CheckNameConflicts(syntax, method, backwardName, parameters, diagnostics);

            MethodModel? model = null;
            var used = ImmutableArray<IMethodSymbol>.Empty;
            if (syntax.Body is null && syntax.ExpressionBody is null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NoBody, identifier, method.Name));
            }
            else if (method.IsStatic && genericProblem is null)
            {
                // Errors so far are the signature's: no Backward can be declared. Errors from here on are the body's.
                bool signatureErrors = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
                var reserved = CollectIdentifiers(syntax, parameters);
                StructTypes.NameLeaves(parameters, reserved);
                MatrixViews.Name(parameters, reserved);
                Block? body = null;
                var written = EquatableArray<string>.Empty;
                if (!bodyOnly)
                {
                    int before = diagnostics.Count;
                    var lowering = new BodyLowering(semanticModel, reserved, diagnostics, cancellationToken);
                    body = lowering.Lower(syntax, method, parameters);
                    if (lowering.WrittenInputs.Count > 0)
                    {
                        // The body works in place on array parameters: lowered again on copies of them (see BodyLowering.InPlace.cs).
                        var writes = lowering.WrittenInputs;
                        written = method.Parameters.Select(p => p.Name).Where(writes.Contains).ToEquatableArray();
                        diagnostics.RemoveRange(before, diagnostics.Count - before);
                        lowering = new BodyLowering(semanticModel, reserved, diagnostics, cancellationToken).WithCopiedInputs(writes);
                        body = lowering.Lower(syntax, method, parameters);
                    }

                    used = lowering.CustomDerivatives.ToImmutableArray();
                }

                bool hasErrors = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
                string? rejection = null;
                if (body is null || hasErrors)
                {
                    // The body cannot be differentiated: a stub Backward that throws, so that call sites still compile
                    // and only the method itself carries the error.
                    rejection = bodyOnly
                        ? "the method does not compile"
                        : RejectionReason(diagnostics);
                    body = Block.Empty;
                }

                if (!signatureErrors && returnKind is { } rk)
                {
                    model = new MethodModel(
                        method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
                        containingTypes.ToEquatableArray(),
                        Accessibility(method.DeclaredAccessibility),
                        method.Name,
                        backwardName,
                        method.Name + (generic?.TypeParameterList.Replace('<', '{').Replace('>', '}') ?? string.Empty) + "(" + string.Join(", ", parameterTypes.Select(t => t.Replace('<', '{').Replace('>', '}'))) + ")",
                        rk,
                        parameters.ToEquatableArray(),
                        SeedName,
                        body,
                        // A stub depends on the signature only: without the body's names, editing a rejected body
                        // leaves its model equal and the stub cached.
                        rejection is null ? reserved.OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray() : EquatableArray<string>.Empty,
                        HintName(method, parameterTypes),
                        method.IsExtensionMethod,
                        ShortForms(method, parameters),
                        rejection,
                        rejection is null ? written : EquatableArray<string>.Empty)
                    {
                        Generic = generic,
                    };
                }
            }

            // The analyzer reports nothing for code the compiler already rejects.
            return bodyOnly
                ? new ParseResult(model, ImmutableArray<Diagnostic>.Empty)
                : new ParseResult(model, Deduplicate(diagnostics), used);
        }

        /// <summary>The error diagnostics' IDs, for the message of a stub Backward, e.g. <c>AG0010, AG0011</c>.</summary>
        private static string RejectionReason(List<Diagnostic> diagnostics)
        {
            var ids = diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.Id)
                .Distinct()
                .OrderBy(id => id, System.StringComparer.Ordinal)
                .ToList();
            return ids.Count == 0 ? "the body cannot be lowered" : "see " + string.Join(", ", ids) + " on the method";
        }

        /// <summary>
        /// Whether the method's declaration, apart from its body, is free of compiler errors: its parameter list,
        /// return type and type parameters parse and bind, so that a Backward with the same parameters can be declared.
        /// </summary>
        private static bool SignatureIsSound(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken)
        {
            if (syntax.ParameterList.ContainsDiagnostics || syntax.ReturnType.ContainsDiagnostics || syntax.Identifier.IsMissing
                || syntax.TypeParameterList is { ContainsDiagnostics: true } || syntax.AttributeLists.Any(a => a.ContainsDiagnostics))
            {
                return false;
            }

            if (method.ReturnType.TypeKind == TypeKind.Error || method.Parameters.Any(p => p.Type.TypeKind == TypeKind.Error))
            {
                return false;
            }

            // Errors outside the body (say, a duplicate parameter name or a bad default value) spoil the signature.
            var body = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
            foreach (var diagnostic in semanticModel.GetDiagnostics(syntax.Span, cancellationToken))
            {
                if (diagnostic.Severity != DiagnosticSeverity.Error) continue;
                if (body is null || !body.Span.Contains(diagnostic.Location.SourceSpan)) return false;
            }

            return true;
        }

        /// <summary>
        /// The shorter Backward overloads for trailing parameters with default values: one per number of trailing
        /// scalar parameters left out, longest first. None when the Backward has no gradient parameter (the seed
        /// would take the place of a left-out value), and none for a length at which another overload of the
        /// method can be called with the same leading arguments (its Backward or short form would clash).
        /// </summary>
        private static EquatableArray<ShortForm> ShortForms(IMethodSymbol method, List<ParameterModel> parameters)
        {
            if (parameters.All(p => p.GradientName is null)) return EquatableArray<ShortForm>.Empty;
            var forms = new List<ShortForm>();
            var omitted = new List<string>();
            for (int kept = parameters.Count - 1; kept >= 0; kept--)
            {
                var parameter = method.Parameters[kept];
                if (!parameter.HasExplicitDefaultValue || parameters[kept].Shape != ArrayShape.None || parameters[kept].Struct is not null) break;
                if (ScalarTypes.FormatConstant(parameter.ExplicitDefaultValue, parameters[kept].Type) is not { } text) break;
                omitted.Insert(0, text);
                if (!CallableWithPrefix(method, kept)) forms.Add(new ShortForm(kept, omitted.ToEquatableArray()));
            }

            return forms.ToEquatableArray();
        }

        /// <summary>Whether another method of the same name takes the first <paramref name="kept"/> parameter types of <paramref name="method"/> and defaults for the rest.</summary>
        private static bool CallableWithPrefix(IMethodSymbol method, int kept)
        {
            foreach (var member in method.ContainingType.GetMembers(method.Name))
            {
                if (member is not IMethodSymbol other || SymbolEqualityComparer.Default.Equals(other, method)) continue;
                if (other.Parameters.Length < kept || other.Parameters.Skip(kept).Any(p => !p.IsOptional && !p.IsParams)) continue;
                if (other.Parameters.Take(kept).Select(p => p.Type).SequenceEqual(method.Parameters.Take(kept).Select(p => p.Type), SymbolEqualityComparer.Default))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsByReferenceModifier(SyntaxToken modifier) =>
            modifier.IsKind(SyntaxKind.RefKeyword) || modifier.IsKind(SyntaxKind.OutKeyword) || modifier.IsKind(SyntaxKind.InKeyword)
            || modifier.IsKind(SyntaxKind.ParamsKeyword) || modifier.IsKind(SyntaxKind.ReadOnlyKeyword) || modifier.IsKind(SyntaxKind.ScopedKeyword);

        /// <summary>
        /// A parameter as the Backward contract sees it: differentiated (with its gradient's name) when it is
        /// floating-point and not [NoGrad].
        /// </summary>
        public static ParameterModel ParameterModelOf(IParameterSymbol parameter, ScalarKind kind, ArrayShape shape)
        {
            bool differentiable = kind.IsFloating() && !HasAttribute(parameter, NoGradAttributeName);
            return new ParameterModel(parameter.Name, kind, differentiable ? NameGenerator.GradientName(parameter.Name) : null, shape);
        }

        public static bool HasAttribute(ISymbol symbol, string metadataName)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == metadataName) return true;
            }

            return false;
        }

        private static bool HasCompilerErrors(SyntaxNode syntax, SemanticModel model, CancellationToken cancellationToken)
        {
            foreach (var diagnostic in model.GetDiagnostics(syntax.Span, cancellationToken))
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error) return true;
            }

            return false;
        }

        private static void CheckNameConflicts(
            MethodDeclarationSyntax syntax,
            IMethodSymbol method,
            string backwardName,
            List<ParameterModel> parameters,
            List<Diagnostic> diagnostics)
        {
            var names = new HashSet<string>(parameters.Select(p => p.Name), System.StringComparer.Ordinal);
            var gradientNames = new HashSet<string>(System.StringComparer.Ordinal);
            for (int i = 0; i < parameters.Count; i++)
            {
                var location = i < syntax.ParameterList.Parameters.Count
                    ? syntax.ParameterList.Parameters[i].Identifier.GetLocation()
                    : syntax.Identifier.GetLocation();
                var parameter = parameters[i];
                if (parameter.Name == SeedName)
                {
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticDescriptors.NameConflict,
                        location,
                        parameter.Name,
                        "the upstream-gradient parameter 'seed' of the generated '" + backwardName + "'"));
                }

                if (parameter.GradientName is { } gradient && (names.Contains(gradient) || !gradientNames.Add(gradient)))
                {
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticDescriptors.NameConflict,
                        location,
                        parameter.Name,
                        "another parameter: both would need the gradient parameter '" + gradient + "' in the generated '" + backwardName + "'"));
                }
            }

            // A method the user wrote with the signature the generator would add.
            int expectedCount = BackwardContract.Count(parameters);
            foreach (var member in method.ContainingType.GetMembers(backwardName))
            {
                if (member is IMethodSymbol other
                    && other.Parameters.Length == expectedCount
                    && !IsGeneratedByUs(other)
                    && other.Parameters.Take(method.Parameters.Length)
                        .Select(p => p.Type)
                        .SequenceEqual(method.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default))
                {
                    diagnostics.Add(Diagnostic.Create(
                        DiagnosticDescriptors.NameConflict,
                        syntax.Identifier.GetLocation(),
                        backwardName,
                        "the method the generator adds for '" + method.Name + "', which is already declared"));
                }
            }
        }

        /// <summary>Whether <paramref name="method"/> is a Backward method this generator wrote.</summary>
        public static bool IsGeneratedByUs(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute"
                    && attribute.ConstructorArguments.Length > 0
                    && attribute.ConstructorArguments[0].Value as string == GeneratorName)
                {
                    return true;
                }
            }

            return false;
        }

        private static HashSet<string> CollectIdentifiers(MethodDeclarationSyntax syntax, List<ParameterModel> parameters)
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal) { SeedName };
            foreach (var token in syntax.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken)) names.Add(token.ValueText);
            }

            foreach (var parameter in parameters)
            {
                names.Add(parameter.Name);
                if (parameter.GradientName is { } gradient) names.Add(gradient);
            }

            return names;
        }

        private static string TypeKeyword(TypeDeclarationSyntax type) => type switch
        {
            RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
            StructDeclarationSyntax => "struct",
            InterfaceDeclarationSyntax => "interface",
            _ => "class",
        };

        private static string Accessibility(Accessibility accessibility) => accessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => "public",
            Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
            Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };

        private static string HintName(IMethodSymbol method, List<string> parameterTypes)
        {
            var text = new StringBuilder();
            text.Append(method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty));
            text.Append('.').Append(method.Name);
            foreach (var type in parameterTypes) text.Append('_').Append(type.Replace("[]", "Array").Replace("System.ReadOnlySpan<", "ReadOnlySpan").Replace("System.Span<", "Span").Replace(">", string.Empty));
            string original = text.ToString();
            var sanitized = new StringBuilder();
            foreach (char c in original)
            {
                sanitized.Append(char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_');
            }

            // `Box<T>` and `Box_T_` would both read `Box_T_`: keep such names apart with a hash of the original.
            if (sanitized.ToString() != original)
            {
                uint hash = 2166136261;
                foreach (char c in original)
                {
                    hash = unchecked((hash ^ c) * 16777619);
                }

                sanitized.Append('_').Append(hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            }

            return sanitized.Append(".g.cs").ToString();
        }

        private static ImmutableArray<Diagnostic> Deduplicate(List<Diagnostic> diagnostics)
        {
            var seen = new HashSet<(string, int, int, string)>();
            var result = ImmutableArray.CreateBuilder<Diagnostic>();
            foreach (var diagnostic in diagnostics)
            {
                var key = (diagnostic.Id, diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
                if (seen.Add(key)) result.Add(diagnostic);
            }

            return result.ToImmutable();
        }
    }
}
