using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Parsing;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Emit
{
    /// <summary>The parts of a Backward over a floating-point type parameter (generic math) that others do not have.</summary>
    internal static partial class Emitter
    {
        /// <summary>
        /// C# has no default value <c>T.One</c> for a <c>T seed</c>: the full Backward takes the seed, and this
        /// overload without it passes <c>T.One</c>, so that <c>FBackward(x, out var dX)</c> reads as for double.
        /// </summary>
        private static void WriteWithoutSeed(SourceWriter writer, BackwardModel model)
        {
            var kept = model.Parameters.Take(model.Parameters.Count - 1).ToList();
            var seed = model.Parameters[model.Parameters.Count - 1];
            writer.WriteLine();
            writer.WriteLine("/// <summary>");
            writer.WriteLine("/// The full <c>" + model.Name + "</c> with <c>" + seed.Name + "</c> one: the gradient of <c>" + model.OriginalName + "</c> itself.");
            writer.WriteLine("/// </summary>");
            foreach (var parameter in kept)
            {
                string documentation = parameter.Documentation.Replace("<paramref name=\"" + seed.Name + "\"/>", "the seed (one)");
                writer.WriteLine("/// <param name=\"" + parameter.Name + "\">" + documentation + "</param>");
            }

            writer.WriteLine("/// <returns>The value of <c>" + model.OriginalName + "</c> at the given arguments.</returns>");
            writer.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGrad.Generator\", \"" + Version + "\")]");
            WriteWrittenArguments(writer, model);
            WriteSignature(writer, model, kept);
            var arguments = kept.Select(p => (p.IsOut ? "out " : string.Empty) + Identifiers.Escape(p.Name))
                .Concat(new[] { ScalarTypes.Literal(1, seed.Type).Text });
            writer.OpenBrace();
            writer.WriteLine("return " + Identifiers.Escape(model.Name) + "(" + string.Join(", ", arguments) + ");");
            writer.CloseBrace();
        }
    }
}
