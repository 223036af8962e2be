namespace AutoGrad.Generator
{
    /// <summary>Names of the incremental pipeline's steps, so tests can ask each whether it was cached.</summary>
    internal static class TrackingNames
    {
        /// <summary>Each [Differentiable] method parsed to its model (null when it has errors).</summary>
        public const string Parse = nameof(Parse);

        /// <summary>The methods with a Backward to emit: differentiable ones, and rejected ones whose signature allows a stub.</summary>
        public const string Valid = nameof(Valid);

        /// <summary>The adjoint model of each method.</summary>
        public const string Differentiate = nameof(Differentiate);

        /// <summary>Whether the project's C# version has <c>#nullable</c>.</summary>
        public const string LanguageVersion = nameof(LanguageVersion);
    }
}
