using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>Corner cases: zero and identity gradients, integer semantics, scoping, literal spellings, long code.</summary>
public class EdgeCaseGradientTests
{
    private static string LongChain(int terms)
    {
        var builder = new StringBuilder("return x");
        for (int i = 1; i < terms; i++)
        {
            builder.Append(i % 3 == 0 ? " * " : i % 3 == 1 ? " + " : " - ").Append("y * ").Append((i % 7) + 1).Append(".0");
        }

        return builder.Append(';').ToString();
    }

    private static string ManyReassignments(int count)
    {
        var builder = new StringBuilder("double v = x;\n");
        for (int i = 0; i < count; i++)
        {
            builder.Append((i % 4) switch
            {
                0 => "v = v * 0.999 + y * 0.001;\n",
                1 => "v += Math.Sin(v) * 0.01;\n",
                2 => "v -= 0.001 * x;\n",
                _ => "v *= 1.0001;\n",
            });
        }

        return builder.Append("return v;").ToString();
    }

    private static string ManyEarlyReturns(int count)
    {
        var builder = new StringBuilder("double v = x * y;\n");
        for (int i = 0; i < count; i++)
        {
            builder.Append("if (v > ").Append(10 + i).Append(".5) return v * ").Append(i + 1).Append(".0;\n");
            builder.Append("v = v + x;\n");
        }

        return builder.Append("return v - y;").ToString();
    }

    private static readonly GradientCase[] Cases =
    {
        GradientCase.Double("Identity", "double x", "return x;"),
        GradientCase.Double("PowCube", "double x", "return Math.Pow(x, 3.0);", new Domain(-2, 2).Where(p => Math.Abs(p["x"]) > 0.05)),
        GradientCase.Double("PowBoth", "double x, double p", "return Math.Pow(x, p);", new Domain(0.2, 2)),
        GradientCase.Double("Constant", "double x", "return 1.5;"),
        GradientCase.Double("UnusedParameter", "double x, double y", "return x * x;"),
        GradientCase.Double("ConstantAfterWork", "double x", "double a = x * x;\na = 2.0;\nreturn a;"),
        GradientCase.Double("UnaryPlus", "double x, double y", "return +x * +(y - x);"),
        GradientCase.Double("SelfDivision", "double x", "return x / x + x;", new Domain(0.5, 2)),
        GradientCase.Double("PowSelf", "double x", "return Math.Pow(x, x);", new Domain(0.5, 2)),
        GradientCase.Double("IntegerDivisionStaysInteger", "double x, int n", "return (n / 2) * x + (n % 2) * x * x;", new Domain().Fix("n", 3)),
        GradientCase.Double("IntMixedArithmetic", "double x, int n", "int k = n * n - 1;\ndouble d = k / 4;\nreturn d * x + k / 4.0 * x;", new Domain().Fix("n", 3)),
        GradientCase.Double("CastToIntCutsGradient", "double x, double y", "int k = (int)y;\nreturn x * k + (int)(x * 3.0);", new Domain().Range("y", 2.1, 2.9).Range("x", 0.4, 0.6)),
        GradientCase.Double("SignCutsGradient", "double x", "return Math.Sign(x) * x;", new Domain(0.5, 2)),
        GradientCase.Double("LiteralSpellings", "double x", "return 1_000.5e-3 * x + 5e-1 * x + 2d * x + 3f * x + 4L * x + 0x10 * x + 1E+1 * x;"),
        GradientCase.Float("FloatLiteralSpellings", "float x", "return 1_0.5f * x + 5e-1f * x + 2F * x + 3 * x + (float)0.25 * x;"),
        GradientCase.Float("MathFConstants", "float x", "return MathF.PI * x + MathF.E * x * x + (float)Math.PI;"),
        new GradientCase("ConstField", "private const double Scale = 2.5;\n\n" + GradientCase.Declare("double", "ConstField", "double x", "return Scale * x * x;"), new Domain()),
        GradientCase.Double("SameNameInSiblingBlocks", "double x, double y", "double r = 0.0;\n{\n    double t = x * y;\n    r += t;\n}\n{\n    double t = x + y;\n    r *= t;\n}\nreturn r;"),
        GradientCase.Double(
            "ModifiedInOneBranchUsedAfter",
            "double x, double y",
            "double a = x;\ndouble b = y;\nif (x > 0)\n{\n    a *= y;\n}\nelse if (y > 0)\n{\n    b *= x;\n}\nreturn a * b + a;",
            new Domain().Where(p => Math.Abs(p["x"]) > 0.05 && Math.Abs(p["y"]) > 0.05)),
        GradientCase.Double(
            "ReturnInMiddleOfElseIfChain",
            "double x, double y",
            "double r = x;\nif (x < -1.0) r = r * y;\nelse if (x < 0.0) return r * r * y;\nelse r = r + y;\nreturn r * x;",
            new Domain().Where(p => Math.Abs(p["x"] + 1) > 0.05 && Math.Abs(p["x"]) > 0.05)),
        GradientCase.Double(
            "TernaryInCondition",
            "double x, double y",
            "if ((x > 0 ? x : y) > 0.5) return x * y;\nreturn x - y;",
            new Domain().Where(p => Math.Abs(p["x"]) > 0.05 && Math.Abs((p["x"] > 0 ? p["x"] : p["y"]) - 0.5) > 0.05)),
        GradientCase.Double("TernarySameBranches", "double x, double y", "return x > y ? x : x;", new Domain().Where(p => Math.Abs(p["x"] - p["y"]) > 0.05)),
        GradientCase.Double(
            "ConditionOnActiveValue",
            "double x, double y",
            "double s = Math.Sin(x) * y;\nbool big = s > 0.25 && y < 1.5 || x < -1.5;\nreturn big ? s * s : s + x;",
            new Domain().Where(p => Math.Abs(Math.Sin(p["x"]) * p["y"] - 0.25) > 0.05 && Math.Abs(p["y"] - 1.5) > 0.05 && Math.Abs(p["x"] + 1.5) > 0.05)),
        GradientCase.Double("ParameterReassignedInBranch", "double x, double y", "if (y > 0) x = x * y;\nreturn x * x;", new Domain().Where(p => Math.Abs(p["y"]) > 0.05)),
        GradientCase.Double("EarlyReturnOfParameter", "double x, double y", "if (y > 0) return x;\nreturn y;", new Domain().Where(p => Math.Abs(p["y"]) > 0.05)),
        GradientCase.Double("LongExpression", "double x, double y", LongChain(200), new Domain(-1, 1)),
        GradientCase.Double("ManyReassignments", "double x, double y", ManyReassignments(300), new Domain(-1, 1)),
        GradientCase.Double("ManyEarlyReturns", "double x, double y", ManyEarlyReturns(25), new Domain(1, 3)),
        GradientCase.Double(
            "DeepNesting",
            "double x, double y",
            string.Concat(Enumerable.Range(0, 12).Select(i => "if (x > " + (i * 0.1 - 0.55).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + ") {\n"))
                + "x = x * y;\n" + new string('}', 12) + "\nreturn x + y;",
            new Domain(-1, 1).Where(p => Enumerable.Range(0, 12).All(i => Math.Abs(p["x"] - (i * 0.1 - 0.55)) > 0.01))),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("EdgeCases", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, Array.Find(Cases, c => c.Name == name)!);

    [Fact]
    public void Zero_and_identity_gradients_are_exact()
    {
        var identity = Set.Get("Identity").InvokeBackward(new object?[] { 0.75 }, 2.0);
        Assert.Equal(0.75, identity.Value);
        Assert.Equal(2.0, identity.Gradients[0]);

        var constant = Set.Get("Constant").InvokeBackward(new object?[] { 0.75 });
        Assert.Equal(1.5, constant.Value);
        Assert.Equal(0.0, constant.Gradients[0]);

        var unused = Set.Get("UnusedParameter").InvokeBackward(new object?[] { 3.0, 4.0 });
        Assert.Equal(new[] { 6.0, 0.0 }, unused.Gradients);
    }

    [Fact]
    public void Pow_at_a_zero_base_has_finite_gradients()
    {
        // The base's slope p*y/x is used away from 0; at 0 the rule falls back to p*x^(p-1).
        var cube = Set.Get("PowCube").InvokeBackward(new object?[] { 0.0 });
        Assert.Equal(0.0, cube.Value);
        Assert.Equal(0.0, cube.Gradients[0]);

        var both = Set.Get("PowBoth").InvokeBackward(new object?[] { 0.0, 2.5 });
        Assert.Equal(0.0, both.Value);
        Assert.Equal(new[] { 0.0, 0.0 }, both.Gradients);

        var negative = Set.Get("PowCube").InvokeBackward(new object?[] { -2.0 });
        Assert.Equal(-8.0, negative.Value);
        Assert.Equal(12.0, negative.Gradients[0], 12);
    }

    [Fact]
    public void Seed_zero_gives_zero_gradients()
    {
        var method = Set.Get("ManyReassignments");
        var result = method.InvokeBackward(new object?[] { 0.3, -0.2 }, 0.0);
        Assert.Equal(method.Invoke(new object?[] { 0.3, -0.2 }), result.Value);
        Assert.All(result.Gradients, g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Special_constants_round_trip()
    {
        using var program = TestCompiler.CompileAndLoad(
            """
            using System;
            using AutoGrad;

            namespace Constants
            {
                public static partial class C
                {
                    private const double Third = 1.0 / 3.0;
                    private const long Smallest = long.MinValue;

                    [Differentiable]
                    public static double F(double x, double y)
                    {
                        double a = Math.Min(x, double.MaxValue) + Math.Max(y, -double.MaxValue) * Math.Max(x, double.Epsilon) + Math.Tau * x;
                        double b = x - -0.5 - -(-y) + -(-0.25) * x + x * -0.0 + Third * y;
                        double c = (x > double.MaxValue ? double.NaN : 0.0) + (y < double.NegativeInfinity ? 1.0 : 2.0) * x;
                        long n = Smallest;
                        int m = int.MinValue;
                        return a * b + c + (n < 0 ? x : y) + (m < 0 ? y : x) + float.MaxValue * 1e-38 * x;
                    }

                    [Differentiable]
                    public static float G(float x) => MathF.Min(x, float.MaxValue) + 1f / 3f * x - -0.1f * x + MathF.Max(x, -float.MaxValue) * MathF.Max(x, float.Epsilon);
                }
            }
            """);
        GradientChecker.Check(program.Method("Constants.C", "F"), new Domain().Where(p => Math.Abs(p["x"]) > 0.05));
        GradientChecker.Check(program.Method("Constants.C", "G"), new Domain().Where(p => Math.Abs(p["x"]) > 0.05));
    }

    [Fact]
    public void Generated_code_uses_global_qualified_names()
    {
        // Inside this namespace 'System' and 'Math' name the user's own types: the generated code must not care.
        using var program = TestCompiler.CompileAndLoad(
            """
            namespace Hostile
            {
                public static class System { }

                public static class Math
                {
                    public static double Sin(double x) => 0.0;
                }

                public static class MathF { }

                public static class GeneratedCode { }

                public static partial class Uses
                {
                    [global::AutoGrad.Differentiable]
                    public static double F(double x, double y) => global::System.Math.Sin(x) * global::System.Math.Exp(y) + global::System.Math.PI * x;

                    [global::AutoGrad.Differentiable]
                    public static float G(float x) => global::System.MathF.Sqrt(x * x + 1f);
                }
            }
            """);
        GradientChecker.Check(program.Method("Hostile.Uses", "F"), new Domain());
        GradientChecker.Check(program.Method("Hostile.Uses", "G"), new Domain());
    }

    [Fact]
    public void Keyword_type_and_method_names_and_interfaces()
    {
        using var program = TestCompiler.CompileAndLoad(
            """
            using System;
            using AutoGrad;

            namespace Odd
            {
                public static partial class @event
                {
                    [Differentiable]
                    public static double @var(double @this, double @base) => @this * @base;
                }

                public partial interface IShape
                {
                    [Differentiable]
                    static double Area(double r) => Math.PI * r * r;
                }
            }
            """);
        GradientChecker.Check(program.Method("Odd.event", "var"), new Domain());
        GradientChecker.Check(program.Method("Odd.IShape", "Area"), new Domain());
    }
}
