using System.Collections.Immutable;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// What parsing one [Differentiable] method gives: the model when the method can be differentiated, and
    /// the diagnostics for the analyzer to report. Never stored in the incremental pipeline (it holds
    /// locations): the generator keeps only <see cref="Model"/>.
    /// </summary>
    internal sealed class ParseResult
    {
        public ParseResult(MethodModel? model, ImmutableArray<Diagnostic> diagnostics, ImmutableArray<IMethodSymbol> customDerivatives = default)
        {
            Model = model;
            Diagnostics = diagnostics;
            CustomDerivatives = customDerivatives.IsDefault ? ImmutableArray<IMethodSymbol>.Empty : customDerivatives;
        }

        /// <summary>The [DerivativeOf] methods the body's calls use (for the analyzer's unused-derivative check).</summary>
        public ImmutableArray<IMethodSymbol> CustomDerivatives { get; }

        /// <summary>Null when the method has an error (ours or the compiler's).</summary>
        public MethodModel? Model { get; }

        public ImmutableArray<Diagnostic> Diagnostics { get; }
    }
}
