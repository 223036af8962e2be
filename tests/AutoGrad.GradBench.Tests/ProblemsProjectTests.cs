using Xunit;

namespace AutoGrad.GradBench.Tests;

/// <summary>The problems library loads; each problem has its own test class beside this one.</summary>
public class ProblemsProjectTests
{
    [Fact]
    public void The_problems_assembly_loads() =>
        Assert.Equal("AutoGrad.GradBench.Problems", typeof(AutoGrad.GradBench.Problems.ProblemsAssembly).Assembly.GetName().Name);
}
