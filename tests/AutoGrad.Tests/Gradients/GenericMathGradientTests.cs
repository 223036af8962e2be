using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Generic math: methods written once for every IEEE floating-point type (<c>where T : IFloatingPointIeee754&lt;T&gt;</c>),
/// the way .NET numeric code is written, each checked instantiated with double and float against finite
/// differences, and a few with Half against the double gradient.
/// </summary>
public class GenericMathGradientTests
{
    private static readonly GenericCase[] Cases =
    {
        new("Softplus", """
            [Differentiable]
            public static T Softplus<T>(T x) where T : IFloatingPointIeee754<T>
                => T.Log(T.One + T.Exp(x));
            """, new GenericDomain(-3, 3), Half: true),

        new("Cubic", """
            [Differentiable]
            public static T Cubic<T>( T x,T y ) where T:IFloatingPointIeee754<T>
            {
                var three = T.CreateChecked(3);
                T half = T.CreateChecked(0.5);
                return x*x*x*three - half*y*y + x*y/T.CreateTruncating(7);
            }
            """, new GenericDomain(), Half: true),

        new("SmoothStep", """
            [Differentiable]
            public static T SmoothStep<T>(T edge0, T edge1, T x) where T : IFloatingPointIeee754<T>
            {
                T t = (x - edge0) / (edge1 - edge0);
                if (t < T.Zero) t = T.Zero;
                else if (t > T.One) t = T.One;
                return t * t * (T.CreateChecked(3) - T.CreateChecked(2) * t);
            }
            """, new GenericDomain().Range("edge0", -2, -1).Range("edge1", 1, 2).Range("x", -0.9, 0.9)),

        new("Polar", """
            [Differentiable]
            public static T Polar<T>(T x, T y) where T : IFloatingPointIeee754<T>
            {
                T r = T.Hypot(x, y);
                T theta = T.Atan2(y, x);
                return r * T.Sin(theta) + T.Cos(theta * T.Pi) / (T.One + r);
            }
            """, new GenericDomain().Where(p => Math.Abs(p["x"]) + Math.Abs(p["y"]) > 0.2 && !(p["x"] < 0 && Math.Abs(p["y"]) < 0.1)), Half: true),

        new("Kinks", """
            [Differentiable]
            public static T Kinks<T>(T a, T b, T c) where T : IFloatingPointIeee754<T>
            {
                T m = T.Max(a, b) - T.Min(b, c);
                T clamped = T.Clamp(c, -T.One, T.One);
                return T.Abs(m) * clamped + T.Sqrt(a * a + T.One);
            }
            """, new GenericDomain().Where(p => Math.Abs(p["a"] - p["b"]) > 0.05 && Math.Abs(p["b"] - p["c"]) > 0.05
                && Math.Abs(Math.Abs(p["c"]) - 1) > 0.05 && Math.Abs(Math.Max(p["a"], p["b"]) - Math.Min(p["b"], p["c"])) > 0.05)),

        new("PowBothWays", """
            [Differentiable]
            public static T PowBothWays<T>(T x, T p) where T : IFloatingPointIeee754<T>
            {
                T lifted = T.Pow(x, p);
                T squared = T.Pow(x, T.CreateChecked(2));
                return lifted + squared + T.Pow(x, T.CreateChecked(0.5));
            }
            """, new GenericDomain().Range("x", 0.2, 3).Range("p", -1.5, 2.5)),

        new("SpecialFunctions", """
            [Differentiable]
            public static T SpecialFunctions<T>(T x, T y) where T : IFloatingPointIeee754<T>
            {
                T a = T.ExpM1(x) + T.LogP1(y) + T.Cbrt(x + T.CreateChecked(3));
                T b = T.FusedMultiplyAdd(x, y, a) + T.Exp2(y) + T.Log2(y + T.One) + T.Log10(y + T.CreateChecked(2));
                T c = T.Tanh(a) * T.Sinh(y) + T.Cosh(x) - T.Atan(b) + T.Asinh(x) + T.ScaleB(y, 3);
                return c + T.Log(y + T.CreateChecked(2), T.CreateChecked(3)) + T.CopySign(x, y);
            }
            """, new GenericDomain().Range("x", -1, 1).Range("y", -0.5, 1).Where(p => Math.Abs(p["y"]) > 0.05 && Math.Abs(p["x"]) > 0.05)),

        new("InverseTrig", """
            [Differentiable]
            public static T InverseTrig<T>(T u) where T : IFloatingPointIeee754<T>
                => T.Asin(u) * T.Acos(u) + T.Atanh(u) + T.Acosh(T.CreateChecked(2) + u * u) + T.Tan(u);
            """, new GenericDomain(-0.9, 0.9)),

        // Edges of domains: near zero for Sqrt and Log, large arguments for Tanh and Exp.
        new("NearEdges", """
            [Differentiable]
            public static T NearEdges<T>(T small, T large) where T : IFloatingPointIeee754<T>
            {
                T root = T.Sqrt(small);
                T logged = T.Log(small);
                return root + logged + T.Tanh(large) + T.Exp(-large);
            }
            """, new GenericDomain().Range("small", 1e-3, 1e-2).Range("large", 5, 9), RelativeStep: true),

        new("WeightedMean", """
            [Differentiable]
            public static T WeightedMean<T>(T[] values, [NoGrad] ReadOnlySpan<T> weights) where T : IFloatingPointIeee754<T>
            {
                T total = T.Zero, norm = T.Zero;
                for (int i = 0; i < values.Length; i++)
                {
                    total += weights[i] * values[i];
                    norm += weights[i];
                }
                return total / norm;
            }
            """, new GenericDomain().Range("weights", 0.5, 2).Length("values", 5).Length("weights", 5), Half: true),

        new("LogSumExp", """
            [Differentiable]
            public static T LogSumExp<T>(ReadOnlySpan<T> z) where T : IFloatingPointIeee754<T>
            {
                T max = z[0];
                for (int i = 1; i < z.Length; i++) max = T.Max(max, z[i]);
                var sum = T.Zero;
                foreach (var v in z) sum += T.Exp(v - max);
                return max + T.Log(sum);
            }
            """, new GenericDomain(-3, 3).Length("z", 6)),

        // The tape: every iteration overwrites acc, which its local gradient reads.
        new("Recurrence", """
            [Differentiable]
            public static T Recurrence<T>(T x, T rate, int steps) where T : IFloatingPointIeee754<T>
            {
                T acc = x;
                for (int k = 0; k < steps; k++)
                {
                    acc = acc * (T.One - rate * acc) + T.Sin(acc) * T.CreateChecked(0.1);
                    if (acc > T.CreateChecked(10)) break;
                }
                return acc;
            }
            """, new GenericDomain().Range("x", 0.1, 0.5).Range("rate", 0.5, 1.5).Fix("steps", 6)),

        new("Horner", """
            [Differentiable]
            public static T Horner<T>(T[] coefficients, T x) where T : IFloatingPointIeee754<T>
            {
                T result = T.Zero;
                int i = coefficients.Length;
                while (i-- > 0)
                    result = result * x + coefficients[i];
                return result;
            }
            """, new GenericDomain(-1.5, 1.5).Length("coefficients", 5)),

        new("NormalizeThenLoss", """
            [Differentiable]
            public static T NormalizeThenLoss<T>(Span<T> w, [NoGrad] T[] target) where T : IFloatingPointIeee754<T>
            {
                var n = w.Length;
                var scaled = new T[n];
                T norm = T.Zero;
                for (var i = 0; i < n; i++) norm += w[i] * w[i];
                norm = T.Sqrt(norm);
                for (var i = 0; i < n; i++) scaled[i] = w[i] / norm;
                T loss = T.Zero;
                for (var i = 0; i < n; i++)
                {
                    T d = scaled[i] - target[i];
                    loss += d * d * T.CreateChecked(i + 1);
                }
                return loss / T.CreateChecked(n);
            }
            """, new GenericDomain().Range("w", 0.3, 2).Length("w", 4).Length("target", 4)),

        // A generic helper, inlined with the caller's type parameter.
        new("WithHelper", """
            private static U Sigmoid<U>(U z) where U : IFloatingPointIeee754<U> => U.One / (U.One + U.Exp(-z));

            [Differentiable]
            public static T WithHelper<T>(T a, T b) where T : IFloatingPointIeee754<T>
            {
                var s = Sigmoid(a * b);
                return s * (T.One - s) + Sigmoid(a);
            }
            """, new GenericDomain(), Half: true),

        // A call of another generic [Differentiable] method, inlined like any helper.
        new("CallsDifferentiable", """
            [Differentiable]
            public static T CallsDifferentiable<T>(T x, T y) where T : IFloatingPointIeee754<T>
            {
                T total = T.Zero;
                for (int i = 1; i <= 3; i++)
                    total += Softplus(x * T.CreateChecked(i) - y);
                return total;
            }
            """, new GenericDomain()),

        // Recursion: the generic Backward calls itself, with its type parameter inferred.
        new("Power", """
            [Differentiable]
            public static T Power<T>(T x, int n) where T : IFloatingPointIeee754<T>
            {
                if (n == 0) return T.One;
                if (n % 2 == 0) { var half = Power(x, n / 2); return half * half; }
                return x * Power(x, n - 1);
            }
            """, new GenericDomain(-1.5, 1.5).Fix("n", 7), Half: true),

        // A default value, with the shorter overload it gives.
        new("WithDefault", """
            [Differentiable]
            public static T WithDefault<T>(T x, T shift = default) where T : struct, IFloatingPointIeee754<T>
                => T.Exp(x - shift) - shift * x;
            """, new GenericDomain()),

        // Constraints written other ways: an interface that extends IFloatingPointIeee754, and extra constraints.
        new("BinaryConstraint", """
            [Differentiable]
            internal static TFloat BinaryConstraint<TFloat>(TFloat x, TFloat y)
                where TFloat : struct, IBinaryFloatingPointIeee754<TFloat>, IMinMaxValue<TFloat>
            {
                TFloat s = x;
                s *= y;
                s -= TFloat.E * x;
                s /= TFloat.One + y * y;
                s++;
                return s > TFloat.Zero && x < y ? s * s : -s + TFloat.Tau;
            }
            """, new GenericDomain().Where(p => Math.Abs(p["x"] - p["y"]) > 0.05)),

        new("Branches", """
            [Differentiable]
            public static T Branches<T>(T x, [NoGrad] T threshold, int mode) where T : IFloatingPointIeee754<T>
            {
                if (T.IsNaN(x)) return x;
                T y;
                if (x > threshold) y = T.Exp(x - threshold);
                else y = T.One + x - threshold;
                return mode == 1 ? -y : y * x;
            }
            """, new GenericDomain().Range("threshold", -0.5, 0.5).Fix("mode", 2).Where(p => Math.Abs(p["x"] - p["threshold"]) > 0.05)),
    };

    private static readonly GenericCaseSet Set = new("GenericCases", Cases);

    public static IEnumerable<object[]> Names => GenericCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient(string name) => GenericGradientChecker.Check(Set, name);

    [Theory]
    [InlineData(typeof(double), 1e-6)]
    [InlineData(typeof(float), 2e-2)]
    public void A_generic_type_s_floating_point_type_parameter(Type type, double tolerance)
    {
        // A non-generic method of a generic type: its Backward is a non-generic method of Ops<T>.
        using var program = TestCompiler.CompileAndLoad("""
            using System;
            using System.Numerics;
            using AutoGrad;

            namespace Cases
            {
                public static partial class Ops<TValue> where TValue : IFloatingPointIeee754<TValue>
                {
                    [Differentiable]
                    public static TValue Energy(TValue x, TValue y)
                    {
                        var e = TValue.Exp(-x * x) * y;
                        for (int i = 0; i < 3; i++) e = e * TValue.Cos(e) + x;
                        return e;
                    }
                }
            }
            """);
        var ops = program.GetType("Cases.Ops`1", type);
        var forward = ops.GetMethod("Energy")!;
        var backward = ops.GetMethods().Single(m => m.Name == "EnergyBackward" && m.GetParameters().Length == 5);
        object Of(double v) => Convert.ChangeType(v, type, System.Globalization.CultureInfo.InvariantCulture);
        double F(double[] p) => Convert.ToDouble(forward.Invoke(null, new[] { Of(p[0]), Of(p[1]) }), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var point in new[] { new[] { 0.3, 0.7 }, new[] { -0.8, 1.4 }, new[] { 1.2, -0.5 } })
        {
            var args = new[] { Of(point[0]), Of(point[1]), null, null, Of(2.0) };
            double value = Convert.ToDouble(backward.Invoke(null, args), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(F(point), value, 1e-6);
            var numeric = type == typeof(double) ? GradientCheck.Numerical(F, point) : new[]
            {
                (F(new[] { point[0] + 1e-2, point[1] }) - F(new[] { point[0] - 1e-2, point[1] })) / 2e-2,
                (F(new[] { point[0], point[1] + 1e-2 }) - F(new[] { point[0], point[1] - 1e-2 })) / 2e-2,
            };
            for (int k = 0; k < 2; k++)
            {
                double analytic = Convert.ToDouble(args[2 + k], System.Globalization.CultureInfo.InvariantCulture) / 2.0;
                Assert.True(GradientCheck.RelativeError(analytic, numeric[k]) < tolerance, "d" + k + ": analytic " + analytic + ", numeric " + numeric[k]);
            }
        }
    }
}
