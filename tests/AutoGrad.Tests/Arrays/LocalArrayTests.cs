using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.Tests.Infrastructure;
using Xunit;
using static AutoGrad.Tests.Diagnostics.AnalyzerVerifier;

namespace AutoGrad.Tests.Arrays;

/// <summary>
/// Local arrays as users write them: scratch arrays whose length changes per iteration (declared once with the
/// largest length the loop's test allows), arrays created with their elements, and constant tables in static
/// fields and properties. Each against central finite differences.
/// </summary>
public class LocalArrayTests
{
    private const string Tables =
        "static readonly double[] Coef = { 0.5, -1.25, 2.0, 0.75 };\n" +
        "static ReadOnlySpan<double> Decay => [1.0, 0.5, 0.25];\n" +
        "const double Scale = 2.5;\n" +
        "static readonly double Bias = 0.3;\n" +
        "static class Consts { public const double Half = 0.5; }";

    private static readonly ArrayCase[] Cases =
    {
        // ---- scratch arrays whose length follows the loop ----------------------------------------------
        ArrayCase.Double(
            "RowGrowsWithTheLoop",
            "double[] x",
            "double total = 0;\nfor (int i = 0; i < x.Length; i++)\n{\n    var row = new double[i + 2];\n    for (int k = 0; k < row.Length; k++) row[k] = x[i] * (k + 1) + x[0];\n    total += row[row.Length - 1] * row[0];\n}\nreturn total;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "LayerWidthsFromIntArray",
            "double[] w, int[] sizes",
            "double total = 0;\nint offset = 0;\nfor (int l = 0; l < sizes.Length; l++)\n{\n    var a = new double[sizes[l]];\n    for (int j = 0; j < a.Length; j++) a[j] = Math.Tanh(w[offset + j] * (j + 1));\n    offset += sizes[l];\n    double s = 0;\n    foreach (var v in a) s += v * v;\n    total += s / a.Length;\n}\nreturn total;",
            new ArrayDomain().Length("w", 6).Fix("sizes", new[] { 2, 3, 1 })),
        ArrayCase.Float(
            "StackallocGrowsWithTheLoopFloat",
            "float[] x",
            "float acc = 0f;\nfor (int i = 0; i < x.Length; i++)\n{\n    Span<float> buf = stackalloc float[i + 1];\n    for (int k = 0; k <= i; k++) buf[k] = x[k] * x[i];\n    float sq = 0f;\n    for (int k = 0; k < buf.Length; k++) sq += buf[k] * buf[k];\n    acc += MathF.Sqrt(sq + 1f);\n}\nreturn acc;",
            new ArrayDomain().Length("x", 4)),
        ArrayCase.Double(
            "TriangularNestedLoops",
            "double[] x, int n",
            "double s = 0;\nfor (int i = 0; i < Math.Min(n, x.Length); i++)\n  for (int j = 0; j <= i; j++)\n  {\n      var t = new double[2 * j + 1];\n      t[0] = x[i];\n      for (int k = 1; k < t.Length; k++) t[k] = t[k - 1] * x[j] + 0.1;\n      s += t[t.Length - 1];\n  }\nreturn s;",
            new ArrayDomain(-1, 1).Length("x", 3).Fix("n", 3)),
        ArrayCase.Double(
            "WhileLoopWithBreak",
            "double[] x, double limit",
            "int i = 0;\ndouble s = 0;\nwhile (i < x.Length)\n{\n    var prefix = new double[i + 1];\n    for (int k = 0; k <= i; k++) prefix[k] = x[k] * limit;\n    double p = 0;\n    foreach (var v in prefix) p += v;\n    s += p * p;\n    if (s > 1e6) break;\n    i++;\n}\nreturn s;",
            new ArrayDomain().Length("x", 3)),
        ArrayCase.Double(
            "HelperScratchWithLengthPerCall",
            "double[] w",
            "double s = 0;\nfor (int k = 1; k <= w.Length; k++) s += Scratch(w, k);\nreturn s;",
            new ArrayDomain().Length("w", 3))
            with { Helpers = "static double Scratch(double[] w, int n) { var t = new double[n]; for (int i = 0; i < n; i++) t[i] = w[i] * w[i]; double s = 0; for (int i = 0; i < t.Length; i++) s += t[i] * (i + 1); return s; }" },
        ArrayCase.Double(
            "MlpBatchLossScratchPerSample",
            "double[] w, [NoGrad] double[] xs, int[] labels, int hidden",
            "double loss = 0;\nfor (int b = 0; b < labels.Length; b++)\n{\n    var h = new double[hidden];\n    for (int j = 0; j < hidden; j++) h[j] = Math.Tanh(w[2 * j] * xs[b] + w[2 * j + 1]);\n    var z = new double[2];\n    Logits(h, w, z);\n    loss += Nll(z, labels[b]);\n}\nreturn loss / labels.Length;",
            new ArrayDomain().Length("w", 4).Length("xs", 3).Fix("labels", new[] { 0, 1, 0 }).Fix("hidden", 2))
            with { Helpers = "static void Logits(double[] h, double[] w, double[] z)\n{\n    for (int c = 0; c < z.Length; c++) { double s = 0; for (int j = 0; j < h.Length; j++) s += h[j] * w[(c + j) % w.Length]; z[c] = s; }\n}\n\nstatic double Nll(double[] z, int label)\n{\n    var e = new double[z.Length];\n    double sum = 0;\n    for (int i = 0; i < z.Length; i++) { e[i] = Math.Exp(z[i]); sum += e[i]; }\n    return -Math.Log(e[label] / sum);\n}" },
        ArrayCase.Double(
            "MlpScratchPerSampleGrowing",
            "double[] w, [NoGrad] double[] xs",
            "double loss = 0;\nfor (int b = 0; b < xs.Length; b++)\n{\n    var feats = new double[b + 1];\n    for (int k = 0; k < feats.Length; k++) feats[k] = xs[k] * w[k % w.Length];\n    double z = 0;\n    for (int k = 0; k < feats.Length; k++) z += Math.Tanh(feats[k]);\n    loss += (z - 0.5) * (z - 0.5);\n}\nreturn loss;",
            new ArrayDomain().Length("w", 2).Length("xs", 4)),

        // ---- arrays created with their elements ----------------------------------------------------------
        ArrayCase.Double(
            "ImplicitlyTypedInitializer",
            "double a, double b",
            "var v = new[] { a * b, b, 1.0 };\ndouble s = 0;\nfor (int k = 0; k < v.Length; k++) s += v[k] * v[k] * (k + 1);\nreturn s;"),
        ArrayCase.Double(
            "InitializerForms",
            "double a, double b",
            "double[] w = { a, b * a, Math.Sin(b) };\nvar u = new double[3] { a + b, 2, a };\ndouble[] c = [a, b, a - b];\nSpan<double> s = [a * b, b];\nSpan<double> t = stackalloc double[] { a, 1 };\nSpan<double> r = stackalloc[] { b, a * a };\nreturn w[0] * u[0] + w[1] * u[2] + w[2] + c[2] * c[0] + s[0] * s[1] + t[0] * t[1] + r[0] * r[1];"),
        ArrayCase.Float(
            "InitializerFloat",
            "float x, float y",
            "float[] c = { x, 2f * y, x * y };\nSpan<float> d = [y, x];\nfloat s = 0f;\nforeach (var e in c) s += e * e;\nreturn s + d[0] * d[1];"),
        ArrayCase.Double(
            "InitializerFeedsALoop",
            "double[] x, double scale",
            "var weights = new[] { scale, scale * scale, 1 - scale };\ndouble s = 0;\nfor (int i = 0; i < x.Length; i++) s += weights[i % weights.Length] * x[i] * x[i];\nreturn s;",
            new ArrayDomain().Length("x", 5)),
        ArrayCase.Double(
            "InitializerInsideLoopAndHelper",
            "double[] x",
            "double s = 0;\nfor (int i = 0; i + 1 < x.Length; i++)\n{\n    var pair = new[] { x[i], x[i + 1] * x[i] };\n    s += Dot2(pair, x[i + 1]);\n}\nreturn s;",
            new ArrayDomain().Length("x", 4))
            with { Helpers = "static double Dot2(double[] p, double y)\n{\n    double[] q = [y, 1.0];\n    return p[0] * q[0] + p[1] * q[1];\n}" },

        // ---- constant tables ----------------------------------------------------------------------------
        ArrayCase.Double(
            "TablesInLoopsAndHelpers",
            "double[] x, double t",
            "double s = Bias;\nfor (int k = 0; k < Coef.Length; k++) s += Coef[k] * Math.Pow(t, k);\nfor (int i = 0; i < x.Length && i < Decay.Length; i++) s += Decay[i] * x[i] * Scale;\nreturn s * Consts.Half + Weigh(x);",
            new ArrayDomain(0.2, 1.5).Length("x", 4))
            with { Helpers = Tables + "\n\nstatic double Weigh(double[] v)\n{\n    double s = 0;\n    for (int i = 0; i < Decay.Length; i++) s += Decay[i] * v[i] * v[i];\n    return s;\n}" },
        ArrayCase.Float(
            "TablesFloat",
            "float[] x",
            "float s = 0f;\nfor (int i = 0; i < DecayF.Length; i++) s += DecayF[i] * x[i] * x[i] * FloatConsts.Third;\nreturn s + (float)ScaleF * x[0];",
            new ArrayDomain().Length("x", 3))
            with { Helpers = "static ReadOnlySpan<float> DecayF => [1.0f, 0.5f, 0.25f];\nconst double ScaleF = 2.5;\nstatic class FloatConsts { public const float Third = 1f / 3; }" },
        ArrayCase.Double(
            "ScratchSizedByTables",
            "double[] w",
            "double total = 0;\nint offset = 0;\nfor (int l = 0; l < Widths.Length; l++)\n{\n    var a = new double[Widths[l]];\n    var b = new double[Mix.Length];\n    for (int j = 0; j < a.Length; j++) a[j] = w[offset + j] * Mix[j % b.Length];\n    for (int j = 0; j < b.Length; j++) b[j] = a[j % a.Length] * Gain[j];\n    offset += Widths[l];\n    total += b[0] * b[1] + b[2];\n}\nreturn total;",
            new ArrayDomain().Length("w", 6))
            with { Helpers = "static readonly int[] Widths = { 2, 3, 1 };\nstatic ReadOnlySpan<double> Mix => [1.0, 0.5, 0.25];\nstatic readonly double[] Gain = { 0.5, -1.25, 2.0 };" },
    };

    private static readonly ArrayCaseSet Set = new("LocalArrays", Cases);

    public static IEnumerable<object[]> Names => ArrayCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(Set, name);

    [Fact]
    public Task A_bounded_array_passed_to_a_call_that_is_not_inlined_is_reported() => VerifyAsync(
        """
        partial class C
        {
            [Differentiable]
            public static double Sum(double[] v, int i) => i >= v.Length ? 0.0 : v[i] * v[i] + Sum(v, i + 1);

            [Differentiable]
            static double F(double[] x)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    var a = new double[i + 1];
                    a[0] = x[i];
                    s += {|#0:Sum(a, 0)|};
                }

                return s;
            }
        }
        """,
        Diagnostic(DiagnosticDescriptors.CalleeNotDifferentiable).WithLocation(0)
            .WithMessage("'Sum' cannot be differentiated where it is called: its argument 'a' is a local array whose length changes from one iteration to the next, which a call that is not inlined cannot be given; declare the array before the loop with the length the call needs"));

    // Checked in review: a helper given a scratch array declared with its loop's bound sees the declaration's own
    // length (Mean divides by i + 1, not by the bound 3).
    [Fact]
    public void A_helper_given_a_growing_array_sees_its_own_length()
    {
        var set = new ArrayCaseSet("GrowingToAHelper", new[]
        {
            new ArrayCase(
                "MeanOfAGrowingRow",
                "double",
                "double[] x",
                "double s = 0;\nfor (int i = 0; i < 3; i++)\n{\n    var row = new double[i + 1];\n    for (int j = 0; j < row.Length; j++) row[j] = 1.0 + x[j];\n    s += x[i] * Mean(row);\n}\nreturn s;",
                new ArrayDomain().Length("x", 3))
            {
                Helpers = "static double Mean(double[] v)\n{\n    double s = 0;\n    for (int j = 0; j < v.Length; j++) s += v[j];\n    return s / v.Length;\n}",
            },
        });
        ArrayGradientChecker.Check(set, "MeanOfAGrowingRow");
        var method = set.Get("MeanOfAGrowingRow");
        var x = new[] { 0.5, 1.0, 2.0 };
        double expected = 0.5 * 1.5 + 1.0 * (1.5 + 2.0) / 2 + 2.0 * (1.5 + 2.0 + 3.0) / 3;
        Assert.Equal(expected, method.InvokePrimal(method.Arguments(x)), 12);
        Assert.Equal(expected, method.InvokeBackward(method.Arguments(x)).Value, 12);
    }

    // Found by a user-style trial: the array is declared once with its largest length, so without a check an
    // index past one declaration's own length (b[1] when b has 1 element) would quietly use the larger array.
    [Fact]
    public void An_index_past_a_growing_arrays_own_length_throws_as_the_method_does()
    {
        var set = new ArrayCaseSet("GrowingIndex", new[]
        {
            ArrayCase.Double(
                "PastOwnLength",
                "double[] x, int k",
                "double s = 0;\nfor (int i = 0; i < 3; i++)\n{\n    var b = new double[i + 1];\n    b[k] = x[i];\n    s += b[k] * x[0];\n}\nreturn s;",
                new ArrayDomain().Length("x", 4).Fix("k", 0)),
        });
        ArrayGradientChecker.Check(set, "PastOwnLength");
        var method = set.Get("PastOwnLength");
        var args = method.Arguments(new[] { 0.5, 0.7, 0.9, 1.1 }, 1);
        var original = Assert.Throws<System.Reflection.TargetInvocationException>(() => method.InvokePrimal(args)).InnerException!;
        var generated = Assert.Throws<System.Reflection.TargetInvocationException>(() => method.InvokeBackward(args)).InnerException!;
        Assert.IsType<IndexOutOfRangeException>(original);
        Assert.Equal(original.GetType(), generated.GetType());
    }

    // Found by a user-style trial: this was named "This array initializer"; the throw is what is unsupported.
    [Fact]
    public Task A_throw_expression_in_an_array_local_is_named_as_one() => VerifyAsync(
        """
        partial class C
        {
            [Differentiable]
            static double F(double[] w)
            {
                var v = {|#0:w ?? throw new System.ArgumentNullException(nameof(w))|};
                return v[0] * v[0];
            }

            [Differentiable]
            static double Fixed(double[] w)
            {
                System.ArgumentNullException.ThrowIfNull(w);
                return w[0] * w[0];
            }
        }
        """,
        Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
            .WithMessage("A throw expression is not supported in a [Differentiable] method; write the check as a statement before the value is used: 'if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));'"));

    [Fact]
    public Task A_spread_in_a_collection_expression_is_reported() => VerifyAsync(
        """
        partial class C
        {
            [Differentiable]
            static double F(double[] x, double y)
            {
                double[] v = [{|#0:.. x|}, y];
                return v[0] * v[1];
            }
        }
        """,
        Diagnostic(DiagnosticDescriptors.UnsupportedExpression).WithLocation(0)
            .WithMessage("A spread ('..') in a collection expression is not supported in a [Differentiable] method; list the elements, or copy the array's elements into a new local array with a loop"));

    [Fact]
    public Task Writing_a_table_is_reported_as_writing_state() => VerifyAsync(
        """
        partial class C
        {
            static readonly double[] Coef = { 1.0, 2.0 };

            [Differentiable]
            static double F(double x)
            {
                {|#0:Coef[0]|} = x;
                {|#1:Coef[1]|} += 1;
                return x * Coef[1];
            }
        }
        """,
        Diagnostic(DiagnosticDescriptors.StateWrite).WithLocation(0)
            .WithMessage("Writing an element of the static table 'Coef' is not allowed in a [Differentiable] method; assign a local instead"),
        Diagnostic(DiagnosticDescriptors.StateWrite).WithLocation(1)
            .WithMessage("Writing an element of the static table 'Coef' is not allowed in a [Differentiable] method; assign a local instead"));
}
