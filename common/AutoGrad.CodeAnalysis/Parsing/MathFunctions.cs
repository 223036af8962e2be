using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>Which System.Math / System.MathF / double / float members the parser recognises.</summary>
    internal static class MathFunctions
    {
        private static readonly Dictionary<(string Name, int Arity), MathFunction> Differentiable = new()
        {
            [("Exp", 1)] = MathFunction.Exp,
            [("Log", 1)] = MathFunction.Log,
            [("Log", 2)] = MathFunction.Log,
            [("Log10", 1)] = MathFunction.Log10,
            [("Log2", 1)] = MathFunction.Log2,
            [("Sqrt", 1)] = MathFunction.Sqrt,
            [("Cbrt", 1)] = MathFunction.Cbrt,
            [("Pow", 2)] = MathFunction.Pow,
            [("Sin", 1)] = MathFunction.Sin,
            [("Cos", 1)] = MathFunction.Cos,
            [("Tan", 1)] = MathFunction.Tan,
            [("Asin", 1)] = MathFunction.Asin,
            [("Acos", 1)] = MathFunction.Acos,
            [("Atan", 1)] = MathFunction.Atan,
            [("Atan2", 2)] = MathFunction.Atan2,
            [("Sinh", 1)] = MathFunction.Sinh,
            [("Cosh", 1)] = MathFunction.Cosh,
            [("Tanh", 1)] = MathFunction.Tanh,
            [("Abs", 1)] = MathFunction.Abs,
            [("Max", 2)] = MathFunction.Max,
            [("Min", 2)] = MathFunction.Min,
            [("Clamp", 3)] = MathFunction.Clamp,
            [("Asinh", 1)] = MathFunction.Asinh,
            [("Acosh", 1)] = MathFunction.Acosh,
            [("Atanh", 1)] = MathFunction.Atanh,
            [("FusedMultiplyAdd", 3)] = MathFunction.FusedMultiplyAdd,
            [("ScaleB", 2)] = MathFunction.ScaleB,
            [("IEEERemainder", 2)] = MathFunction.IEEERemainder,
            [("CopySign", 2)] = MathFunction.CopySign,
            [("ReciprocalSqrtEstimate", 1)] = MathFunction.ReciprocalSqrtEstimate,
            [("Hypot", 2)] = MathFunction.Hypot,
            [("ExpM1", 1)] = MathFunction.ExpM1,
            [("LogP1", 1)] = MathFunction.LogP1,
            [("Exp2", 1)] = MathFunction.Exp2,
            [("Exp10", 1)] = MathFunction.Exp10,
        };

        /// <summary>
        /// Functions that <c>double</c> and <c>float</c> have but <c>Math</c> does not: a call of one is emitted
        /// as <c>double.X</c> / <c>float.X</c>. Every other <c>double.X</c> is emitted as <c>Math.X</c> (same
        /// result), which also compiles for consumers whose <c>double</c> lacks the generic-math methods.
        /// </summary>
        private static readonly HashSet<MathFunction> OnlyOnFloatingTypes = new()
        {
            MathFunction.Hypot, MathFunction.ExpM1, MathFunction.LogP1, MathFunction.Exp2, MathFunction.Exp10,
        };

        /// <summary>Functions whose derivative is zero almost everywhere: their result is a constant to the gradient.</summary>
        private static readonly HashSet<string> ZeroGradient = new()
        {
            "Floor", "Ceiling", "Round", "Truncate", "Sign", "ILogB",
        };

        public static bool TryGetDifferentiable(string name, int arity, out MathFunction function) =>
            Differentiable.TryGetValue((name, arity), out function);

        public static bool HasZeroGradient(string name) => ZeroGradient.Contains(name);

        /// <summary>Math, MathF, double or float: the types whose methods are built-ins; null for any other type.</summary>
        public static MathClass? BuiltinClass(INamedTypeSymbol? type) => type switch
        {
            { SpecialType: SpecialType.System_Double } => MathClass.Double,
            { SpecialType: SpecialType.System_Single } => MathClass.Single,
            { Name: "Math", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => MathClass.Math,
            { Name: "MathF", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => MathClass.MathF,
            _ => null,
        };

        public static bool IsOnlyOnFloatingTypes(MathFunction function) => OnlyOnFloatingTypes.Contains(function);

        /// <summary>Whether MathF has <paramref name="function"/>: not Clamp (Math.Clamp takes floats), nor what only double and float have.</summary>
        public static bool IsOnMathF(MathFunction function) => !OnlyOnFloatingTypes.Contains(function) && function != MathFunction.Clamp;
    }
}
