namespace AutoGrad.GradBench.Problems
{
    /// <summary>Names this assembly (for tests and tools that load it).</summary>
    public static class ProblemsAssembly
    {
    }
}
