using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// <c>ref</c> and <c>ref readonly</c> locals that alias a local, a parameter or an element of an array: every
/// read and write through the alias is a read or write of what it refers to, at the index its declaration
/// computed. Checked against finite differences for double and float, in loops (where the aliased local must be
/// carried) and branches, and with the index changing after the alias was declared.
/// </summary>
public class RefLocalGradientTests
{
    private static readonly ArrayCase[] Cases =
    {
        ArrayCase.Double(
            "AliasOfLocalAccumulates",
            "double x, double y",
            """
            double total = x;
            ref double acc = ref total;
            acc += x * y;
            acc *= y;
            return total + acc;
            """),
        ArrayCase.Float(
            "AliasOfParameter",
            "float x, float y",
            """
            ref float r = ref x;
            r = r * y + 1f;
            return x * x + r;
            """),
        ArrayCase.Double(
            "AliasDeclaredInLoopCarriesOuterLocal",
            "double[] x, double w",
            """
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                ref double s = ref sum;
                s += Math.Sin(x[i] * w);
            }
            return sum * w;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Float(
            "AliasDeclaredBeforeLoop",
            "float[] x, float w",
            """
            float best = 0f;
            ref float b = ref best;
            foreach (var v in x)
            {
                if (v * w > b) b = v * w;
            }
            return best;
            """,
            new ArrayDomain(-2, 2).Length("x", 5)),
        ArrayCase.Double(
            "ElementOfScratchArray",
            "double[] x, double w",
            """
            var h = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                ref double e = ref h[i];
                e = x[i] * w;
                e += e * e;
            }
            double s = 0;
            for (int i = 0; i < h.Length; i++) s += h[i] * (i + 1);
            return s;
            """,
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "ElementAliasKeepsItsIndex",
            "double x, double y",
            """
            Span<double> buf = stackalloc double[3];
            int k = 1;
            ref double slot = ref buf[k];
            k = 2;
            slot = x * y;
            buf[k] = slot + x;
            return buf[1] * buf[2] + buf[0];
            """),
        ArrayCase.Float(
            "ReadonlyAliasOfInputElement",
            "float[] w, float x",
            """
            ref readonly float first = ref w[0];
            ref readonly float last = ref w[w.Length - 1];
            return first * x + last * last;
            """,
            new ArrayDomain().Length("w", 3)),
        ArrayCase.Double(
            "AliasOfAlias",
            "double x",
            """
            double a = 1;
            ref double r1 = ref a;
            ref double r2 = ref r1;
            r2 = Math.Exp(x);
            r1 *= x;
            return a;
            """),
        ArrayCase.Double(
            "AliasInBranch",
            "double x, double y",
            """
            double lo = x, hi = y;
            ref double target = ref lo;
            if (x > y) { target = x * y; }
            else { target = x - y; }
            return lo * hi;
            """,
            new ArrayDomain().Where(p => Math.Abs(p["x"] - p["y"]) > 0.05)),
        ArrayCase.Float(
            "SwapThroughRefLocals",
            "float x, float y",
            """
            float a = x * 2f, b = y - x;
            ref float r = ref a;
            ref float q = ref b;
            (r, q) = (q, r * y);
            return a * a + b;
            """),
        ArrayCase.Double(
            "SwapElementsThroughRefLocals",
            "double x, double y",
            """
            double[] h = { x, y * y, 1 };
            ref var first = ref h[0];
            ref var second = ref h[1];
            (first, second) = (second, first + h[2]);
            return h[0] * 3 + h[1] * h[1];
            """),
        ArrayCase.Double(
            "CompoundThroughElementAliasInNestedLoops",
            "double[] x, double w",
            """
            var acc = new double[2];
            for (int i = 0; i < x.Length; i++)
            {
                ref double cell = ref acc[i % 2];
                for (int j = 0; j <= i; j++) cell += x[j] * w;
                cell *= 0.5;
            }
            return acc[0] * acc[1];
            """,
            new ArrayDomain().Length("x", 5)),
    };

    private static readonly ArrayCaseSet Set = new("RefLocals", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public void Element_alias_writes_the_element_its_declaration_chose()
    {
        // slot refers to buf[1] although k is 2 when it is written: buf = {0, x y, x y + x}.
        var method = Set.Get("ElementAliasKeepsItsIndex");
        double x = 0.5, y = 3;
        Assert.Equal(x * y * (x * y + x), method.InvokeBackward(method.Arguments(x, y)).Value, 12);
    }
}
