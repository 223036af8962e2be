using AutoGrad;

namespace AutoGrad.GradBench.Problems
{
    /// <summary>GradBench's <c>hello</c>: <c>square</c> is x², <c>double</c> is its gradient 2x.</summary>
    public static partial class Hello
    {
        /// <summary>x².</summary>
        [Differentiable]
        public static double Square(double x) => x * x;

        /// <summary>The gradient of <see cref="Square"/> through the generated <c>SquareBackward</c>: 2x.</summary>
        public static double Double(double x)
        {
            SquareBackward(x, out double dX);
            return dX;
        }
    }
}
