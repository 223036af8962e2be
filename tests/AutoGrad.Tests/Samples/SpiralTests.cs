using System;
using AutoGrad.Spiral;
using Xunit;

namespace AutoGrad.Tests.Samples;

/// <summary>The spiral sample's network (<c>samples/AutoGrad.Spiral/Model</c>, compiled into this project).</summary>
public class SpiralTests
{
    [Fact]
    public void Generated_loss_gradient_agrees_with_finite_differences()
    {
        var data = SpiralData.Generate();
        var check = Trainer.CheckGradient(data, hidden: 16, regularization: 1e-3, stride: 10).WithTolerance(Trainer.GradientTolerance);
        Assert.True(check.Passed, check.ToString());
        Assert.Equal(new Parameters(16).Count, check.Analytic.Count);
    }

    [Fact]
    public void Chunked_parallel_gradient_equals_the_whole_batch_gradient()
    {
        var data = SpiralData.Generate(pointsPerClass: 20);
        var options = new TrainingOptions(Hidden: 12, Regularization: 1e-2, Chunks: 3);
        var trainer = new Trainer(data, options);
        var model = trainer.Model;
        var chunked = new Parameters(options.Hidden);
        double chunkedLoss = trainer.Gradient(chunked);

        var whole = new Parameters(options.Hidden);
        double wholeLoss = SpiralNet.LossBackward(
            model.W1, model.B1, model.W2, model.B2, data.X, data.Labels, options.Regularization,
            whole.W1, whole.B1, whole.W2, whole.B2);

        Assert.Equal(wholeLoss, chunkedLoss, 12);
        Assert.Equal(SpiralNet.Loss(model.W1, model.B1, model.W2, model.B2, data.X, data.Labels, options.Regularization), wholeLoss, 12);
        double[] a = chunked.Flatten(), b = whole.Flatten();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12 * Math.Max(1, Math.Abs(b[i])), $"component {i}: {a[i]} vs {b[i]}");
        }
    }

    [Fact]
    public void Short_training_run_is_well_above_chance()
    {
        var data = SpiralData.Generate();
        var trainer = new Trainer(data, new TrainingOptions(Hidden: 20, Steps: 1000));
        double before = Trainer.Accuracy(trainer.Model, data);
        int reports = 0;
        var last = trainer.Train(_ => reports++, every: 100);
        Assert.Equal(10, reports);
        Assert.Equal(1000, last.Step);
        Assert.True(last.Loss < 1.0, "loss " + last.Loss);
        Assert.True(last.Accuracy > 0.7, $"accuracy {last.Accuracy} (before training {before}; chance is 1/3)");
    }

    [Fact]
    public void Data_set_follows_the_course_recipe()
    {
        var data = SpiralData.Generate();
        Assert.Equal(300, data.Count);
        Assert.Equal(600, data.X.Length);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(100, Array.FindAll(data.Labels, l => l == c).Length);
        }

        // The radius runs from 0 to 1 along each arm.
        Assert.Equal(0.0, Math.Sqrt(data.X[0] * data.X[0] + data.X[1] * data.X[1]), 12);
        Assert.Equal(1.0, Math.Sqrt(data.X[198] * data.X[198] + data.X[199] * data.X[199]), 12);
        Assert.Equal(data.X, SpiralData.Generate().X);
    }
}
