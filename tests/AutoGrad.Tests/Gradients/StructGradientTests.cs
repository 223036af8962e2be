using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Struct parameters (parameter bundles) as people write them: record structs, readonly record structs, plain
/// structs with fields or auto-properties, structs nested in the class and in each other, System.Numerics vectors;
/// read directly, through a local copy and through helpers; with scalars, [NoGrad] arrays, guards, branches and
/// loops; in double and float. Each gradient comes back as a value of its parameter's type.
/// </summary>
public class StructGradientTests
{
    private const string TopLevelTypes = """
        public record struct Params(double Slope, double Intercept);
        public readonly record struct Gaussian(double Mean, double Sigma);
        public record struct FloatParams(float Gain, float Bias);
        public struct One { public double Value; }
        public readonly record struct Six(double A, double B, double C, double D, double E, double F);
        public struct Pose
        {
            public double X { get; set; }
            public double Y { get; set; }
            public float Angle;
            public const double Tau = 6.283185307179586;
            public static readonly Pose Origin;
            public double Heading => Angle * 360 / Tau;
        }
        public record struct Pair<T>(T First, T Second);
        """;

    private static StructCase Case(string name, string member, double low = -1.5, double high = 1.5) =>
        new(name, member, low, high) { Types = TopLevelTypes };

    private static readonly StructCase[] Cases =
    {
        // The example: a linear-regression loss over [NoGrad] data.
        Case("LinearRegressionLoss", """
            [Differentiable]
            public static double LinearRegressionLoss(Params p, [NoGrad] double[] xs, [NoGrad] double[] ys)
            {
                double sum = 0;
                for (int i = 0; i < xs.Length; i++) { var r = p.Slope * xs[i] + p.Intercept - ys[i]; sum += r * r; }
                return sum / xs.Length;
            }
            """),
        Case("Vector2Area", """
            [Differentiable] public static float Vector2Area(Vector2 v) => v.X * v.Y;
            """),
        Case("Vector3LengthInADoubleMethod", """
            [Differentiable]
            public static double Vector3LengthInADoubleMethod(Vector3 v,double scale)
            {
                var  sq = v.X*v.X + v.Y*v.Y + v.Z*v.Z;
                return Math.Sqrt( sq + 1e-3 ) * scale;
            }
            """),
        Case("Vector4Dot", """
            [Differentiable]
            public static float Vector4Dot(Vector4 a, Vector4 b)
            {
                float s = a.X * b.X + a.Y * b.Y;
                s += a.Z * b.Z + a.W * b.W;
                return MathF.Tanh(s);
            }
            """),
        // A struct declared inside the containing class, holding another; plain fields and auto-properties.
        Case("NestedStructsInTheClass", """
            public struct Inner { public double A; public double B { get; set; } }
            public struct Outer { public Inner In; public double C; }

            [Differentiable]
            public static double NestedStructsInTheClass(Outer o, double k)
            {
                var t = o.In.A * k + Math.Exp(o.In.B);
                return t * o.C;
            }
            """),
        Case("LocalCopyInALoop", """
            [Differentiable]
            public static double LocalCopyInALoop(Params p, double x, int steps)
            {
                double y = x;
                for (int i = 0; i < steps; i++)
                {
                    var q = p;
                    y = Math.Tanh(q.Slope * y + q.Intercept);
                }
                return y;
            }
            """) with { Fixed = new Dictionary<string, object> { ["steps"] = 3 } },
        // A helper call nested in another's argument list, each with a struct argument (the inner call once
        // dropped the outer call's struct binding: a generator crash).
        Case("NestedHelperCallsWithStructArguments", """
            static double Weigh(Params s, double k) => s.Slope * k + s.Intercept;

            [Differentiable]
            public static double NestedHelperCallsWithStructArguments(Params p, Params q) => Weigh(p, Weigh(q, 1.0));
            """),
        Case("PlainHelperTakingTheStruct", """
            static double Predict(Params p, double x) => p.Slope * x + p.Intercept;

            [Differentiable]
            public static double PlainHelperTakingTheStruct(Params p, [NoGrad] double[] xs)
            {
                double s = 0;
                foreach (var x in xs) s += Math.Abs(Predict(p, x)) + Predict(p, x * x);
                return s;
            }
            """),
        Case("DifferentiableHelperTakingTheStruct", """
            [Differentiable]
            public static double LogDensity(Gaussian g, double x)
            {
                var z = (x - g.Mean) / g.Sigma;
                return -0.5 * z * z - Math.Log(g.Sigma);
            }

            [Differentiable]
            public static double DifferentiableHelperTakingTheStruct(Gaussian g, [NoGrad] double[] data)
            {
                double total = 0;
                for (int i = 0; i < data.Length; i++) total -= LogDensity(g, data[i]);
                return total;
            }
            """, 0.5, 2),
        Case("GuardOnAMember", """
            [Differentiable]
            public static double GuardOnAMember(Gaussian g, double x)
            {
                if (g.Sigma <= 0) throw new ArgumentOutOfRangeException(nameof(g), "Sigma must be positive");
                return Math.Exp(-(x - g.Mean) * (x - g.Mean) / (2 * g.Sigma * g.Sigma));
            }
            """, 0.5, 2),
        Case("EarlyReturnOnAMember", """
            [Differentiable]
            public static double EarlyReturnOnAMember(Params p, double x)
            {
                if (p.Slope > 0) return p.Slope * x * x;
                var r = p.Intercept - x;
                return r * p.Slope;
            }
            """) with { Accept = args => Math.Abs(FirstLeaf(args[0]!)) > 0.05 },
        Case("SeveralStructsAndScalars", """
            [Differentiable]
            public static double SeveralStructsAndScalars(double w, Params a, [NoGrad] Params fixedPart, Params b, float t)
            {
                var mix = a.Slope * b.Intercept - fixedPart.Slope * a.Intercept;
                return w * mix + t * b.Slope + fixedPart.Intercept;
            }
            """),
        Case("FloatRecordStruct", """
            [Differentiable]
            public static float FloatRecordStruct(FloatParams p, [NoGrad] float[] xs)
            {
                float loss = 0f;
                for (int i = 0; i < xs.Length; i++)
                {
                    float y = p.Gain * xs[i] + p.Bias;
                    loss += y * y;
                }
                return loss / xs.Length;
            }
            """),
        Case("OneField", """
            [Differentiable] public static double OneField(One o) => Math.Sin(o.Value) * o.Value;
            """),
        Case("SixFields", """
            [Differentiable]
            public static double SixFields(Six s, double x)
            {
                var poly = s.A + x * (s.B + x * (s.C + x * (s.D + x * s.E)));
                return poly * Math.Exp(s.F * x);
            }
            """),
        Case("MixedFloatAndDoubleMembers", """
            [Differentiable]
            public static double MixedFloatAndDoubleMembers(Pose pose, double r)
            {
                return pose.X + r * Math.Cos(pose.Angle) - pose.Y * r * Math.Sin(pose.Angle);
            }
            """),
        Case("DeconstructedRecordStruct", """
            [Differentiable]
            public static double DeconstructedRecordStruct(Params p, double x, Gaussian g)
            {
                var (slope, intercept) = p;
                (double m, double s) = g;
                return Math.Exp(slope * x) * intercept + m * s * x;
            }
            """),
        Case("DeconstructedFloatRecordInALoop", """
            [Differentiable]
            public static float DeconstructedFloatRecordInALoop(FloatParams p, [NoGrad] float[] xs)
            {
                float acc = 0;
                foreach (var x in xs)
                {
                    var (gain, bias) = p;
                    acc += MathF.Sin(gain * x + bias);
                }
                return acc;
            }
            """),
        Case("GenericRecordStruct", """
            [Differentiable]
            public static double GenericRecordStruct(Pair<double> pair, Pair<float> weights)
            {
                return pair.First * weights.First + Math.Atan(pair.Second) * weights.Second;
            }
            """),
        Case("ReturnInsideALoop", """
            [Differentiable]
            public static double ReturnInsideALoop(Params p, [NoGrad] double[] xs)
            {
                double s = 0;
                for (int i = 0; i < xs.Length; i++)
                {
                    s += p.Slope * xs[i];
                    if (s > 2) return s * p.Intercept;
                }
                return s + p.Intercept;
            }
            """),
        Case("SwitchOnAMember", """
            [Differentiable]
            public static double SwitchOnAMember(Gaussian g, double x) => g.Mean switch
            {
                < -0.5 => x * g.Sigma,
                < 0.5 => g.Mean * g.Mean * x,
                _ => Math.Log(g.Sigma + 2) * g.Mean,
            };
            """) with { Accept = args => Math.Abs(Math.Abs(FirstLeaf(args[0]!)) - 0.5) > 0.05 },
        Case("UnusedMemberGetsZero", """
            [Differentiable] public static double UnusedMemberGetsZero(Params p, double x) => p.Slope * x;
            """),
    };

    private static readonly StructCaseSet Set = new(Cases);

    /// <summary>The first leaf of a boxed struct argument (for a domain filter).</summary>
    private static double FirstLeaf(object boxed) => StructLeaves.Of(boxed.GetType())[0].Get(boxed);

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => Set.Check(name);

    /// <summary>
    /// A struct beside a differentiable array: the array's gradient is added into a span (which reflection cannot
    /// pass), so a harness in the compiled source calls the Backward and returns every gradient.
    /// </summary>
    [Fact]
    public void A_struct_beside_a_differentiable_array()
    {
        const string source = """
            using System;
            using AutoGrad;

            public record struct Line(double Slope, double Intercept);

            public static partial class Mixed
            {
                [Differentiable]
                public static double F(Line line, double[] w, [NoGrad] double[] xs)
                {
                    double s = 0;
                    for (int i = 0; i < w.Length; i++) s += w[i] * Math.Tanh(line.Slope * xs[i] + line.Intercept);
                    return s * s;
                }

                public static double Value(double slope, double intercept, double[] w, double[] xs) => F(new Line(slope, intercept), w, xs);

                public static double[] Gradient(double slope, double intercept, double[] w, double[] xs)
                {
                    var dW = new double[w.Length];
                    FBackward(new Line(slope, intercept), w, xs, out Line dLine, dW);
                    var all = new double[w.Length + 2];
                    all[0] = dLine.Slope;
                    all[1] = dLine.Intercept;
                    dW.CopyTo(all, 2);
                    return all;
                }
            }
            """;
        using var program = TestCompiler.CompileAndLoad(source);
        var type = program.GetType("Mixed");
        var value = type.GetMethod("Value")!;
        var gradient = type.GetMethod("Gradient")!;
        var point = new[] { 0.7, -0.3, 0.5, -1.2, 0.9 };
        var xs = new[] { 0.4, -0.8, 1.1 };
        double F(double[] p) => (double)value.Invoke(null, new object[] { p[0], p[1], p[2..], xs })!;
        var analytic = (double[])gradient.Invoke(null, new object[] { point[0], point[1], point[2..], xs })!;
        var numeric = GradientCheck.Numerical(F, point);
        for (int k = 0; k < point.Length; k++)
        {
            Assert.True(GradientCheck.RelativeError(analytic[k], numeric[k]) < 1e-6, "coordinate " + k + ": analytic " + analytic[k] + ", numeric " + numeric[k]);
        }
    }
}
