using System;
using System.Linq;
using System.Reflection;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// The Backward's signature for methods written with C# conveniences: default parameter values (shorter
/// overloads that pass the defaults on), extension methods (the Backward is one too) and float and double
/// parameters mixed (each gradient has its parameter's type, the seed the return type).
/// </summary>
public class SignatureFormTests
{
    private static readonly Lazy<LoadedProgram> Program = new(() => TestCompiler.CompileAndLoad(
        """
        using System;
        using System.Linq;
        using AutoGrad;

        namespace Forms
        {
            public static partial class Defaults
            {
                [Differentiable]
                public static double Scaled(double x, double scale = 2.0, int n = 3) => scale * Math.Sin(x) * n + x / scale;

                [Differentiable]
                public static float Damped(float x, [NoGrad] float rate = 0.5f, bool squared = false)
                {
                    var y = MathF.Exp(-rate * x);
                    if (squared) y *= y;
                    return y * x;
                }

                [Differentiable]
                public static double Sum(double[] v, [NoGrad] double offset = -1.5)
                {
                    double s = 0;
                    for (int i = 0; i < v.Length; i++) s += (v[i] + offset) * v[i];
                    return s;
                }

                // Another overload callable with one argument: Mixed(x)'s short form would clash with its Backward.
                [Differentiable]
                public static double Mixed(double x, [NoGrad] double k = 4.0) => k * x * x;

                [Differentiable]
                public static double Mixed(double x) => x * x * x;
            }

            public static class Calls
            {
                public static double[] ScaledShort(double x)
                {
                    double v1 = Defaults.ScaledBackward(x, out var dx1, out var ds1);
                    double v2 = Defaults.ScaledBackward(x, 2.5, out var dx2, out var ds2, seed: 3.0);
                    double v3 = Defaults.ScaledBackward(x, 2.0, 3, out var dx3, out var ds3);
                    return new[] { v1, dx1, ds1, v2, dx2, ds2, v3, dx3, ds3 };
                }

                public static float[] DampedShort(float x)
                {
                    float v1 = Defaults.DampedBackward(x, out var dx1);
                    float v2 = Defaults.DampedBackward(x, 0.5f, out var dx2, 2f);
                    float v3 = Defaults.DampedBackward(x, 0.5f, false, out var dx3);
                    return new[] { v1, dx1, v2, dx2, v3, dx3 };
                }

                public static double[] SumShort(double[] v)
                {
                    var d1 = new double[v.Length];
                    var d2 = new double[v.Length];
                    double v1 = Defaults.SumBackward(v, d1);
                    double v2 = Defaults.SumBackward(v, -1.5, d2);
                    return new[] { v1, v2 }.Concat(d1).Concat(d2).ToArray();
                }

                public static double[] Extensions(double[] v, double x)
                {
                    var dv = new double[v.Length];
                    double n = v.Norm2Backward(dv);
                    double p = x.PowTwoBackward(out var dx, out _);
                    double q = x.PowTwoBackward(3.0, out var dx3, out var dp3);
                    return new[] { n, p, dx, q, dx3, dp3 }.Concat(dv).ToArray();
                }
            }

            public static partial class Ext
            {
                [Differentiable]
                public static double Norm2(this double[] v)
                {
                    double s = 0;
                    for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
                    return Math.Sqrt(s);
                }

                [Differentiable]
                public static double PowTwo(this double x, double p = 2) => Math.Pow(x, p);
            }

            public static partial class MixedTypes
            {
                [Differentiable]
                public static float F(float x, double y) => x * (float)Math.Sin(y);

                [Differentiable]
                public static double G(double x, float y) => x * MathF.Cos(y);
            }
        }
        """));

    private static object? Call(string name, params object[] args) =>
        Program.Value.GetType("Forms.Calls").GetMethod(name)!.Invoke(null, args);

    private static MethodInfo[] Backwards(string type, string name) =>
        Program.Value.GetType(type).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == name + "Backward").ToArray();

    [Fact]
    public void Full_backwards_of_defaulted_methods_match_finite_differences()
    {
        GradientChecker.Check(Program.Value.Method("Forms.Defaults", "Scaled"), new Domain().Range("scale", 0.5, 3).Fix("n", 3));
        GradientChecker.Check(Program.Value.Method("Forms.Defaults", "Damped"), new Domain().Fix("squared", true));
        GradientChecker.Check(Program.Value.Method("Forms.Defaults", "Damped"), new Domain().Fix("squared", false));
    }

    [Fact]
    public void Shorter_overloads_pass_the_default_values_on()
    {
        var scaled = (double[])Call("ScaledShort", 0.7)!;
        var method = Program.Value.Method("Forms.Defaults", "Scaled");
        var full = method.InvokeBackward(method.Arguments(0.7, 2.0, 3));
        Assert.Equal(new[] { full.Value, full.Gradients[0], full.Gradients[1] }, scaled[0..3]);
        Assert.Equal(scaled[0..3], scaled[6..9]);
        var withScale = method.InvokeBackward(method.Arguments(0.7, 2.5, 3), seed: 3.0);
        Assert.Equal(new[] { withScale.Value, withScale.Gradients[0], withScale.Gradients[1] }, scaled[3..6]);

        var damped = (float[])Call("DampedShort", 1.3f)!;
        Assert.Equal(damped[0..2], damped[4..6]);
        Assert.Equal(damped[1] * 2f, damped[3]);
        var dampedMethod = Program.Value.Method("Forms.Defaults", "Damped");
        var dampedFull = dampedMethod.InvokeBackward(dampedMethod.Arguments(1.3, 0.5, false));
        Assert.Equal(dampedFull.Gradients[0], damped[1], 6);

        var sum = (double[])Call("SumShort", new[] { 0.5, -2.0, 3.0 })!;
        Assert.Equal(sum[0], sum[1]);
        Assert.Equal(new[] { 2 * 0.5 - 1.5, 2 * -2.0 - 1.5, 2 * 3.0 - 1.5 }, sum[2..5]);
        Assert.Equal(sum[2..5], sum[5..8]);
    }

    [Fact]
    public void Shorter_overloads_are_one_per_left_out_parameter_and_not_where_they_would_clash()
    {
        Assert.Equal(new[] { 6, 5, 4 }, Backwards("Forms.Defaults", "Scaled").Select(m => m.GetParameters().Length).OrderDescending());
        Assert.Equal(new[] { 5, 4, 3 }, Backwards("Forms.Defaults", "Damped").Select(m => m.GetParameters().Length).OrderDescending());

        // Mixed(x) has its own Backward (x, dX, seed); Mixed(x, k = 4) gets only its full one.
        Assert.Equal(new[] { 4, 3 }, Backwards("Forms.Defaults", "Mixed").Select(m => m.GetParameters().Length).OrderDescending());
    }

    [Fact]
    public void Extension_methods_get_extension_backwards()
    {
        Assert.All(Backwards("Forms.Ext", "Norm2").Concat(Backwards("Forms.Ext", "PowTwo")), m => Assert.True(m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute))));
        var v = new[] { 3.0, -4.0 };
        var results = (double[])Call("Extensions", v, 1.5)!;
        Assert.Equal(5.0, results[0], 12);
        Assert.Equal(1.5 * 1.5, results[1], 12);
        Assert.Equal(2 * 1.5, results[2], 12);
        Assert.Equal(Math.Pow(1.5, 3), results[3], 12);
        Assert.Equal(3 * 1.5 * 1.5, results[4], 12);
        Assert.Equal(Math.Pow(1.5, 3) * Math.Log(1.5), results[5], 12);
        Assert.Equal(new[] { 0.6, -0.8 }, results[6..8].Select(d => Math.Round(d, 12)));
        GradientChecker.Check(Program.Value.Method("Forms.Ext", "PowTwo"), new Domain().Range("x", 0.5, 2));
    }

    [Fact]
    public void Each_gradient_has_its_parameters_type_and_the_seed_the_return_type()
    {
        var f = Backwards("Forms.MixedTypes", "F").Single().GetParameters();
        Assert.Equal(new[] { typeof(float), typeof(double), typeof(float).MakeByRefType(), typeof(double).MakeByRefType(), typeof(float) }, f.Select(p => p.ParameterType));
        var g = Backwards("Forms.MixedTypes", "G").Single().GetParameters();
        Assert.Equal(new[] { typeof(double), typeof(float), typeof(double).MakeByRefType(), typeof(float).MakeByRefType(), typeof(double) }, g.Select(p => p.ParameterType));
        GradientChecker.Check(Program.Value.Method("Forms.MixedTypes", "F"), new Domain());
        GradientChecker.Check(Program.Value.Method("Forms.MixedTypes", "G"), new Domain());
    }
}
