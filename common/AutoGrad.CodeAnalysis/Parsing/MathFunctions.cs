using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Model;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>Which System.Math / System.MathF members the parser recognises.</summary>
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
        };

        /// <summary>Functions whose derivative is zero almost everywhere: their result is a constant to the gradient.</summary>
        private static readonly HashSet<string> ZeroGradient = new()
        {
            "Floor", "Ceiling", "Round", "Truncate", "Sign", "ILogB",
        };

        public static bool TryGetDifferentiable(string name, int arity, out MathFunction function) =>
            Differentiable.TryGetValue((name, arity), out function);

        public static bool HasZeroGradient(string name) => ZeroGradient.Contains(name);
    }
}
