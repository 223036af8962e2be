using System;
using System.Reflection;

namespace AutoGrad
{
    public static partial class GradientCheck
    {
        /// <summary>The tolerance <see cref="GradientCheckResult.Passed"/> uses unless given another with <see cref="GradientCheckResult.WithTolerance"/>.</summary>
        public const double DefaultTolerance = 1e-6;

        /// <summary>The generated Backward of a <c>double F(double a)</c>.</summary>
        /// <param name="a">The argument.</param>
        /// <param name="dA">Receives the gradient with respect to <paramref name="a"/>, times <paramref name="seed"/>.</param>
        /// <param name="seed">The gradient flowing into the result.</param>
        /// <returns>The value of <c>F</c>.</returns>
        public delegate double Backward1(double a, out double dA, double seed);

        /// <summary>The generated Backward of a <c>double F(double a, double b)</c>.</summary>
        /// <param name="a">The first argument.</param>
        /// <param name="b">The second argument.</param>
        /// <param name="dA">Receives the gradient with respect to <paramref name="a"/>, times <paramref name="seed"/>.</param>
        /// <param name="dB">Receives the gradient with respect to <paramref name="b"/>, times <paramref name="seed"/>.</param>
        /// <param name="seed">The gradient flowing into the result.</param>
        /// <returns>The value of <c>F</c>.</returns>
        public delegate double Backward2(double a, double b, out double dA, out double dB, double seed);

        /// <summary>The generated Backward of a <c>double F(double a, double b, double c)</c>.</summary>
        /// <param name="a">The first argument.</param>
        /// <param name="b">The second argument.</param>
        /// <param name="c">The third argument.</param>
        /// <param name="dA">Receives the gradient with respect to <paramref name="a"/>, times <paramref name="seed"/>.</param>
        /// <param name="dB">Receives the gradient with respect to <paramref name="b"/>, times <paramref name="seed"/>.</param>
        /// <param name="dC">Receives the gradient with respect to <paramref name="c"/>, times <paramref name="seed"/>.</param>
        /// <param name="seed">The gradient flowing into the result.</param>
        /// <returns>The value of <c>F</c>.</returns>
        public delegate double Backward3(double a, double b, double c, out double dA, out double dB, out double dC, double seed);

        /// <summary>The generated Backward of a <c>double F(double a, double b, double c, double d)</c>.</summary>
        /// <param name="a">The first argument.</param>
        /// <param name="b">The second argument.</param>
        /// <param name="c">The third argument.</param>
        /// <param name="d">The fourth argument.</param>
        /// <param name="dA">Receives the gradient with respect to <paramref name="a"/>, times <paramref name="seed"/>.</param>
        /// <param name="dB">Receives the gradient with respect to <paramref name="b"/>, times <paramref name="seed"/>.</param>
        /// <param name="dC">Receives the gradient with respect to <paramref name="c"/>, times <paramref name="seed"/>.</param>
        /// <param name="dD">Receives the gradient with respect to <paramref name="d"/>, times <paramref name="seed"/>.</param>
        /// <param name="seed">The gradient flowing into the result.</param>
        /// <returns>The value of <c>F</c>.</returns>
        public delegate double Backward4(double a, double b, double c, double d, out double dA, out double dB, out double dC, out double dD, double seed);

        /// <summary>The generated Backward of a <c>double F(double[] w)</c>, which adds the gradient into <paramref name="dW"/>.</summary>
        /// <param name="w">The argument.</param>
        /// <param name="dW">The gradient with respect to each element of <paramref name="w"/>, times <paramref name="seed"/>, is added to it.</param>
        /// <param name="seed">The gradient flowing into the result.</param>
        /// <returns>The value of <c>F</c>.</returns>
        public delegate double ArrayBackward(double[] w, Span<double> dW, double seed);

        /// <summary>
        /// Compares the gradient <paramref name="backward"/> returns at <paramref name="a"/> with central finite
        /// differences of <paramref name="f"/>: <c>GradientCheck.Check(Model.F, Model.FBackward, 1.5)</c>.
        /// </summary>
        /// <param name="f">The <c>[Differentiable]</c> method.</param>
        /// <param name="backward">Its generated Backward.</param>
        /// <param name="a">The point.</param>
        /// <returns>The comparison, component by component.</returns>
        public static GradientCheckResult Check(Func<double, double> f, Backward1 backward, double a)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (backward is null) throw new ArgumentNullException(nameof(backward));
            double value = backward(a, out double dA, 1.0);
            return Compare(f.Method, value, new[] { dA }, Numerical(x => f(x[0]), new[] { a }));
        }

        /// <summary>
        /// Compares the gradient <paramref name="backward"/> returns at (<paramref name="a"/>, <paramref name="b"/>)
        /// with central finite differences of <paramref name="f"/>.
        /// </summary>
        /// <param name="f">The <c>[Differentiable]</c> method.</param>
        /// <param name="backward">Its generated Backward.</param>
        /// <param name="a">The first coordinate of the point.</param>
        /// <param name="b">The second coordinate of the point.</param>
        /// <returns>The comparison, component by component.</returns>
        public static GradientCheckResult Check(Func<double, double, double> f, Backward2 backward, double a, double b)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (backward is null) throw new ArgumentNullException(nameof(backward));
            double value = backward(a, b, out double dA, out double dB, 1.0);
            return Compare(f.Method, value, new[] { dA, dB }, Numerical(x => f(x[0], x[1]), new[] { a, b }));
        }

        /// <summary>
        /// Compares the gradient <paramref name="backward"/> returns at (<paramref name="a"/>, <paramref name="b"/>,
        /// <paramref name="c"/>) with central finite differences of <paramref name="f"/>.
        /// </summary>
        /// <param name="f">The <c>[Differentiable]</c> method.</param>
        /// <param name="backward">Its generated Backward.</param>
        /// <param name="a">The first coordinate of the point.</param>
        /// <param name="b">The second coordinate of the point.</param>
        /// <param name="c">The third coordinate of the point.</param>
        /// <returns>The comparison, component by component.</returns>
        public static GradientCheckResult Check(Func<double, double, double, double> f, Backward3 backward, double a, double b, double c)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (backward is null) throw new ArgumentNullException(nameof(backward));
            double value = backward(a, b, c, out double dA, out double dB, out double dC, 1.0);
            return Compare(f.Method, value, new[] { dA, dB, dC }, Numerical(x => f(x[0], x[1], x[2]), new[] { a, b, c }));
        }

        /// <summary>
        /// Compares the gradient <paramref name="backward"/> returns at (<paramref name="a"/>, <paramref name="b"/>,
        /// <paramref name="c"/>, <paramref name="d"/>) with central finite differences of <paramref name="f"/>.
        /// </summary>
        /// <param name="f">The <c>[Differentiable]</c> method.</param>
        /// <param name="backward">Its generated Backward.</param>
        /// <param name="a">The first coordinate of the point.</param>
        /// <param name="b">The second coordinate of the point.</param>
        /// <param name="c">The third coordinate of the point.</param>
        /// <param name="d">The fourth coordinate of the point.</param>
        /// <returns>The comparison, component by component.</returns>
        public static GradientCheckResult Check(Func<double, double, double, double, double> f, Backward4 backward, double a, double b, double c, double d)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (backward is null) throw new ArgumentNullException(nameof(backward));
            double value = backward(a, b, c, d, out double dA, out double dB, out double dC, out double dD, 1.0);
            return Compare(f.Method, value, new[] { dA, dB, dC, dD }, Numerical(x => f(x[0], x[1], x[2], x[3]), new[] { a, b, c, d }));
        }

        /// <summary>
        /// Compares the gradient <paramref name="backward"/> adds into a zeroed buffer at <paramref name="point"/>
        /// with central finite differences of <paramref name="f"/>. Components are named <c>w[i]</c> after the
        /// method's parameter.
        /// </summary>
        /// <param name="f">The <c>[Differentiable]</c> method taking an array.</param>
        /// <param name="backward">Its generated Backward.</param>
        /// <param name="point">The point; not changed.</param>
        /// <returns>The comparison, component by component.</returns>
        public static GradientCheckResult Check(Func<double[], double> f, ArrayBackward backward, double[] point)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (backward is null) throw new ArgumentNullException(nameof(backward));
            if (point is null) throw new ArgumentNullException(nameof(point));
            var input = (double[])point.Clone();
            var analytic = new double[point.Length];
            double value = backward(input, analytic, 1.0);
            var numerical = Numerical(f, (double[])point.Clone());
            var parameters = f.Method.GetParameters();
            string array = parameters.Length == 1 && parameters[0].Name is { Length: > 0 } name ? name : "x";
            var names = new string[point.Length];
            for (int i = 0; i < names.Length; i++) names[i] = array + "[" + i + "]";
            return new GradientCheckResult(value, names, analytic, numerical, DefaultTolerance);
        }

        private static GradientCheckResult Compare(MethodInfo method, double value, double[] analytic, double[] numerical)
        {
            var parameters = method.GetParameters();
            var names = new string[analytic.Length];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = parameters.Length == names.Length && parameters[i].Name is { Length: > 0 } name ? name : "x" + i;
            }

            return new GradientCheckResult(value, names, analytic, numerical, DefaultTolerance);
        }
    }
}
