using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Diagnostics
{
    /// <summary>AG0009–AG0013: what a [Differentiable] method's body may not contain.</summary>
    public class BodyDiagnosticsTests
    {
        private const string Loops =
            "loops are planned; until then, unroll it or compute the loop outside and pass the result as a [NoGrad] parameter";

        // ---- AG0009 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0009_StringLocal() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    string {|#0:label|} = "x";
                    return x * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedLocalType).WithLocation(0)
                .WithMessage("Local 'label' has type 'string', which a [Differentiable] method cannot use; use double, float, int, long or bool"));

        [Fact]
        public Task AG0009_DecimalLocal() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    decimal {|AG0009:m|} = 1m;
                    return x;
                }
            }
            """);

        [Fact]
        public Task AG0011_RefLocalOfTupleElement() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    var t = (x, 2.0);
                    ref double a = ref {|#0:t.Item1|};
                    a *= 3;
                    return t.Item1 + a;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("A ref to 't.Item1' is not supported in a [Differentiable] method; a ref local may refer to a local, a parameter or an array element; choose between two with if/else, or copy the value into a local"));

        [Fact]
        public Task AG0011_ConditionalRef() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, double y)
                {
                    double a = x, b = y;
                    ref double r = ref {|#0:x > y ? ref a : ref b|};
                    r *= 2;
                    return a + b;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("A ref to a conditional ('c ? ref a : ref b') is not supported in a [Differentiable] method; a ref local may refer to a local, a parameter or an array element; choose between two with if/else, or copy the value into a local"));

        [Fact]
        public Task AG0009_RefLocalOfAnotherType() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    decimal {|AG0009:m|} = 1m;
                    ref decimal {|#0:r|} = ref m;
                    return x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedLocalType).WithLocation(0)
                .WithMessage("Local 'r' has type 'ref decimal', which a [Differentiable] method cannot use; use double, float, int, long or bool"));

        [Fact]
        public Task AG0011_RefLocalMadeToReferToAnotherVariable() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, double y)
                {
                    double a = x, b = y;
                    ref double r = ref a;
                    {|#0:r = ref b|};
                    r += 1;
                    return a * b;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("Making a ref local refer to something else is not supported in a [Differentiable] method; declare a second ref local for the new target"));

        // ---- AG0010 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0010_TryCatch() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    double y = x;
                    {|#0:try|}
                    {
                        y = x * x;
                    }
                    catch (Exception)
                    {
                        y = 0;
                    }

                    return y;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("A 'try' statement is not supported in a [Differentiable] method; differentiable code cannot catch exceptions; validate the inputs before calling"));

        [Fact]
        public Task AG0010_Goto() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    {|#0:goto|} done;
                    {|#1:done|}:
                    return x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("A 'goto' statement is not supported in a [Differentiable] method; use if/else and return"),
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(1)
                .WithMessage("A labeled statement is not supported in a [Differentiable] method; use if/else and return"));

        [Fact]
        public Task AG0010_GotoCaseInSwitch() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, int mode)
                {
                    double y = x;
                    switch (mode)
                    {
                        case 1:
                            y = x * x;
                            {|#0:goto|} case 2;
                        case 2:
                            y += x;
                            break;
                    }

                    return y;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("A 'goto' in a switch section is not supported in a [Differentiable] method; write the code the sections share in each of them, or in a helper method both call"));

        [Fact]
        public Task AG0010_BreakInTheMiddleOfASwitchSection() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, int mode)
                {
                    double y = x;
                    switch (mode)
                    {
                        case 1:
                            if (x > 0) {|#0:break|};
                            y = x * x;
                            break;
                        default:
                            y = -x;
                            break;
                    }

                    return y;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("A 'break' before the end of a switch section is not supported in a [Differentiable] method; end the section with its only break, and use if/else inside the section"));

        [Fact]
        public Task WritingAnInputArrayIsNoLongerAG0016() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[] x, Span<double> y)
                {
                    x[0] = 2;
                    y[1] += x[0];
                    return x[0] * y[1];
                }
            }
            """);

        [Fact]
        public Task AG0011_ReassigningAnArrayVariable() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double[] x)
                {
                    double[] u = new double[x.Length];
                    double[] v = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) { u[i] = x[i]; v[i] = 3 * x[i] * x[i]; }
                    {|#0:u = v|};
                    {|#1:x = new double[2]|};
                    double[] w = {|#2:u|};
                    return u[0];
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("Assigning the array variable 'u' is not supported in a [Differentiable] method; an array variable keeps the array it starts with; copy elements into it instead"),
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(1)
                .WithMessage("Assigning the array variable 'x' is not supported in a [Differentiable] method; an array variable keeps the array it starts with; copy elements into it instead"),
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(2)
                .WithMessage("A second name for an array is not supported in a [Differentiable] method; use the array by its own name, or copy its elements into a new local array"));

        [Fact]
        public Task AG0010_ForeachLoop() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x, int n)
                {
                    double y = 0;
                    {|#0:foreach|} (var k in new[] { 1, 2, n })
                    {
                        y += k * x;
                    }

                    return y;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("This 'foreach' loop is not supported in a [Differentiable] method; foreach runs over an array or span parameter into a variable of its element type; index anything else with a for loop"));

        [Fact]
        public Task AG0018_LocalFunctionThatCannotBeDifferentiated() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    static double Square(double v) { {|#1:try|} { return v * v; } finally { } }
                    return {|#0:Square(x)|};
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0).WithLocation(1)
                .WithMessage("'Square' cannot be differentiated where it is called: AG0010: A 'try' statement is not supported in a [Differentiable] method; differentiable code cannot catch exceptions; validate the inputs before calling"));

        [Fact]
        public Task AG0010_UnsafeBlock() => Create(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    double y = x;
                    {|#0:unsafe|}
                    {
                        y = x * x;
                    }

                    return y;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("An 'unsafe' block is not supported in a [Differentiable] method; use safe code"))
            .AllowUnsafe()
            .RunAsync();

        [Fact]
        public Task AG0010_ThrowOfAnExceptionAMethodMakes() => VerifyAsync(
            """
            partial class C
            {
                static Exception Negative(string name) => new ArgumentOutOfRangeException(name);

                [Differentiable]
                static double F(double x)
                {
                    if (x < 0) {|#0:throw|} Negative(nameof(x));
                    return Math.Sqrt(x);
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("This 'throw' statement is not supported in a [Differentiable] method; throw a new exception ('throw new ArgumentException(\"…\", nameof(x))') with literals, nameof, interpolated strings and numbers as its arguments"));

        [Fact]
        public Task AG0011_GuardMessageFromAMethodCall() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    if (x < 0) throw new ArgumentOutOfRangeException(nameof(x), {|#0:x.ToString("F2")|});
                    return Math.Sqrt(x);
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("'x.ToString(\"F2\")' in a guard is not supported in a [Differentiable] method; a throw or argument check may use literals, nameof(…), numbers, arrays, + of strings and interpolated strings of numbers"));

        [Fact]
        public Task AG0010_ExpressionStatementThatIsNotAnAssignment() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    {|#0:Console.WriteLine(x)|};
                    return x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedStatement).WithLocation(0)
                .WithMessage("Calling void method 'WriteLine' is not supported in a [Differentiable] method; a void method can be called when it is static and its source is in this compilation, so that the generator can follow what it writes"));


        // ---- AG0011 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0011_Lambda() => VerifyAsync(
            """
            partial class C
            {
                static double Apply(Func<double, double> f, [NoGrad] double v) => f(v);

                [Differentiable]
                static double F(double x, [NoGrad] double c) => x * Apply({|#0:v => v * v|}, c);
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("A lambda or anonymous method is not supported in a [Differentiable] method; write the computation inline"));

        [Fact]
        public Task AG0011_LinqQuery() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => ({|#0:from v in new[] { 1.0, 2.0 } select v * v|}).Sum() * x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("A LINQ query is not supported in a [Differentiable] method; write the computation with locals and if/else"));

        [Fact]
        public Task AG0011_LinqMethodCall() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => {|#0:new[] { x, 2 * x }|}.Sum();
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("This use of an array is not supported in a [Differentiable] method; index arrays and spans by element (a[i]) and read their Length; declare local arrays as new double[n] or stackalloc double[n]"));

        [Fact]
        public Task AG0011_SwitchExpressionWithoutAnArmForEveryValue() => VerifyAsync(
            """
            partial class C
            {
            #pragma warning disable CS8509 // the analyzer's own diagnostic says it
                [Differentiable]
                static double F(double x) => {|#0:x switch { < 0 => -x, >= 0 => x * x }|};
            #pragma warning restore CS8509
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("A switch expression without an arm for every value is not supported in a [Differentiable] method; end it with a discard arm '_ => …' (for double and float, NaN matches no relational pattern)"));

        [Fact]
        public Task AG0011_TypePatternOnAnotherType() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => x is {|#0:System.IComparable c|} ? x : -x;
            }
            """,
            Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
                .WithMessage("The pattern 'System.IComparable c' is not supported in a [Differentiable] method; use constant, relational (< 1), 'and', 'or', 'not' and discard patterns on double, float, int, long and bool values"));

        [Fact]
        public Task AG0011_InstanceCall() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => {|AG0011:x.CompareTo(1.0)|} * x;
            }
            """);

        // ---- AG0012 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0012_MethodWithoutSourceOnDifferentiableValue() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x) => 1 + {|#0:System.Convert.ToDouble(x)|};
            }
            """,
            Diagnostic(DiagnosticDescriptors.NoDerivative).WithLocation(0)
                .WithMessage("'Convert.ToDouble' has no known derivative, and its argument depends on a differentiable input; the generator sees no source for it and it has no generated Backward: declare its derivative with [DerivativeOf], or call a method whose source is in this compilation"));

        [Fact]
        public Task AG0012_UnsupportedMathFunction() => VerifyAsync(
            """
            partial class C
            {
                [Differentiable]
                static double F(double x)
                {
                    double y = 2 * x;
                    return {|#0:Math.BitIncrement(y)|};
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.NoDerivative).WithLocation(0)
                .WithMessage("'Math.BitIncrement' has no known derivative, and its argument depends on a differentiable input; the generator sees no source for it and it has no generated Backward: declare its derivative with [DerivativeOf], or call a method whose source is in this compilation"));

        [Fact]
        public Task AG0012_NotReportedForNoGradOrIntegerArguments() => VerifyAsync(
            """
            partial class C
            {
                static double Helper(double v) => v * v;

                static double Table(int i) => i * 0.5;

                [Differentiable]
                static double F(double x, [NoGrad] double c, int n) =>
                    x * Helper(c) + x * Table(n) + Math.BitIncrement(c) + Helper(2.0);
            }
            """);

        // ---- AG0013 -----------------------------------------------------------------------------

        [Fact]
        public Task AG0013_StaticFieldWrite() => VerifyAsync(
            """
            partial class C
            {
                static double s_last;

                [Differentiable]
                static double F(double x)
                {
                    {|#0:s_last|} = x;
                    return x * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.StateWrite).WithLocation(0)
                .WithMessage("Writing field 's_last' is not allowed in a [Differentiable] method; assign a local instead"));

        [Fact]
        public Task AG0013_StaticPropertyWrite() => VerifyAsync(
            """
            partial class C
            {
                static double Last { get; set; }

                [Differentiable]
                static double F(double x)
                {
                    {|#0:Last|} = x;
                    return x * x;
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.StateWrite).WithLocation(0)
                .WithMessage("Writing property 'Last' is not allowed in a [Differentiable] method; assign a local instead"));

        [Fact]
        public Task AG0013_CompoundAssignmentAndIncrementOfField() => VerifyAsync(
            """
            partial class C
            {
                static double s_total;
                static int s_calls;

                [Differentiable]
                static double F(double x)
                {
                    {|AG0013:s_total|} += x;
                    {|AG0013:s_calls|}++;
                    return x;
                }
            }
            """);

        [Fact]
        public Task AG0013_StaticFieldReadIsFine() => VerifyAsync(
            """
            partial class C
            {
                static readonly double Scale = 3;
                const double Offset = 1;

                [Differentiable]
                static double F(double x) => Scale * x + Offset;
            }
            """);
    }
}
