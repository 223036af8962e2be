using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGrad.Tests.Incremental;

/// <summary>No step of the pipeline holds a symbol, syntax, location, semantic model or compilation.</summary>
public class PipelineModelTests
{
    private const string Source = """
        using System;
        using AutoGrad;

        namespace Models
        {
            public partial class Outer<T>
            {
                internal partial struct Inner
                {
                    [Differentiable]
                    public static double F(double x, [NoGrad] double c, int n, double y)
                    {
                        double a = x * y + c * n;
                        a += Math.Exp(-a);
                        if (x > 0) return a * x;
                        return a > y ? a : y;
                    }

                    [Differentiable]
                    private static float G(float x) => MathF.Sqrt(x * x + 1f);
                }
            }
        }
        """;

    [Fact]
    public void Tracked_step_outputs_hold_no_roslyn_objects()
    {
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(Source), trackSteps: true);
        var result = run.Result.Results.Single();
        Assert.NotEmpty(result.TrackedSteps);
        int walked = 0;
        var found = new List<string>();
        // The generator's own steps (every constant of TrackingNames); Roslyn's internal steps of
        // ForAttributeWithMetadataName hold syntax by design and are not ours to check.
        var ours = typeof(AutoGrad.Generator.TrackingNames)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.All(ours, name => Assert.True(result.TrackedSteps.ContainsKey(name), "Step '" + name + "' is not tracked"));
        foreach (var (name, steps) in result.TrackedSteps.Where(s => ours.Contains(s.Key)))
        {
            for (int s = 0; s < steps.Length; s++)
            {
                for (int o = 0; o < steps[s].Outputs.Length; o++)
                {
                    walked++;
                    found.AddRange(ModelWalker.FindForbidden(steps[s].Outputs[o].Value, name + "[" + s + "].Outputs[" + o + "]"));
                }
            }
        }

        Assert.True(walked >= 2, "Only " + walked + " step outputs to walk");
        Assert.True(found.Count == 0, "Pipeline models hold Roslyn objects:\n" + string.Join("\n", found.Distinct().Take(50)));
    }

    private sealed record FakeModel(string Name, FakeInner Inner, ImmutableArray<int> Numbers);

    private sealed record FakeInner(IReadOnlyList<object> Items, (int, object?) Pair);

    private sealed class Hidden
    {
        private readonly object _secret;

        public Hidden(object secret)
        {
            _secret = secret;
        }

        public override string ToString() => _secret.ToString() ?? string.Empty;
    }

    [Fact]
    public void Walker_finds_planted_roslyn_objects()
    {
        var compilation = TestCompiler.CreateCompilation("class C { }");
        var symbol = compilation.GetTypeByMetadataName("C")!;
        var node = compilation.SyntaxTrees[0].GetRoot();

        var clean = new FakeModel("clean", new FakeInner(new object[] { 1, "two", 3.0 }, (4, null)), ImmutableArray.Create(1, 2));
        Assert.Empty(ModelWalker.FindForbidden(clean, "clean"));

        var inList = new FakeModel("list", new FakeInner(new object[] { 1, symbol }, (4, null)), ImmutableArray<int>.Empty);
        Assert.Contains(ModelWalker.FindForbidden(inList, "m"), p => p.Contains("Items[1]", System.StringComparison.Ordinal));

        var inTuple = new FakeModel("tuple", new FakeInner(new object[0], (4, node)), ImmutableArray<int>.Empty);
        Assert.NotEmpty(ModelWalker.FindForbidden(inTuple, "m"));

        var inPrivateField = new FakeModel("private", new FakeInner(new object[] { new Hidden(symbol) }, (0, null)), ImmutableArray<int>.Empty);
        Assert.Contains(ModelWalker.FindForbidden(inPrivateField, "m"), p => p.Contains("_secret", System.StringComparison.Ordinal));

        // Inside the generator's own EquatableArray<T> (reached by reflection: the type is compiled into two assemblies).
        var equatableArray = typeof(AutoGrad.Generator.DifferentiableGenerator).Assembly
            .GetType("AutoGrad.CodeAnalysis.Helpers.EquatableArray`1", throwOnError: true)!
            .MakeGenericType(typeof(ISymbol));
        var planted = System.Activator.CreateInstance(equatableArray, new object[] { new List<ISymbol> { symbol } as IEnumerable<ISymbol> })!;
        Assert.Contains(ModelWalker.FindForbidden(new FakeInner(new object[] { planted }, (0, null)), "m"), p => p.Contains("Items[0]", System.StringComparison.Ordinal));

        Assert.NotEmpty(ModelWalker.FindForbidden(new Hidden(compilation), "c"));
        Assert.NotEmpty(ModelWalker.FindForbidden(new Hidden(node.GetLocation()), "l"));
        Assert.NotEmpty(ModelWalker.FindForbidden(new Hidden(compilation.GetSemanticModel(compilation.SyntaxTrees[0])), "s"));
    }
}
