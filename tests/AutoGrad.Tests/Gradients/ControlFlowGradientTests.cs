using System;
using System.Collections.Generic;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Gradients;

/// <summary>Locals, reassignment, compound assignment, branches, early returns, ?:, && and ||.</summary>
public class ControlFlowGradientTests
{
    private static Domain AwayFrom(string a, string b, double gap = 0.05) =>
        new Domain().Where(p => Math.Abs(p[a] - p[b]) > gap);

    private static Domain AwayFromZero(params string[] names) =>
        new Domain().Where(p => Array.TrueForAll(names, n => Math.Abs(p[n]) > 0.05));

    private static readonly GradientCase[] Cases =
    {
        GradientCase.Double("Locals", "double x, double y", "double a = x * y;\ndouble b = a + x;\ndouble c = b * b - a;\nreturn c / (1.0 + b * b);"),
        GradientCase.Double("CompoundAssignments", "double x, double y", "double s = x;\ns += y;\ns -= 0.5 * x;\ns *= y;\ns /= 1.0 + x * x;\ns += s * s;\nreturn s;"),
        GradientCase.Double("CompoundAssignmentOnParameter", "double x, double y", "x += y;\nx *= y;\ny -= x;\nreturn x * y;"),
        GradientCase.Double("RemainderAssignment", "double x", "double r = x;\nr %= 1.5;\nreturn r * x;", new Domain(0.1, 1.4)),
        GradientCase.Double("IncrementDecrement", "double x, double y", "double a = x * y;\na++;\na--;\n++a;\n--a;\n++a;\nreturn a * a;"),
        GradientCase.Double("IncrementParameter", "double x", "x++;\nreturn x * x;"),
        GradientCase.Double(
            "ReassignedManyTimes",
            "double x, double y",
            "double v = x;\nv = v * y;\nv = v + x;\nv = Math.Sin(v);\nv = v * v;\nv = v - y;\nv = v * x;\nv = v / (1.0 + y * y);\nv = Math.Exp(v);\nv = v + v;\nv = x * v;\nreturn v;"),
        GradientCase.Double("SelfReferencingReassignment", "double x", "x = x * x;\nx = x * x;\nreturn x;"),
        GradientCase.Double(
            "FanOut",
            "double x, double y",
            "double u = x * y;\nreturn u * u + Math.Sin(u) + u / (1.0 + u * u) + u + u * x - u * y + Math.Exp(u) * u;",
            new Domain(-1, 1)),
        GradientCase.Double("IfElse", "double x, double y", "double r;\nif (x > y)\n{\n    r = x * y;\n}\nelse\n{\n    r = x + y;\n}\nreturn r * x;", AwayFrom("x", "y")),
        GradientCase.Double("IfWithoutElse", "double x, double y", "double r = x;\nif (y > 0)\n{\n    r = r * y;\n}\nreturn r + x;", AwayFromZero("y")),
        GradientCase.Double("IfWithoutBraces", "double x, double y", "double r = x;\nif (y > 0) r = r * y;\nelse r = r - y * y;\nreturn r * r;", AwayFromZero("y")),
        GradientCase.Double(
            "ElseIfChain",
            "double x, double y",
            "double r;\nif (x < -1.0) r = x * y;\nelse if (x < 0.0) r = x * x * y;\nelse if (x < 1.0) r = Math.Sin(x) + y;\nelse r = y / x;\nreturn r + x;",
            new Domain().Where(p => Math.Abs(p["x"] + 1) > 0.05 && Math.Abs(p["x"]) > 0.05 && Math.Abs(p["x"] - 1) > 0.05)),
        GradientCase.Double(
            "NestedIfs",
            "double x, double y",
            "double r = x;\nif (x > 0)\n{\n    if (y > 0)\n    {\n        r = r * y;\n    }\n    else\n    {\n        r = r - y;\n        if (x > 1) { r = r * x; }\n    }\n}\nelse\n{\n    r = r * r + y;\n}\nreturn r * y;",
            new Domain().Where(p => Math.Abs(p["x"]) > 0.05 && Math.Abs(p["y"]) > 0.05 && Math.Abs(p["x"] - 1) > 0.05)),
        GradientCase.Double(
            "ReassignmentInBranches",
            "double x, double y",
            "double a = x;\ndouble b = y;\nif (x > 0)\n{\n    a = a * b;\n    b = b + 1.0;\n}\nelse\n{\n    b = a * b;\n}\nreturn a + b * b;",
            AwayFromZero("x")),
        GradientCase.Double(
            "LocalDeclaredInBranch",
            "double x, double y",
            "double r = y;\nif (x > 0)\n{\n    double t = x * y;\n    r = t * t;\n}\nreturn r;",
            AwayFromZero("x")),
        GradientCase.Double("EarlyReturn", "double x, double y", "if (x < 0) return -x * y;\nreturn x * y * y;", AwayFromZero("x")),
        GradientCase.Double("EarlyReturnBothBranches", "double x, double y", "if (x < y)\n{\n    return x * y;\n}\nelse\n{\n    return x / (1.0 + y * y);\n}", AwayFrom("x", "y")),
        GradientCase.Double(
            "EarlyReturnInNestedIfThenMoreCode",
            "double x, double y",
            "double t = x * y;\nif (x > 0)\n{\n    if (y > 0)\n    {\n        return t * t;\n    }\n    t = t + x;\n}\nt = t * 2.0;\nreturn t + y;",
            AwayFromZero("x", "y")),
        GradientCase.Double(
            "SequentialEarlyReturns",
            "double x, double y",
            "double a = x + y;\nif (a > 2.0) return a * a;\na = a * x;\nif (x < -1.0) return a - y;\ndouble b = a * y;\nif (b > 0.5) return b;\nreturn a + b;",
            new Domain().Where(p => Math.Abs(p["x"] + p["y"] - 2) > 0.05 && Math.Abs(p["x"] + 1) > 0.05
                && Math.Abs((p["x"] + p["y"]) * p["x"] * p["y"] - 0.5) > 0.05)),
        GradientCase.Double(
            "EarlyReturnModifiesBeforeReturn",
            "double x, double y",
            "double r = x;\nif (y > 0)\n{\n    r = r * y;\n    r += x;\n    return r * r;\n}\nr = r - y;\nreturn r * x;",
            AwayFromZero("y")),
        GradientCase.Double(
            "ReturnsInsideBranchesThatFallThrough",
            "double x, double y",
            "double v = x;\nif (x > 0.5) { if (y > 0.5) return v * y; v = v * x; }\nelse { if (y < -0.5) return v - y; v = v + y; }\nif (v > 1.0) { if (x > 1.0) return v * v; v = v / 2.0; }\nv = v * y + x;\nreturn v;",
            new Domain().Where(p => Math.Abs(p["x"] - 0.5) > 0.05 && Math.Abs(p["y"] - 0.5) > 0.05 && Math.Abs(p["y"] + 0.5) > 0.05
                && Math.Abs(p["x"] - 1.0) > 0.05
                && Math.Abs((p["x"] > 0.5 ? p["x"] * p["x"] : p["x"] + p["y"]) - 1.0) > 0.05)),
        GradientCase.Double(
            "ReturnDeepInsideNestedFallThroughs",
            "double x, double y",
            "double r = x * y;\nif (x > 0)\n{\n    r += x;\n    if (y > 0)\n    {\n        r *= y;\n        if (x > 1) return r * x;\n        r -= x;\n    }\n    r = r * r;\n}\nreturn r + y;",
            AwayFromZero("x", "y").Where(p => Math.Abs(p["x"] - 1) > 0.05)),
        GradientCase.Float(
            "FloatReturnInsideFallThrough",
            "float x, float y",
            "float r = x;\nif (x > 0f) { if (y > 0f) return r * y; r = r * r; }\nreturn r + y;",
            AwayFromZero("x", "y")),
        GradientCase.Double("Ternary", "double x, double y", "return x > y ? x * y : x - y;", AwayFrom("x", "y")),
        GradientCase.Double(
            "NestedTernary",
            "double x, double y",
            "return x > 0 ? (y > 0 ? x * y : x - y) : (y > 0 ? -x * y : x + y * y);",
            AwayFromZero("x", "y")),
        GradientCase.Double(
            "TernaryInsideExpression",
            "double x, double y",
            "return 1.0 + (x > 0 ? x : -x) * y + Math.Sin(y > 0 ? y * x : x) * (x < y ? 2.0 : y);",
            new Domain().Where(p => Math.Abs(p["x"]) > 0.05 && Math.Abs(p["y"]) > 0.05 && Math.Abs(p["x"] - p["y"]) > 0.05)),
        GradientCase.Double("TernaryWithConstantBranch", "double x", "double c = x > 0 ? 1.0 : x * x;\nreturn c * x;", AwayFromZero("x")),
        GradientCase.Double("TernaryAssignedToLocal", "double x, double y", "double m = x > y ? x : y;\nreturn m * m + x;", AwayFrom("x", "y")),
        GradientCase.Double(
            "AndOr",
            "double x, double y",
            "double r;\nif (x > 0 && y > 0) r = x * y;\nelse if (x < 0 || y > 1) r = x + y * y;\nelse r = x * x * x;\nreturn r;",
            new Domain().Where(p => Math.Abs(p["x"]) > 0.05 && Math.Abs(p["y"]) > 0.05 && Math.Abs(p["y"] - 1) > 0.05)),
        GradientCase.Double(
            "NegatedAndCombinedConditions",
            "double x, double y",
            "if (!(x > 0) || (y > 0 && x < 1)) return x * y;\nreturn x + y;",
            new Domain().Where(p => Math.Abs(p["x"]) > 0.05 && Math.Abs(p["y"]) > 0.05 && Math.Abs(p["x"] - 1) > 0.05)),
        GradientCase.Double("BoolParameterTrue", "double x, bool flag", "return flag ? x * x : x;", new Domain().Fix("flag", true)),
        GradientCase.Double("BoolParameterFalse", "double x, bool flag", "return flag ? x * x : 3.0 * x;", new Domain().Fix("flag", false)),
        GradientCase.Double("BoolLocal", "double x, double y", "bool big = x > y;\ndouble r = y;\nif (big) r = x * y;\nreturn r;", AwayFrom("x", "y")),
        GradientCase.Double("IntCondition", "double x, int n", "if (n > 2) return x * n;\nreturn x * x;", new Domain().Fix("n", 3)),
        GradientCase.Double("IntConditionFalse", "double x, int n", "if (n > 2) return x * n;\nreturn x * x;", new Domain().Fix("n", 1)),
        new GradientCase("ExpressionBodied", "[Differentiable]\npublic static double ExpressionBodied(double x, double y) => x * y + Math.Exp(x);", new Domain()),
        new GradientCase(
            "ExpressionBodiedTernary",
            "[Differentiable]\npublic static double ExpressionBodiedTernary(double x, double y) =>\n    x > 0 ? Math.Sqrt(x) * y : y * y;",
            AwayFromZero("x")),
        GradientCase.Double("NestedBlocks", "double x", "double r = x;\n{\n    r = r * 2.0;\n    {\n        r = r + x * x;\n    }\n}\nreturn r;"),
        GradientCase.Float(
            "FloatBranchesAndCompound",
            "float x, float y",
            "float r = x;\nif (x > y) { r *= y; } else { r += y * y; }\nr -= 0.5f;\nreturn x > 0 ? r * x : r;",
            new Domain().Where(p => Math.Abs(p["x"] - p["y"]) > 0.05 && Math.Abs(p["x"]) > 0.05)),
        GradientCase.Float("FloatEarlyReturn", "float x, float y", "if (x < 0f) return -x * y;\nreturn x * y * y;", AwayFromZero("x")),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("ControlFlow", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, Array.Find(Cases, c => c.Name == name)!);
}
