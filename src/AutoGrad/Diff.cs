namespace AutoGrad
{
    /// <summary>
    /// Functions that change how code is differentiated, not what it computes.
    /// </summary>
    public static class Diff
    {
        /// <summary>
        /// Returns <paramref name="x"/> unchanged, but blocks the gradient: generated code that differentiates
        /// through a call treats its result as a constant. <c>x * Diff.StopGradient(x)</c> has the value
        /// <c>x²</c> and the gradient <c>x</c>, not <c>2x</c>.
        /// </summary>
        /// <param name="x">The value.</param>
        /// <returns><paramref name="x"/>.</returns>
        public static double StopGradient(double x) => x;

        /// <summary>
        /// Returns <paramref name="x"/> unchanged, but blocks the gradient: generated code that differentiates
        /// through a call treats its result as a constant.
        /// </summary>
        /// <param name="x">The value.</param>
        /// <returns><paramref name="x"/>.</returns>
        public static float StopGradient(float x) => x;
    }
}
