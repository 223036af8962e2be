using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>Code the analyzer must accept silently.</summary>
    public class NoDiagnosticTests
    {
        [Fact]
        public Task GuardClauses() => VerifyAsync(
            """
            using System.Diagnostics;

            namespace Models
            {
                public static partial class Guards
                {
                    [Differentiable]
                    public static double Checked(double x, double[] w, int n)
                    {
                        ArgumentNullException.ThrowIfNull(w);
                        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
                        ArgumentOutOfRangeException.ThrowIfLessThan(x, -1.0);
                        if (x > 10) throw new ArgumentOutOfRangeException(nameof(x), x, $"x = {x:F2} is too large");
                        if (w.Length != n)
                        {
                            throw new ArgumentException("w must have " + n + " weights", nameof(w));
                        }

                        Debug.Assert(n > 0);
                        Debug.Assert(x >= -1, "checked above");
                        double s = 0;
                        for (int i = 0; i < n; i++)
                        {
                            if (double.IsNaN(w[i])) throw new ArgumentException("NaN weight", nameof(w));
                            s += w[i] * SafeLog(x + 2);
                        }

                        return s;
                    }

                    private static double SafeLog(double v)
                    {
                        if (v > 0) return Math.Log(v);
                        throw new ArgumentOutOfRangeException(nameof(v));
                    }
                }
            }
            """);

        [Fact]
        public Task ValidExpressionBodies() => VerifyAsync(
            """
            namespace Models
            {
                public static partial class Functions
                {
                    [Differentiable]
                    public static double Square(double x) => x * x;

                    [Differentiable]
                    public static float Softplus(float x) => MathF.Log(1f + MathF.Exp(x));

                    [Differentiable]
                    internal static double Mixed(double x, int n, long m, bool flag, [NoGrad] double c) =>
                        flag ? x * n + m : -x / c + Math.PI * Math.E;
                }
            }
            """);

        [Fact]
        public Task SwitchesPatternsAndAssignmentsUsedAsValues() => VerifyAsync(
            """
            partial class C
            {
                static double Pick(double v, int k)
                {
                    switch (k) { case 0: return v; default: return -v; }
                }

                [Differentiable]
                static double Picked(double x) => 2 * Pick(x, 1);

                [Differentiable]
                static double F(double x, int mode)
                {
                    double y = x;
                    switch (mode)
                    {
                        case 1:
                            y = x * x;
                            break;
                    }

                    return y + mode switch { 0 => x, _ => x * x } + (x is > 0 and < 1 ? x : 0);
                }

                [Differentiable]
                static double ReturnInLoop(double x)
                {
                    double y = x;
                    while (y < 10)
                    {
                        if (y > 5) return y;
                        y *= 2;
                    }

                    return y;
                }

                [Differentiable]
                static double G(double x, int n)
                {
                    double a, b, t;
                    a = b = x;
                    double s = 0;
                    while (n-- > 0) s += t = a * b;
                    if ((t = x * s) > 0) s = t;
                    return s;
                }
            }
            """);

        [Fact]
        public Task ValidBlockBodyWithBranchesAndReassignment() => VerifyAsync(
            """
            partial struct Loss
            {
                [Differentiable]
                public static double Huber(double r, [NoGrad] double delta)
                {
                    double a = Math.Abs(r);
                    if (a <= delta)
                    {
                        return 0.5 * r * r;
                    }

                    double y = delta * (a - 0.5 * delta);
                    y += 1;
                    y -= 1;
                    y *= 2;
                    y /= 2;
                    return y;
                }

                [Differentiable]
                public static double Branches(double x, double y, int k)
                {
                    double z = x;
                    int count = k;
                    count++;
                    count--;
                    if (x > 0 && y > 0 || k == 3)
                    {
                        z = x * y;
                    }
                    else if (x < -1)
                    {
                        z = Math.Pow(x, 2) + Math.Atan2(y, x);
                    }
                    else
                    {
                        z = Math.Clamp(x, -1.0, 1.0) + Math.Max(x, y) + Math.Min(x, y) + x % 2.0;
                    }

                    {
                        double w = Math.Sqrt(z * z + 1) + Math.Cbrt(z) + Math.Log(z * z + 1, 2) + Math.Log10(2 + x * x) + Math.Log2(3 + y * y);
                        z = w + Math.Sin(x) * Math.Cos(y) + Math.Tan(x) + Math.Asin(0.5) + Math.Acos(0.5) + Math.Atan(x);
                    }

                    return Math.Sinh(z) + Math.Cosh(z) + Math.Tanh(z) + count;
                }
            }
            """);

        [Fact]
        public Task ValidInNestedAndGenericPartialTypes() => VerifyAsync(
            """
            partial class Outer<T>
            {
                partial record Inner
                {
                    [Differentiable]
                    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
                }
            }
            """);

        [Fact]
        public Task MethodsWithoutTheAttributeAreIgnored() => VerifyAsync(
            """
            class C
            {
                int Count(string s) => s.Length;

                static double Loop(double[] xs)
                {
                    double sum = 0;
                    foreach (var x in xs) sum += Math.Floor(x);
                    return sum;
                }

                [Obsolete]
                double Instance(ref double x) => x;
            }
            """);

        [Fact]
        public Task AnotherAttributeWithTheSameNameIsIgnored() => VerifyAsync(
            """
            namespace Other
            {
                [AttributeUsage(AttributeTargets.Method)]
                sealed class DifferentiableAttribute : Attribute { }

                class C
                {
                    [Other.Differentiable]
                    int F(string s) => s.Length;
                }
            }
            """);

        [Theory]
        [InlineData("double y = x + ; return y;")]
        [InlineData("return Unknown(x);")]
        [InlineData("double y; return y * x;")]
        [InlineData("var y = x * ")]
        [InlineData("int n = x; return n;")]
        [InlineData("return x +")]
        [InlineData("for (int i = 0; i < ; i++) { } return x;")]
        [InlineData("string s = 1; return x;")]
        [InlineData("return Math.Foo(x);")]
        [InlineData("s_missing = x; return x;")]
        [InlineData("double y = x; if (y > ) { y = 1; } return y;")]
        public Task HalfTypedBodyIsLeftToTheCompiler(string body)
        {
            var test = Create(
                "partial class C\n{\n    [Differentiable]\n    static double F(double x)\n    {\n        " + body + "\n    }\n}\n");
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            return test.RunAsync();
        }

        [Theory]
        [InlineData("[Differentiable]\n    static double F(double x")]
        [InlineData("[Differentiable]\n    static double F(Unknown x) => x;")]
        [InlineData("[Differentiable]\n    static Unknown F(double x) => x;")]
        [InlineData("[Differentiable]\n    static double F(double x) =>")]
        [InlineData("[Differentiable]\n    static double (double x) => x;")]
        [InlineData("[Differentiable]\n    double F(double x, double x) => x;")]
        [InlineData("[Differentiable(1)]\n    static double F(double x) => x;")]
        [InlineData("[Differentiable]\n    static partial double F(double x);")]
        [InlineData("[Differentiable]\n    static double F(double x) { }")]
        [InlineData("[Differentiable]\n    static double F(double x) { if (x > 0) return x; }")]
        public Task HalfTypedDeclarationIsLeftToTheCompiler(string member)
        {
            var test = Create("partial class C\n{\n    " + member + "\n}\n");
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            return test.RunAsync();
        }

        [Fact]
        public Task TopLevelLocalFunctionInALibraryStillGetsOnlyAG0015()
        {
            // A library cannot have top-level statements (a compiler error), but the attribute is still misplaced.
            var test = Create("[Differentiable]\nstatic double {|AG0015:F|}(double x) => x;\n");
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            return test.RunAsync();
        }
    }
}
