using System.Linq;
using System.Threading;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;
using AutoGrad.Generator.Differentiation;
using AutoGrad.Generator.Emit;
using AutoGrad.Generator.Model;
using AutoGrad.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AutoGrad.Tests.Stages;

/// <summary>Each generator stage on its own: parse → IR, IR → adjoint IR, expressions → text.</summary>
public sealed class StageTests
{
    private static readonly SourceInfo Line1 = new(1, "test");

    [Fact]
    public void Parse_lowers_active_operations_to_three_address_form_and_keeps_inactive_trees()
    {
        var model = Parse("""
            static double F(double x, [NoGrad] double c, int n)
            {
                double y = x * (c + n) + Math.Sin(x);
                return y;
            }
            """);

        var lets = model.Body.Statements.OfType<LetStmt>().ToList();
        // (c + n) is inactive: a tree, hoisted only because the multiply's rule reads it.
        Assert.Equal(new BinaryExpr(BinaryOp.Add, new VarExpr("c", ScalarKind.Double), new ConvertExpr(new VarExpr("n", ScalarKind.Int32), ScalarKind.Double), ScalarKind.Double), lets[0].Value);
        Assert.False(lets[0].IsActive);
        Assert.Equal(new BinaryExpr(BinaryOp.Multiply, new VarExpr("x", ScalarKind.Double), new VarExpr(lets[0].Name, ScalarKind.Double), ScalarKind.Double), lets[1].Value);
        Assert.True(lets[1].IsActive);
        Assert.IsType<MathCallExpr>(lets[2].Value);
        // The user's local names the last operation instead of copying a temporary.
        Assert.Equal("y", lets[3].Name);
        Assert.Equal(new ReturnStmt(new VarExpr("y", ScalarKind.Double), new SourceInfo(9, "return y;")), model.Body.Statements.Last());
        Assert.Equal(new ParameterModel("c", ScalarKind.Double, null), model.Parameters[1]);
        Assert.Equal(new ParameterModel("n", ScalarKind.Int32, null), model.Parameters[2]);
    }

    [Fact]
    public void Parse_renames_reassignments_and_merges_them_after_a_join_if()
    {
        var model = Parse("""
            static double F(double x)
            {
                double y = x;
                if (x > 1) y = y * 2;
                y += 1;
                return y;
            }
            """);

        var join = model.Body.Statements.OfType<IfStmt>().Single();
        var merge = Assert.Single(join.Merges);
        Assert.True(merge.IsActive);
        Assert.Equal(new VarExpr("y", ScalarKind.Double), merge.WhenFalse);
        var final = model.Body.Statements.OfType<LetStmt>().Last();
        Assert.Equal(new BinaryExpr(BinaryOp.Add, new VarExpr(merge.Name, ScalarKind.Double), new LitExpr("1.0", ScalarKind.Double), ScalarKind.Double), final.Value);
        Assert.NotEqual("y", final.Name);
    }

    [Fact]
    public void Parse_moves_the_code_after_an_early_return_into_the_else_branch()
    {
        var model = Parse("""
            static double F(double x)
            {
                if (x < 0) return 0;
                double y = x * x;
                return y;
            }
            """);

        var terminal = Assert.IsType<IfStmt>(Assert.Single(model.Body.Statements));
        Assert.IsType<ReturnStmt>(Assert.Single(terminal.Then.Statements));
        Assert.IsType<ReturnStmt>(terminal.Else.Statements.Last());
        Assert.True(terminal.Merges.IsEmpty);
    }

    [Fact]
    public void An_internal_error_gives_a_stub_that_throws_and_the_error_without_a_doubled_period()
    {
        // No known method makes the differentiator fail; a model that says it did stands in for one.
        var backward = Differentiator.Differentiate(Parse("static double F(double x) => x * x;"), CancellationToken.None)
            with { InternalError = "InvalidOperationException: Boom." };

        var (text, error) = AutoGrad.Generator.DifferentiableGenerator.EmitOrStub(backward, nullableDirective: true);

        Assert.Equal("InvalidOperationException: Boom", error);
        Assert.NotNull(text);
        Assert.Contains("throw new global::System.NotSupportedException(", text);
        Assert.Contains("AG9999", text);
        Assert.Contains("FBackward(double x, out double dX, double seed = 1.0)", text);
    }

    [Fact]
    public void Parse_gives_equal_models_for_equal_sources()
    {
        const string source = "static double F(double x) => Math.Exp(x) * x;";
        Assert.Equal(Parse(source), Parse(source));
    }

    [Fact]
    public void Differentiate_builds_the_adjoint_without_Roslyn()
    {
        // f(x, y) = x * y, written directly as IR.
        var x = new VarExpr("x", ScalarKind.Double);
        var y = new VarExpr("y", ScalarKind.Double);
        var body = new Block(EquatableArray.Create<Stmt>(
            new LetStmt("p", new BinaryExpr(BinaryOp.Multiply, x, y, ScalarKind.Double), true, Line1),
            new ReturnStmt(new VarExpr("p", ScalarKind.Double), Line1)));
        var model = new MethodModel(
            null,
            EquatableArray.Create(new ContainingType("class", "C", EquatableArray<string>.Empty)),
            "public",
            "F",
            "FBackward",
            "F(double, double)",
            ScalarKind.Double,
            EquatableArray.Create(new ParameterModel("x", ScalarKind.Double, "dX"), new ParameterModel("y", ScalarKind.Double, "dY")),
            "seed",
            body,
            EquatableArray.Create("seed", "x", "y", "dX", "dY"),
            "C.F.g.cs");

        var backward = Differentiator.Differentiate(model, CancellationToken.None);

        Assert.Null(backward.InternalError);
        var statements = backward.Body.Statements.Where(s => s is not CommentStmt).Select(s => s with { Source = SourceInfo.None }).ToList();
        var dP = new VarExpr("dP", ScalarKind.Double);
        Assert.Equal(
            new Stmt[]
            {
                new DeclareStmt("p", ScalarKind.Double, new BinaryExpr(BinaryOp.Multiply, x, y, ScalarKind.Double), null, SourceInfo.None),
                new DeclareStmt("dP", ScalarKind.Double, new VarExpr("seed", ScalarKind.Double), "the result's gradient is the seed", SourceInfo.None),
                new AssignStmt("dX", null, AssignKind.Assign, new BinaryExpr(BinaryOp.Multiply, dP, y, ScalarKind.Double), "multiply gate: swaps its inputs", SourceInfo.None),
                new AssignStmt("dY", null, AssignKind.Assign, new BinaryExpr(BinaryOp.Multiply, dP, x, ScalarKind.Double), null, SourceInfo.None),
                new ReturnStmt(new VarExpr("p", ScalarKind.Double), SourceInfo.None),
            },
            statements);
        Assert.Equal(new[] { "x", "y", "dX", "dY", "seed" }, backward.Parameters.Select(p => p.Name));
        Assert.Equal("1.0", backward.Parameters.Last().DefaultValue);
    }

    [Theory]
    [InlineData("a - (b - c)", "a - (b - c)")]
    [InlineData("(a - b) - c", "a - b - c")]
    [InlineData("a * (b + c)", "a * (b + c)")]
    [InlineData("-(-a)", "-(-a)")]
    [InlineData("(double)(a + b)", "(double)(a + b)")]
    public void Emit_parenthesizes_only_where_precedence_needs_it(string description, string expected)
    {
        var a = new VarExpr("a", ScalarKind.Double);
        var b = new VarExpr("b", ScalarKind.Double);
        var c = new VarExpr("c", ScalarKind.Double);
        Expr expr = description switch
        {
            "a - (b - c)" => new BinaryExpr(BinaryOp.Subtract, a, new BinaryExpr(BinaryOp.Subtract, b, c, ScalarKind.Double), ScalarKind.Double),
            "(a - b) - c" => new BinaryExpr(BinaryOp.Subtract, new BinaryExpr(BinaryOp.Subtract, a, b, ScalarKind.Double), c, ScalarKind.Double),
            "a * (b + c)" => new BinaryExpr(BinaryOp.Multiply, a, new BinaryExpr(BinaryOp.Add, b, c, ScalarKind.Double), ScalarKind.Double),
            "-(-a)" => new UnaryExpr(UnaryOp.Negate, new UnaryExpr(UnaryOp.Negate, a, ScalarKind.Double), ScalarKind.Double),
            _ => new ConvertExpr(new BinaryExpr(BinaryOp.Add, a, b, ScalarKind.Float), ScalarKind.Double),
        };
        Assert.Equal(expected, Emitter.Format(expr));
    }

    [Fact]
    public void Emit_writes_negative_literals_so_they_parse_back()
    {
        var a = new VarExpr("a", ScalarKind.Double);
        var minusOne = new LitExpr(ScalarTypes.FormatDouble(-1), ScalarKind.Double);
        Assert.Equal("a - -1.0", Emitter.Format(new BinaryExpr(BinaryOp.Subtract, a, minusOne, ScalarKind.Double)));
        Assert.Equal("-(-1.0)", Emitter.Format(new UnaryExpr(UnaryOp.Negate, minusOne, ScalarKind.Double)));
        Assert.Equal("(int)(-1.0)", Emitter.Format(new ConvertExpr(minusOne, ScalarKind.Int32)));
    }

    [Fact]
    public void Activity_is_varied_and_useful()
    {
        var model = Parse("""
            static double F(double[] x, double a, [NoGrad] double c)
            {
                double s = 0, energy = 0, scale = c * 2;
                var trace = new double[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    double t = Math.Sin(x[i] * a);
                    energy += t * t;
                    trace[i] = energy;
                    s += x[i] * a * scale;
                }
                return s;
            }
            """);
        var activity = ActivityAnalysis.Analyze(model);
        var names = IrRenamer.Definitions(model.Body).ToList();
        string Describe() => string.Join(", ", names.Select(n => n + (activity.IsVaried(n) ? " varied" : string.Empty) + (activity.IsUseful(n) ? " useful" : string.Empty)));

        // s_1 (the loop's s): varied and useful. energy_1 and t: varied, but the result does not depend on
        // them. scale: useful, not varied. trace: neither.
        Assert.Contains("s_1", names);
        Assert.True(activity.IsActive("s_1"), Describe());
        Assert.True(activity.IsVaried("energy_1") && !activity.IsUseful("energy_1"), Describe());
        Assert.True(activity.IsVaried("t") && !activity.IsActive("t"), Describe());
        Assert.True(activity.IsUseful("scale") && !activity.IsVaried("scale"), Describe());
        Assert.False(activity.IsUseful("trace"), Describe());

        // A loop variable the parse stage flags, but no gradient path from an input reaches.
        var sign = Parse("""
            static double G(double[] x)
            {
                double s = 0, sign = 1.0;
                for (int i = 0; i < x.Length; i++) { s += sign * x[i]; sign = -sign; }
                return s;
            }
            """);
        var signActivity = ActivityAnalysis.Analyze(sign);
        Assert.Contains("sign_1", IrRenamer.Definitions(sign.Body));
        Assert.False(signActivity.IsVaried("sign_1"));
        Assert.True(signActivity.IsActive("s_1"));
        Assert.True(activity.IsUseful("x") && activity.IsActive("a"));
    }

    [Fact]
    public void The_Backward_body_is_IR_that_a_transform_can_read_rename_and_print()
    {
        var model = Parse("""
            static double F(double[] x, double a)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++) s += Math.Exp(x[i] * a);
                return Math.Log(s);
            }
            """);
        var backward = Differentiator.Differentiate(model, CancellationToken.None);
        Assert.Null(backward.InternalError);

        // Every statement kind of a reverse loop with a tape is there as a record, not as text.
        var kinds = All(backward.Body).Select(s => s.GetType().Name).Distinct().ToList();
        Assert.Contains(nameof(TapeStmt), kinds);
        Assert.Contains(nameof(RepeatStmt), kinds);
        Assert.Contains(nameof(ReverseLoopStmt), kinds);
        Assert.Contains(All(backward.Body).OfType<AssignStmt>(), a => a.Kind == AssignKind.Add);
        Assert.Contains(All(backward.Body).OfType<ExprStmt>(), e => e.Value is TapeExpr { Op: TapeOp.Push });

        // A transform renames every name it defines, and the printed code changes only in those names.
        var renames = IrRenamer.Definitions(backward.Body).Distinct().ToDictionary(n => n, n => n + "_r");
        var renamed = backward with { Body = IrRenamer.Rename(backward.Body, renames) };
        string before = Code(Emitter.Emit(backward));
        string after = Code(Emitter.Emit(renamed));
        Assert.NotEqual(before, after);
        foreach (var pair in renames.OrderByDescending(p => p.Key.Length))
        {
            before = System.Text.RegularExpressions.Regex.Replace(before, @"\b" + pair.Key + @"\b", pair.Value);
        }

        Assert.Equal(before, after);
    }

    /// <summary>The text without comments.</summary>
    private static string Code(string text) =>
        string.Join("\n", text.Split('\n').Select(line => line.IndexOf("//", System.StringComparison.Ordinal) is var at and >= 0 ? line.Substring(0, at) : line));

    private static System.Collections.Generic.IEnumerable<Stmt> All(Block block)
    {
        foreach (var statement in block.Statements)
        {
            yield return statement;
            var nested = statement switch
            {
                IfStmt i => new[] { i.Then, i.Else },
                RepeatStmt r => new[] { r.Body },
                ReverseLoopStmt r => new[] { r.Body },
                _ => System.Array.Empty<Block>(),
            };
            foreach (var inner in nested.SelectMany(All)) yield return inner;
        }
    }

    [Theory]
    [InlineData("", "static T F<T>(T x, T y) where T : System.Numerics.IFloatingPointIeee754<T> => x * y;", "F{T}(T, T)")]
    [InlineData("<TValue>", "static TValue Energy(TValue x, TValue y) => x * y;", "Energy(TValue, TValue)")]
    public void The_documentation_cref_names_type_parameters_only_on_a_generic_method(string classTypeParameters, string method, string cref)
    {
        string constraint = classTypeParameters.Length == 0 ? string.Empty : " where TValue : System.Numerics.IFloatingPointIeee754<TValue>";
        Assert.Equal(cref, Parse(method, classTypeParameters + constraint).DocumentationSignature);
    }

    [Fact]
    public void A_generic_method_returning_double_has_the_seed_default_its_contract_spells()
    {
        // The seed's default follows the return type: the contract (analyzers, code fixes) and the generated code agree.
        var model = Parse("static double Scaled<T>(double x, T s) where T : System.Numerics.IFloatingPointIeee754<T> => x * x;");
        string contract = AutoGrad.CodeAnalysis.Model.BackwardContract.Signature(model.Name, model.Parameters, model.ReturnType);
        Assert.EndsWith("double seed = 1.0)", contract);
        var backward = Differentiator.Differentiate(model, CancellationToken.None);
        Assert.Equal("1.0", backward.Parameters[backward.Parameters.Count - 1].DefaultValue);
    }

    private static MethodModel Parse(string method, string classSuffix = "")
    {
        string source = "using System;\nusing AutoGrad;\npartial class C" + classSuffix + "\n{\n[Differentiable]\n" + method + "\n}\n";
        var compilation = TestCompiler.CreateCompilation(source);
        var tree = compilation.SyntaxTrees.Single();
        var syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var semanticModel = compilation.GetSemanticModel(tree);
        var symbol = (IMethodSymbol)semanticModel.GetDeclaredSymbol(syntax)!;
        var result = MethodParser.Parse(syntax, symbol, semanticModel, CancellationToken.None);
        Assert.Empty(result.Diagnostics);
        return Assert.IsType<MethodModel>(result.Model);
    }
}
