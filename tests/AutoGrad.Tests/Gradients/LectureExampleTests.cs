using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>The worked examples of the CS231n backpropagation notes, with their exact values.</summary>
public class LectureExampleTests
{
    private static readonly Lazy<LoadedProgram> Program = new(() => TestCompiler.CompileAndLoad(
        """
        using System;
        using AutoGrad;

        namespace Lecture
        {
            public static partial class Examples
            {
                [Differentiable]
                public static double Circuit(double x, double y, double z)
                {
                    double q = x + y;
                    return q * z;
                }

                [Differentiable]
                public static double Neuron(double w0, double w1, double w2, double x0, double x1)
                {
                    double dot = w0 * x0 + w1 * x1 + w2;
                    return 1.0 / (1.0 + Math.Exp(-dot));
                }

                [Differentiable]
                public static double SquaredLoss(double w, double x, double y)
                {
                    double e = w * x - y;
                    return e * e;
                }

                [Differentiable]
                public static double SquaredLossPow(double w, double x, double y) => Math.Pow(w * x - y, 2);

                [Differentiable]
                public static double MaxGate(double x, double y) => Math.Max(x, y);

                [Differentiable]
                public static float MaxGateFloat(float x, float y) => MathF.Max(x, y);
            }
        }
        """));

    private static DifferentiableMethod Method(string name) => Program.Value.Method("Lecture.Examples", name);

    [Fact]
    public void Circuit_at_the_notes_point()
    {
        var method = Method("Circuit");
        var result = method.InvokeBackward(method.Arguments(-2.0, 5.0, -4.0));
        Assert.Equal(-12.0, result.Value);
        Assert.Equal(new[] { -4.0, -4.0, 3.0 }, result.Gradients);
        GradientChecker.CheckAt(method, -2.0, 5.0, -4.0);
        GradientChecker.Check(method, new Domain(-5, 5));
    }

    [Fact]
    public void Sigmoid_neuron_at_the_notes_point()
    {
        var method = Method("Neuron");
        var result = method.InvokeBackward(method.Arguments(2.0, -3.0, -3.0, -1.0, -2.0));
        Assert.Equal(1.0 / (1.0 + Math.Exp(-1.0)), result.Value, 15);
        double[] g = result.Gradients; // dW0, dW1, dW2, dX0, dX1
        Assert.Equal(0.39, g[3], 2);
        Assert.Equal(-0.59, g[4], 2);
        Assert.Equal(-0.20, g[0], 2);
        Assert.Equal(-0.39, g[1], 2);
        Assert.Equal(0.20, g[2], 2);
        GradientChecker.CheckAt(method, 2.0, -3.0, -3.0, -1.0, -2.0);
        GradientChecker.Check(method, new Domain(-3, 3));
    }

    [Theory]
    [InlineData("SquaredLoss")]
    [InlineData("SquaredLossPow")]
    public void Squared_loss(string name)
    {
        var method = Method(name);
        var result = method.InvokeBackward(method.Arguments(1.0, 1.0, 2.0));
        Assert.Equal(1.0, result.Value);
        Assert.Equal(-2.0, result.Gradients[0], 12);
        Assert.Equal(-2.0, result.Gradients[1], 12);
        Assert.Equal(2.0, result.Gradients[2], 12);
        GradientChecker.CheckAt(method, 1.0, 1.0, 2.0);
        GradientChecker.Check(method, new Domain());
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(-0.75)]
    public void Max_routes_the_gradient_to_the_larger_input(double seed)
    {
        var method = Method("MaxGate");
        var result = method.InvokeBackward(method.Arguments(3.0, -1.0), seed);
        Assert.Equal(3.0, result.Value);
        Assert.Equal(seed, result.Gradients[0]);
        Assert.Equal(0.0, result.Gradients[1]);

        result = method.InvokeBackward(method.Arguments(-1.0, 3.0), seed);
        Assert.Equal(0.0, result.Gradients[0]);
        Assert.Equal(seed, result.Gradients[1]);

        var single = Method("MaxGateFloat");
        result = single.InvokeBackward(single.Arguments(3f, -1f), seed);
        Assert.Equal(3.0, result.Value);
        Assert.Equal((double)(float)seed, result.Gradients[0]);
        Assert.Equal(0.0, result.Gradients[1]);
    }
}
