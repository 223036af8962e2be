using System;
using System.Collections.Immutable;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.Analyzers
{
    /// <summary>
    /// At calls of generated <c>…Backward</c> methods, warns when a gradient buffer is the same array as an
    /// input array or span: the gradient would be added into values the computation still reads.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class GradientBufferAliasAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.GradientAlias);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (!method.Name.EndsWith(MethodParser.BackwardSuffix, StringComparison.Ordinal) || !MethodParser.IsGeneratedByUs(method)) return;

            foreach (var gradient in invocation.Arguments)
            {
                if (gradient.Parameter is not { RefKind: RefKind.None } gradientParameter
                    || !IsSpan(gradientParameter.Type)
                    || gradientParameter.Ordinal < FirstGradientOrdinal(method)
                    || Root(gradient.Value) is not { } gradientRoot)
                {
                    continue;
                }

                foreach (var input in invocation.Arguments)
                {
                    if (input.Parameter is not { } inputParameter
                        || inputParameter.Ordinal >= FirstGradientOrdinal(method)
                        || Root(input.Value) is not { } inputRoot
                        || !SymbolEqualityComparer.Default.Equals(gradientRoot, inputRoot))
                    {
                        continue;
                    }

                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.GradientAlias,
                        gradient.Value.Syntax.GetLocation(),
                        gradientRoot.Name,
                        gradientParameter.Name,
                        inputParameter.Name));
                    break;
                }
            }
        }

        /// <summary>
        /// Where the gradients start in a generated Backward: after the original method's parameters, as the
        /// contract (<see cref="BackwardContract"/>) lays them out. The original is found as the method whose
        /// contract the Backward matches.
        /// </summary>
        private static int FirstGradientOrdinal(IMethodSymbol backward)
        {
            string name = backward.Name.Substring(0, backward.Name.Length - BackwardContract.Suffix.Length);
            foreach (var member in backward.ContainingType.GetMembers(name))
            {
                if (member is IMethodSymbol original
                    && DerivativeRegistry.ParametersOf(original) is { } parameters
                    && DerivativeRegistry.Matches(backward, original, parameters) is null)
                {
                    return parameters.Count;
                }
            }

            return backward.Parameters.Length - 1;
        }

        private static bool IsSpan(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "Span", IsGenericType: true } named && named.ContainingNamespace?.ToDisplayString() == "System";

        /// <summary>The variable an array or span argument comes from, through conversions, <c>AsSpan</c> and slicing.</summary>
        private static ISymbol? Root(IOperation operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        continue;
                    case IInvocationOperation { TargetMethod.Name: "AsSpan" or "Slice" } call:
                        if (call.Instance is { } instance)
                        {
                            operation = instance;
                            continue;
                        }

                        if (call.Arguments.Length > 0)
                        {
                            operation = call.Arguments[0].Value;
                            continue;
                        }

                        return null;
                    case IObjectCreationOperation { Arguments.Length: > 0 } creation when IsSpan(creation.Type!) || creation.Type?.Name == "ReadOnlySpan":
                        operation = creation.Arguments[0].Value;
                        continue;
                    case ILocalReferenceOperation local:
                        return local.Local;
                    case IParameterReferenceOperation parameter:
                        return parameter.Parameter;
                    case IFieldReferenceOperation field:
                        return field.Field;
                    default:
                        return null;
                }
            }
        }
    }
}
