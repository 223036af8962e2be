using Xunit;

namespace AutoGrad.Tests.Snapshots;

/// <summary>A generic-math method: a generic Backward with the method's constraints, the overload without the seed, the pooled tape.</summary>
public sealed partial class SnapshotTests
{
    [Fact]
    public void GenericMath() => Verify("GenericLogSumExp", """
        public static partial class Numerics
        {
            [Differentiable]
            public static TFloat LogSumExp<TFloat>(ReadOnlySpan<TFloat> z, TFloat temperature)
                where TFloat : struct, System.Numerics.IFloatingPointIeee754<TFloat>
            {
                TFloat max = TFloat.NegativeInfinity;
                foreach (var v in z) max = TFloat.Max(max, v);
                var sum = TFloat.Zero;
                for (int i = 0; i < z.Length; i++)
                {
                    sum += TFloat.Exp((z[i] - max) / temperature);
                    sum = sum * TFloat.CreateChecked(0.5) + TFloat.One;
                }

                return max + temperature * TFloat.Log(sum);
            }
        }
        """);
}
