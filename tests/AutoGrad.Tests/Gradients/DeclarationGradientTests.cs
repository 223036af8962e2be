using System;
using System.Linq;
using System.Reflection;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Where a method is declared and how it is spelled: [NoGrad], integer parameters, containing types,
/// namespaces, accessibility, many parameters, keyword and colliding names, odd formatting.
/// Every <see cref="LoadedProgram.Method"/> call also checks the Backward signature against the contract.
/// </summary>
public class DeclarationGradientTests
{
    private static readonly Lazy<LoadedProgram> Declarations = new(() => TestCompiler.CompileAndLoad(
        """
        using System;
        using AutoGrad;

        namespace Decl
        {
            public static partial class Signatures
            {
                [Differentiable]
                public static double NoGradMiddle(double a, [NoGrad] double b, double c) => a * b * c + b * b;

                [Differentiable]
                public static double AllNoGrad(double x, [NoGrad] double b) => x * b;

                [Differentiable]
                public static double IntAndBool(double x, int n, bool square, long m, double f) => x * x * n + m * x * f;

                [Differentiable]
                public static double Twelve(double a, double b, double c, double d, double e, double f, double g, double h, double i, double j, double k, double l)
                {
                    return a * b + c * d - e / (1.0 + f * f) + Math.Sin(g) * h + i * j * k + l * l * a;
                }

                [Differentiable]
                public static double Keywords(double @in, double @double, [NoGrad] double @class) => @in * @double + @class * @in;

                [Differentiable]
                public static double Temporaries(double t0, double t1, double result)
                {
                    double t2 = t0 * t1;
                    double d0 = t2 + result;
                    double dT = d0 * t0;
                    double adj = dT * 2.0;
                    double tmp = adj - t1;
                    return tmp * result;
                }

                [Differentiable]
                public static double   OddSpacing  (   double x ,double
                    y )
                {
                    // a comment
                    double a=x*y   ;   /* block */ double b =
                        a
                        +  x ; // trailing
                    return/*inline*/ b * ( a
                        - y ) ;
                }

                [Differentiable] public static double OneLine(double x) { double q = x * x; return q * x; }

                [Differentiable]
                private static double PrivateMethod(double x) => x * x;

                [Differentiable]
                internal static double InternalMethod(double x) => x * x * x;

                [Differentiable]
                public static double PublicMethod(double x) => x + x * x;
            }

            public partial class Accessibility
            {
                [Differentiable]
                protected static double ProtectedMethod(double x) => x * x;

                [Differentiable]
                protected internal static double ProtectedInternalMethod(double x) => x * x;

                [Differentiable]
                private protected static double PrivateProtectedMethod(double x) => x * x;
            }

            internal partial class Outer
            {
                public partial struct Inner
                {
                    [Differentiable]
                    public static double F(double x, double y) => x * y + y;

                    private partial class Deepest
                    {
                        [Differentiable]
                        internal static float G(float x) => x * x * 3f;
                    }
                }
            }

            public partial record Rec(double Value)
            {
                [Differentiable]
                public static double F(double x, double y) => Math.Exp(x) * y;
            }

            public partial record struct RecStruct(int Id)
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }

            public partial class Box<T>
            {
                [Differentiable]
                public static double F(double x, double y) => x / (1.0 + y * y);
            }

            public partial class Pair<TKey, TValue> where TKey : notnull
            {
                public partial class Nested
                {
                    [Differentiable]
                    public static double F(double x) => Math.Sin(x) * x;
                }
            }

            public partial struct Vector
            {
                [Differentiable]
                public static double Norm(double x, double y) => Math.Sqrt(x * x + y * y);
            }

            public partial class Overloads
            {
                [Differentiable]
                public static double F(double x) => x * x;

                [Differentiable]
                public static double F(double x, double y) => x * y;

                [Differentiable]
                public static float F(float x) => x * x * x;
            }
        }
        """,
        """
        using System;
        using AutoGrad;

        public static partial class GlobalCase
        {
            [Differentiable]
            public static double F(double x, double y) => x * x * y;
        }
        """,
        """
        using System;
        using AutoGrad;

        namespace Decl.FileScoped;

        public static partial class InFileScopedNamespace
        {
            [Differentiable]
            public static double F(double x, double y) => Math.Tanh(x * y);
        }
        """,
        """
        namespace Decl.Deeply.Nested.Ns
        {
            public static partial class FullyQualifiedAttribute
            {
                [global::AutoGrad.Differentiable]
                public static double F(double x, [global::AutoGrad.NoGrad] double y) => global::System.Math.Log(x) * y;
            }
        }
        """));

    /// <summary>User names that the generator's own names must step around; each compiled alone if one breaks.</summary>
    private static readonly CaseSet NameCases = new("Names", new System.Collections.Generic.Dictionary<string, string>
    {
        ["LocalNamedLikeGradient"] = "[Differentiable]\npublic static double LocalNamedLikeGradient(double x)\n{\n    double dX = x * x;\n    return dX + x;\n}",
        ["LocalNamedLikeTheirTemporary"] = "[Differentiable]\npublic static double LocalNamedLikeTheirTemporary(double t0)\n{\n    double dT0 = t0 * t0;\n    double t1 = dT0 + t0;\n    return t1 * t0;\n}",
        ["LocalNamedSeed"] = "[Differentiable]\npublic static double LocalNamedSeed(double x)\n{\n    double seed = x * 3.0;\n    return seed * x;\n}",
        ["LocalsNamedLikeTemporaries"] = "[Differentiable]\npublic static double LocalsNamedLikeTemporaries(double x, double y)\n{\n    double t0 = x * y;\n    double t1 = t0 + x;\n    double dT1 = t1 * t0;\n    double result = dT1 - y;\n    return result * t1;\n}",
    });

    private static DifferentiableMethod Method(string type, string name, params Type[] typeArguments) =>
        Declarations.Value.Method(type, name, typeArguments);

    private static string[] BackwardParameterNames(DifferentiableMethod method) =>
        method.Backward.GetParameters().Select(p => (p.IsOut ? "out " : string.Empty) + p.Name).ToArray();

    [Fact]
    public void NoGrad_parameter_gets_no_gradient()
    {
        var method = Method("Decl.Signatures", "NoGradMiddle");
        Assert.Equal(new[] { "a", "b", "c", "out dA", "out dC", "seed" }, BackwardParameterNames(method));
        GradientChecker.Check(method, new Domain());
    }

    [Fact]
    public void Only_NoGrad_and_one_gradient()
    {
        var method = Method("Decl.Signatures", "AllNoGrad");
        Assert.Equal(new[] { "x", "b", "out dX", "seed" }, BackwardParameterNames(method));
        GradientChecker.Check(method, new Domain());
    }

    [Fact]
    public void Integer_and_bool_parameters_are_not_differentiated()
    {
        var method = Method("Decl.Signatures", "IntAndBool");
        Assert.Equal(new[] { "x", "n", "square", "m", "f", "out dX", "out dF", "seed" }, BackwardParameterNames(method));
        GradientChecker.Check(method, new Domain().Fix("n", 3).Fix("square", true).Fix("m", 7L));
        GradientChecker.Check(method, new Domain().Fix("n", -2).Fix("square", false).Fix("m", -1L));
    }

    [Fact]
    public void Twelve_parameters()
    {
        var method = Method("Decl.Signatures", "Twelve");
        Assert.Equal(12, method.DifferentiableIndices.Count);
        Assert.Equal("out dL", BackwardParameterNames(method)[23]);
        GradientChecker.Check(method, new Domain());
    }

    [Fact]
    public void Keyword_parameter_names()
    {
        var method = Method("Decl.Signatures", "Keywords");
        Assert.Equal(new[] { "in", "double", "class", "out dIn", "out dDouble", "seed" }, BackwardParameterNames(method));
        GradientChecker.Check(method, new Domain());
    }

    [Theory]
    [InlineData("LocalNamedLikeGradient")]
    [InlineData("LocalNamedLikeTheirTemporary")]
    [InlineData("LocalNamedSeed")]
    [InlineData("LocalsNamedLikeTemporaries")]
    public void Locals_named_like_generated_names(string name) =>
        GradientChecker.Check(NameCases.Get(name), new Domain());

    [Theory]
    [InlineData("Temporaries")]
    [InlineData("OddSpacing")]
    [InlineData("OneLine")]
    public void Names_and_formatting(string name) =>
        GradientChecker.Check(Method("Decl.Signatures", name), new Domain());

    [Fact]
    public void Temporaries_named_parameters_keep_their_gradient_names() =>
        Assert.Equal(
            new[] { "t0", "t1", "result", "out dT0", "out dT1", "out dResult", "seed" },
            BackwardParameterNames(Method("Decl.Signatures", "Temporaries")));

    [Theory]
    [InlineData("Decl.Signatures", "PrivateMethod", "private")]
    [InlineData("Decl.Signatures", "InternalMethod", "internal")]
    [InlineData("Decl.Signatures", "PublicMethod", "public")]
    [InlineData("Decl.Accessibility", "ProtectedMethod", "protected")]
    [InlineData("Decl.Accessibility", "ProtectedInternalMethod", "protected internal")]
    [InlineData("Decl.Accessibility", "PrivateProtectedMethod", "private protected")]
    public void Backward_has_the_same_accessibility(string type, string name, string accessibility)
    {
        var method = Method(type, name);
        Assert.Equal(accessibility, DifferentiableMethod.Accessibility(method.Forward));
        Assert.Equal(accessibility, DifferentiableMethod.Accessibility(method.Backward));
        GradientChecker.Check(method, new Domain());
    }

    [Theory]
    [InlineData("Decl.Outer+Inner", "F")]
    [InlineData("Decl.Outer+Inner+Deepest", "G")]
    [InlineData("Decl.Rec", "F")]
    [InlineData("Decl.RecStruct", "F")]
    [InlineData("Decl.Vector", "Norm")]
    [InlineData("GlobalCase", "F")]
    [InlineData("Decl.FileScoped.InFileScopedNamespace", "F")]
    public void Containing_types_and_namespaces(string type, string name) =>
        GradientChecker.Check(Method(type, name), new Domain(0.5, 2));

    [Fact]
    public void Fully_qualified_attributes() =>
        GradientChecker.Check(Method("Decl.Deeply.Nested.Ns.FullyQualifiedAttribute", "F"), new Domain(0.5, 2));

    [Fact]
    public void Generic_containing_type()
    {
        GradientChecker.Check(Method("Decl.Box`1", "F", typeof(int)), new Domain());
        GradientChecker.Check(Method("Decl.Box`1", "F", typeof(string)), new Domain());
        GradientChecker.Check(Method("Decl.Pair`2+Nested", "F", typeof(string), typeof(int)), new Domain());
    }

    [Fact]
    public void Overloads_each_get_a_backward()
    {
        var type = Declarations.Value.GetType("Decl.Overloads");
        var backward = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == "FBackward").ToList();
        Assert.Equal(3, backward.Count);

        var one = new DifferentiableMethod(type.GetMethod("F", new[] { typeof(double) })!, backward.Single(m => m.GetParameters().Length == 3 && m.ReturnType == typeof(double)), () => Declarations.Value.Run.DescribeGenerated());
        var two = new DifferentiableMethod(type.GetMethod("F", new[] { typeof(double), typeof(double) })!, backward.Single(m => m.GetParameters().Length == 5), () => Declarations.Value.Run.DescribeGenerated());
        var single = new DifferentiableMethod(type.GetMethod("F", new[] { typeof(float) })!, backward.Single(m => m.ReturnType == typeof(float)), () => Declarations.Value.Run.DescribeGenerated());
        GradientChecker.Check(one, new Domain());
        GradientChecker.Check(two, new Domain());
        GradientChecker.Check(single, new Domain());
    }

    [Fact]
    public void Every_kind_of_partial_type()
    {
        using var program = TestCompiler.CompileAndLoad(
            """
            using AutoGrad;

            namespace Kinds
            {
                public ref partial struct RefStruct { [Differentiable] public static double F(double x) => x * x; }
                public readonly partial struct ReadonlyStruct { [Differentiable] public static double F(double x) => x * x; }
                public sealed partial class Sealed { [Differentiable] public static double F(double x) => x * x; }
                public abstract partial class Abstract { [Differentiable] public static double F(double x) => x * x; }
                public partial record class RecordClass(int I) { [Differentiable] public static double F(double x) => x * x; }
                public readonly partial record struct ReadonlyRecordStruct(int I) { [Differentiable] public static double F(double x) => x * x; }
                internal static partial class Static { [Differentiable] internal static double F(double x) => x * x; }
            }
            """);

        // Members of a ref struct cannot be invoked by reflection: its Backward's signature is checked only.
        Assert.NotNull(program.Method("Kinds.RefStruct", "F"));
        foreach (var type in new[] { "Kinds.ReadonlyStruct", "Kinds.Sealed", "Kinds.Abstract", "Kinds.RecordClass", "Kinds.ReadonlyRecordStruct", "Kinds.Static" })
        {
            GradientChecker.Check(program.Method(type, "F"), new Domain());
        }
    }

    [Fact]
    public void Mixed_float_and_double_parameters()
    {
        // The contract (getting-started.md): each gradient has its parameter's type, the seed the return type.
        using var program = TestCompiler.CompileAndLoad(
            """
            using System;
            using AutoGrad;

            namespace Mixed
            {
                public static partial class C
                {
                    [Differentiable]
                    public static double D(double x, float f) => x * f + Math.Sin(f);

                    [Differentiable]
                    public static float S(float x, double d) => x * (float)d + (float)Math.Exp(d);
                }
            }
            """);
        GradientChecker.Check(program.Method("Mixed.C", "D"), new Domain());
        GradientChecker.Check(program.Method("Mixed.C", "S"), new Domain());
    }

    [Fact]
    public void Hint_names_do_not_collide()
    {
        // Box<T> and Box_T_ sanitize to the same file name unless the generator disambiguates; a duplicate hint
        // name makes the whole generator fail (CS8785) and drops every generated method of the project.
        using var program = TestCompiler.CompileAndLoad(
            """
            using AutoGrad;

            namespace Hints
            {
                public partial class Box<T> { [Differentiable] public static double F(double x) => x * x; }
                public partial class Box_T_ { [Differentiable] public static double F(double x) => x * x * x; }
            }
            """);
        GradientChecker.Check(program.Method("Hints.Box`1", "F", typeof(int)), new Domain());
        GradientChecker.Check(program.Method("Hints.Box_T_", "F"), new Domain());
    }

    [Fact]
    public void Seed_defaults_to_one()
    {
        var method = Method("Decl.Signatures", "NoGradMiddle");
        var args = method.Arguments(1.5, -0.5, 2.0);
        var withDefault = method.InvokeBackwardWithDefaultSeed(args);
        var withOne = method.InvokeBackward(args, 1.0);
        Assert.Equal(withOne.Value, withDefault.Value);
        Assert.Equal(withOne.Gradients, withDefault.Gradients);
        var floatMethod = Method("Decl.Outer+Inner+Deepest", "G");
        Assert.Equal(floatMethod.InvokeBackward(floatMethod.Arguments(2f), 1.0).Gradients, floatMethod.InvokeBackwardWithDefaultSeed(floatMethod.Arguments(2f)).Gradients);
    }
}
