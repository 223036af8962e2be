using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Diagnostics
{
    /// <summary>
    /// Every diagnostic of AutoGrad.Gen, shared by the generator and the analyzers. IDs are stable: never
    /// reuse or renumber one. Each ID has a page <c>docs/diagnostics/AGnnnn.md</c> and a row in
    /// <c>analyzers/AutoGrad.Analyzers/AnalyzerReleases.Shipped.md</c>.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "AutoGrad";
        private const string HelpLinkBase = "https://github.com/autograd-gen/autograd-gen/blob/main/docs/diagnostics/";

        public const string TypeNotPartialId = "AG0001";
        public const string MethodNotStaticId = "AG0002";
        public const string UnsupportedReturnTypeId = "AG0003";
        public const string UnsupportedParameterTypeId = "AG0004";
        public const string UnsupportedParameterModifierId = "AG0005";
        public const string GenericMethodId = "AG0006";
        public const string NoBodyId = "AG0007";
        public const string NameConflictId = "AG0008";
        public const string UnsupportedLocalTypeId = "AG0009";
        public const string UnsupportedStatementId = "AG0010";
        public const string UnsupportedExpressionId = "AG0011";
        public const string NoDerivativeId = "AG0012";
        public const string StateWriteId = "AG0013";
        public const string ZeroGradientId = "AG0014";
        public const string LocalFunctionId = "AG0015";
        public const string InputArrayWriteId = "AG0016";
        public const string GradientAliasId = "AG0017";
        public const string CalleeNotDifferentiableId = "AG0018";
        public const string InvalidDerivativeId = "AG0019";
        public const string UnusedDerivativeId = "AG0020";
        public const string InternalErrorId = "AG9999";

        /// <summary>Format: <c>Type '{0}' must be declared partial so that the generator can add '{1}' to it</c>.</summary>
        public static readonly DiagnosticDescriptor TypeNotPartial = Error(
            TypeNotPartialId,
            "Containing type must be partial",
            "Type '{0}' must be declared partial so that the generator can add '{1}' to it");

        /// <summary>Format: <c>Method '{0}' must be static to be differentiated</c>.</summary>
        public static readonly DiagnosticDescriptor MethodNotStatic = Error(
            MethodNotStaticId,
            "Differentiable method must be static",
            "Method '{0}' must be static to be differentiated: make it static and pass what it reads as parameters");

        /// <summary>Format: <c>Method '{0}' returns '{1}'; a [Differentiable] method must return double or float</c>.</summary>
        public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
            UnsupportedReturnTypeId,
            "Unsupported return type",
            "Method '{0}' returns '{1}'; a [Differentiable] method must return double or float");

        /// <summary>
        /// Format: <c>Parameter '{0}' has type '{1}', which a [Differentiable] method cannot take; {2}</c>, where {2} is
        /// <see cref="ParameterTypeAdvice"/>, or for a struct or class why it cannot be a struct parameter and what to do.
        /// </summary>
        public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
            UnsupportedParameterTypeId,
            "Unsupported parameter type",
            "Parameter '{0}' has type '{1}', which a [Differentiable] method cannot take; {2}");

        /// <summary>The advice of <see cref="UnsupportedParameterType"/> for a type that is no struct or class.</summary>
        public const string ParameterTypeAdvice = "use double, float, int, long or bool, an array or span of them, a matrix (double[,]) or jagged array (double[][]), or a struct of double or float fields";

        /// <summary>Format: <c>Parameter '{0}' is declared '{1}'; a [Differentiable] method takes its parameters by value</c>.</summary>
        public static readonly DiagnosticDescriptor UnsupportedParameterModifier = Error(
            UnsupportedParameterModifierId,
            "Unsupported parameter modifier",
            "Parameter '{0}' is declared '{1}'; a [Differentiable] method takes its parameters by value: remove the modifier");

        /// <summary>Format: <c>Method '{0}' cannot be differentiated as a generic method: {1}</c>.</summary>
        public static readonly DiagnosticDescriptor GenericMethod = Error(
            GenericMethodId,
            "Differentiable method has type parameters it cannot differentiate over",
            "Method '{0}' cannot be differentiated as a generic method: {1}");

        /// <summary>Format: <c>Method '{0}' has no body to differentiate</c>.</summary>
        public static readonly DiagnosticDescriptor NoBody = Error(
            NoBodyId,
            "Differentiable method has no body",
            "Method '{0}' has no body to differentiate: put [Differentiable] on a method with a block or expression body");

        /// <summary>Format: <c>'{0}' conflicts with {1}; rename it</c>.</summary>
        public static readonly DiagnosticDescriptor NameConflict = Error(
            NameConflictId,
            "Name conflicts with the generated method",
            "'{0}' conflicts with {1}; rename it");

        /// <summary>Format: <c>Local '{0}' has type '{1}', which a [Differentiable] method cannot use; use double, float, int, long or bool</c>.</summary>
        public static readonly DiagnosticDescriptor UnsupportedLocalType = Error(
            UnsupportedLocalTypeId,
            "Unsupported local variable type",
            "Local '{0}' has type '{1}', which a [Differentiable] method cannot use; use double, float, int, long or bool");

        /// <summary>Format: <c>{0} is not supported in a [Differentiable] method; {1}</c>.</summary>
        public static readonly DiagnosticDescriptor UnsupportedStatement = Error(
            UnsupportedStatementId,
            "Unsupported statement",
            "{0} is not supported in a [Differentiable] method; {1}");

        /// <summary>Format: <c>{0} is not supported in a [Differentiable] method; {1}</c>.</summary>
        public static readonly DiagnosticDescriptor UnsupportedExpression = Error(
            UnsupportedExpressionId,
            "Unsupported expression",
            "{0} is not supported in a [Differentiable] method; {1}");

        /// <summary>Format: <c>'{0}' has no known derivative, and its argument depends on a differentiable input; ...</c>.</summary>
        public static readonly DiagnosticDescriptor NoDerivative = Error(
            NoDerivativeId,
            "Call with no known derivative",
            "'{0}' has no known derivative, and its argument depends on a differentiable input; the generator sees no source for it and it has no generated Backward: declare its derivative with [DerivativeOf], or call a method whose source is in this compilation");

        /// <summary>Format: <c>'{0}' cannot be differentiated where it is called: {1}</c>.</summary>
        public static readonly DiagnosticDescriptor CalleeNotDifferentiable = Error(
            CalleeNotDifferentiableId,
            "Called method cannot be differentiated",
            "'{0}' cannot be differentiated where it is called: {1}");

        /// <summary>Format: <c>This [DerivativeOf] declares no derivative: {0}</c>.</summary>
        public static readonly DiagnosticDescriptor InvalidDerivative = Error(
            InvalidDerivativeId,
            "Custom derivative does not match",
            "This [DerivativeOf] declares no derivative: {0}");

        /// <summary>Format: <c>'{0}' is declared as the derivative of '{1}', which no [Differentiable] code calls</c>.</summary>
        public static readonly DiagnosticDescriptor UnusedDerivative = new(
            UnusedDerivativeId,
            "Custom derivative is never used",
            "'{0}' is declared as the derivative of '{1}', which no [Differentiable] code calls on a differentiable value",
            Category,
            DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + UnusedDerivativeId + ".md",
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>Format: <c>Writing {0} '{1}' is not allowed in a [Differentiable] method; assign a local instead</c>.</summary>
        public static readonly DiagnosticDescriptor StateWrite = Error(
            StateWriteId,
            "Differentiable method writes state",
            "Writing {0} '{1}' is not allowed in a [Differentiable] method; assign a local instead");

        /// <summary>Format: <c>The gradient through '{0}' is zero almost everywhere; no gradient flows back through it</c>.</summary>
        public static readonly DiagnosticDescriptor ZeroGradient = new(
            ZeroGradientId,
            "Gradient is zero or cut off",
            "The gradient through '{0}' is zero almost everywhere; no gradient flows back through it to its input",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "The result is still computed correctly, but it is treated as a constant by the gradient.",
            helpLinkUri: HelpLinkBase + ZeroGradientId + ".md");

        /// <summary>Format: <c>[Differentiable] cannot be applied to local function '{0}'; move it into a partial type as a static method</c>.</summary>
        public static readonly DiagnosticDescriptor LocalFunction = Error(
            LocalFunctionId,
            "Differentiable local function",
            "[Differentiable] cannot be applied to local function '{0}'; move it into a partial type as a static method");

        /// <summary>Format: <c>'{0}' is an input: a [Differentiable] method writes array and span parameters in place, but not matrices or jagged arrays; to work in place, copy it into a local array first ({1}) …</c>, {1} the copy loop for an array or a matrix.</summary>
        public static readonly DiagnosticDescriptor InputArrayWrite = Error(
            InputArrayWriteId,
            "Differentiable method writes an input matrix",
            "'{0}' is an input: a [Differentiable] method writes array and span parameters in place, but not matrices or jagged arrays; to work in place, copy it into a local array first ({1}) and work on the copy, which leaves the caller's array unchanged");

        /// <summary>Format: <c>'{0}' is passed as gradient buffer '{1}' and also as input '{2}': ...</c>.</summary>
        public static readonly DiagnosticDescriptor GradientAlias = new(
            GradientAliasId,
            "Gradient buffer aliases an input",
            "'{0}' is passed as gradient buffer '{1}' and also as input '{2}': the gradient would be added into values the computation reads; pass a separate, zeroed buffer",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + GradientAliasId + ".md");

        /// <summary>Format: <c>AutoGrad could not process '{0}': {1}. Please report this.</c>.</summary>
        public static readonly DiagnosticDescriptor InternalError = Error(
            InternalErrorId,
            "Internal error in AutoGrad",
            "AutoGrad could not process '{0}': {1}. Please report this with the method's source.");

        public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
            TypeNotPartial,
            MethodNotStatic,
            UnsupportedReturnType,
            UnsupportedParameterType,
            UnsupportedParameterModifier,
            GenericMethod,
            NoBody,
            NameConflict,
            UnsupportedLocalType,
            UnsupportedStatement,
            UnsupportedExpression,
            NoDerivative,
            StateWrite,
            ZeroGradient,
            LocalFunction,
            InputArrayWrite,
            GradientAlias,
            CalleeNotDifferentiable,
            InvalidDerivative,
            UnusedDerivative,
            InternalError);

        private static DiagnosticDescriptor Error(string id, string title, string format) => new(
            id,
            title,
            format,
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + id + ".md");
    }
}
