using System;
using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>One step of an operation's local gradient: add <see cref="Value"/> to the adjoint of operand <see cref="Operand"/>.</summary>
    internal sealed record Contribution(int Operand, Expr Value) : RuleStep;

    /// <summary>Route the gradient: the steps of <see cref="WhenTrue"/> if <see cref="Condition"/> holds, else those of <see cref="WhenFalse"/>.</summary>
    internal sealed record Route(Expr Condition, IReadOnlyList<RuleStep> WhenTrue, IReadOnlyList<RuleStep> WhenFalse) : RuleStep;

    internal abstract record RuleStep;

    /// <summary>The local gradients of one operation, with a note on what its gate does.</summary>
    internal sealed record Rule(IReadOnlyList<Expr> Operands, IReadOnlyList<RuleStep> Steps, string Note);

    /// <summary>
    /// The table of derivative rules: for an active operation <c>y = op(operands)</c> whose adjoint is
    /// <c>g</c>, what to add to each operand's adjoint. Expressions read cached forward values (the operands
    /// and <c>y</c>) rather than recompute them.
    /// </summary>
    /// <remarks>
    /// At a point where a function is differentiable, its rule must give a finite slope, so that a zero
    /// <c>g</c> gives a zero contribution (<c>0 * slope</c>, never <c>0 * inf</c> = NaN): Pow at <c>x = 0</c> with
    /// <c>p = 0</c> is such a point. Where the function itself is not differentiable — a vertical tangent
    /// (Sqrt, Cbrt and Pow with <c>0 &lt; p &lt; 1</c> at 0, Asin/Acos/Atanh at ±1, Acosh at 1), a pole (Log at 0,
    /// division by 0), a cone (Hypot and Atan2 at the origin) — the slope is infinite or NaN and the rules do not
    /// spend a branch on the hot path to hide it. Kinks route to one documented side instead (Abs, Max, Min,
    /// Clamp, CopySign).
    /// </remarks>
    internal static class DerivativeRules
    {
        public static Rule For(Expr operation, VarExpr y, VarExpr g)
        {
            var t = y.Type;
            switch (operation)
            {
                case VarExpr a:
                    return new Rule(new[] { a }, new[] { Add(0, g) }, "copy: passes the gradient on");

                case ConvertExpr c:
                    return new Rule(new[] { c.Operand }, new[] { Add(0, new ConvertExpr(g, c.Operand.Type)) }, "conversion: passes the gradient on");

                case UnaryExpr { Op: UnaryOp.Negate } u:
                    return new Rule(new[] { u.Operand }, new[] { Add(0, Neg(g)) }, "negation: flips the sign");

                case BinaryExpr b:
                    return Binary(b, y, g);

                case MathCallExpr call:
                    return Math(call, y, g, t);

                default:
                    throw new InvalidOperationException("No derivative rule for " + operation.GetType().Name);
            }
        }

        private static Rule Binary(BinaryExpr b, VarExpr y, VarExpr g)
        {
            var operands = new[] { b.Left, b.Right };
            var (l, r) = (b.Left, b.Right);
            switch (b.Op)
            {
                case BinaryOp.Add:
                    return new Rule(operands, new[] { Add(0, g), Add(1, g) }, "add gate: distributes the gradient");
                case BinaryOp.Subtract:
                    return new Rule(operands, new[] { Add(0, g), Add(1, Neg(g)) }, "subtract: distributes, negated to the right");
                case BinaryOp.Multiply:
                    return new Rule(operands, new[] { Add(0, Mul(g, r)), Add(1, Mul(g, l)) }, "multiply gate: swaps its inputs");
                case BinaryOp.Divide:
                    // d(l/r)/dl = 1/r; d(l/r)/dr = -l/r^2 = -y/r.
                    return new Rule(operands, new[] { Add(0, Div(g, r)), Add(1, Neg(Div(Mul(g, y), r))) }, "divide: 1/r to the left, -y/r to the right");
                case BinaryOp.Remainder:
                    // l % r = l - r * trunc(l / r): slopes 1 and -trunc(l / r).
                    var quotient = Truncate(Div(l, r), b.Type);
                    return new Rule(operands, new[] { Add(0, g), Add(1, Neg(Mul(g, quotient))) }, "remainder: 1 to the left, -trunc(l/r) to the right");
                default:
                    throw new InvalidOperationException("No derivative rule for operator " + b.Op);
            }
        }

        private static Rule Math(MathCallExpr call, VarExpr y, VarExpr g, ScalarKind t)
        {
            var a = call.Args;
            var x = a[0];
            // Helper calls go through Math / MathF, which have every function a rule calls.
            // A generic method's helpers are the type parameter's own members (T.Cos), which it has every one of.
            var helperClass = call.Class switch
            {
                MathClass.MathF or MathClass.Single => MathClass.MathF,
                MathClass.TypeParameter => MathClass.TypeParameter,
                _ => MathClass.Math,
            };
            Expr F(MathFunction function, params Expr[] args) => new MathCallExpr(function, helperClass, new CodeAnalysis.Helpers.EquatableArray<Expr>(args), t);
            Expr One() => ScalarTypes.Literal(1, t);
            Expr Two() => ScalarTypes.Literal(2, t);
            Rule One1(Expr value, string note) => new(new[] { x }, new[] { Add(0, value) }, note);

            switch (call.Function)
            {
                case MathFunction.Exp:
                    return One1(Mul(g, y), "exp: the slope is the result itself");
                case MathFunction.Log when a.Count == 2:
                {
                    // log_b(x) = ln x / ln b: slopes 1/(x ln b) and -y/(b ln b).
                    var b = a[1];
                    var lnB = F(MathFunction.Log, b);
                    return new Rule(
                        new[] { x, b },
                        new[] { Add(0, Div(g, Mul(x, lnB))), Add(1, Neg(Div(Mul(g, y), Mul(b, lnB)))) },
                        "log base b: 1/(x ln b) to x, -y/(b ln b) to b");
                }

                case MathFunction.Log:
                    return One1(Div(g, x), "log: slope 1/x");
                case MathFunction.Log10:
                    return One1(Div(g, Mul(x, ScalarTypes.Literal(2.302585092994046, t))), "log10: slope 1/(x ln 10)");
                case MathFunction.Log2:
                    return One1(Div(g, Mul(x, ScalarTypes.Literal(0.6931471805599453, t))), "log2: slope 1/(x ln 2)");
                case MathFunction.Sqrt:
                    return One1(Div(g, Mul(Two(), y)), "sqrt: slope 1/(2 sqrt x)");
                case MathFunction.Cbrt:
                    return One1(Div(g, Mul(ScalarTypes.Literal(3, t), Mul(y, y))), "cbrt: slope 1/(3 cbrt(x)^2)");
                case MathFunction.Pow:
                {
                    var p = a[1];
                    double exponent = 0;
                    bool literal = p is LitExpr l && ScalarTypes.TryGetNumber(l, out exponent);
                    Expr slope;
                    if (literal && exponent is 0 or 1 or 2)
                    {
                        slope = exponent == 2 ? Mul(Two(), x) : exponent == 1 ? One() : ScalarTypes.Literal(0, t);
                    }
                    else
                    {
                        // p x^(p-1) = p y / x from the cached result while y is a normal number (not 0, not
                        // infinite, not subnormal, where y / x would lose the slope); else x^(p-1) itself. That
                        // fallback is exact at x = 0 for p = 1 and integer p >= 1, infinite for p in (0, 1) (a
                        // vertical tangent), and 0 for p = 0 rather than 0 * x^(-1) = NaN.
                        var pMinusOne = literal ? (Expr)ScalarTypes.Literal(exponent - 1, t) : new BinaryExpr(BinaryOp.Subtract, p, One(), t);
                        Expr direct = Mul(p, F(MathFunction.Pow, x, pMinusOne));
                        if (!literal)
                        {
                            direct = new ConditionalExpr(
                                new BinaryExpr(BinaryOp.Equal, p, ScalarTypes.Literal(0, t), ScalarKind.Boolean),
                                ScalarTypes.Literal(0, t),
                                direct,
                                t);
                        }

                        slope = new ConditionalExpr(
                            new BinaryExpr(BinaryOp.ConditionalAnd, NotEqual(x, ScalarTypes.Literal(0, t)), IsNormal(y, helperClass, t), ScalarKind.Boolean),
                            Div(Mul(p, y), x),
                            direct,
                            t);
                    }

                    // d/dp x^p = x^p ln x, taken as 0 where x <= 0 (undefined there, and 0 at x = 0 for p > 0).
                    var toExponent = new Route(
                        new BinaryExpr(BinaryOp.GreaterThan, x, ScalarTypes.Literal(0, t), ScalarKind.Boolean),
                        new[] { Add(1, Mul(Mul(g, y), F(MathFunction.Log, x))) },
                        Array.Empty<RuleStep>());
                    return new Rule(new[] { x, p }, new RuleStep[] { Add(0, Mul(g, slope)), toExponent }, "pow: p x^(p-1) to the base, x^p ln x to the exponent");
                }

                case MathFunction.Sin:
                    return One1(Mul(g, F(MathFunction.Cos, x)), "sin: slope cos x");
                case MathFunction.Cos:
                    return One1(Neg(Mul(g, F(MathFunction.Sin, x))), "cos: slope -sin x");
                case MathFunction.Tan:
                    return One1(Mul(g, new BinaryExpr(BinaryOp.Add, One(), Mul(y, y), t)), "tan: slope 1 + tan^2 x");
                case MathFunction.Asin:
                    return One1(Div(g, F(MathFunction.Sqrt, OneMinusSquare(x, t))), "asin: slope 1/sqrt(1 - x^2)");
                case MathFunction.Acos:
                    return One1(Neg(Div(g, F(MathFunction.Sqrt, OneMinusSquare(x, t)))), "acos: slope -1/sqrt(1 - x^2)");
                case MathFunction.Atan:
                    return One1(Div(g, new BinaryExpr(BinaryOp.Add, One(), Mul(x, x), t)), "atan: slope 1/(1 + x^2)");
                case MathFunction.Atan2:
                {
                    // atan2(u, v): slopes v/(u^2+v^2) and -u/(u^2+v^2).
                    var (u, v) = (a[0], a[1]);
                    if (t == ScalarKind.Float)
                    {
                        // In float, u^2 + v^2 underflows or overflows once |u|, |v| pass about 1e-19 or 1e19 (a
                        // finite slope would come out infinite or 0): square in double, round the slopes back.
                        Expr D(Expr e) => new ConvertExpr(e, ScalarKind.Double);
                        var wide = new BinaryExpr(BinaryOp.Add, Mul(D(u), D(u)), Mul(D(v), D(v)), ScalarKind.Double);
                        return new Rule(
                            new[] { u, v },
                            new[]
                            {
                                Add(0, new ConvertExpr(Div(Mul(D(g), D(v)), wide), t)),
                                Add(1, Neg(new ConvertExpr(Div(Mul(D(g), D(u)), wide), t))),
                            },
                            "atan2: v/(u^2+v^2) to u, -u/(u^2+v^2) to v, squared in double");
                    }

                    if (t == ScalarKind.Generic)
                    {
                        // No wider type to square in for every T (Half overflows at 256^2): (v/h)/h with h = hypot(u, v).
                        var h = F(MathFunction.Hypot, u, v);
                        return new Rule(
                            new[] { u, v },
                            new[] { Add(0, Div(Div(Mul(g, v), h), h)), Add(1, Neg(Div(Div(Mul(g, u), h), h))) },
                            "atan2: v/(u^2+v^2) to u, -u/(u^2+v^2) to v, through hypot(u, v)");
                    }

                    var norm = new BinaryExpr(BinaryOp.Add, Mul(u, u), Mul(v, v), t);
                    return new Rule(
                        new[] { u, v },
                        new[] { Add(0, Div(Mul(g, v), norm)), Add(1, Neg(Div(Mul(g, u), norm))) },
                        "atan2: v/(u^2+v^2) to u, -u/(u^2+v^2) to v");
                }

                case MathFunction.Sinh:
                    return One1(Mul(g, F(MathFunction.Cosh, x)), "sinh: slope cosh x");
                case MathFunction.Cosh:
                    return One1(Mul(g, F(MathFunction.Sinh, x)), "cosh: slope sinh x");
                case MathFunction.Tanh:
                    return One1(Mul(g, OneMinusSquare(y, t)), "tanh: slope 1 - tanh^2 x");
                case MathFunction.Abs:
                    return new Rule(
                        new[] { x },
                        new RuleStep[] { new Route(Less(x, ScalarTypes.Literal(0, t)), new[] { Add(0, Neg(g)) }, new[] { Add(0, g) }) },
                        "abs: slope -1 below zero, +1 from zero up");
                case MathFunction.Max:
                    return new Rule(
                        new[] { a[0], a[1] },
                        new RuleStep[] { new Route(new BinaryExpr(BinaryOp.GreaterThanOrEqual, a[0], a[1], ScalarKind.Boolean), new[] { Add(0, g) }, new[] { Add(1, g) }) },
                        "max gate: routes the gradient to the larger input");
                case MathFunction.Min:
                    return new Rule(
                        new[] { a[0], a[1] },
                        new RuleStep[] { new Route(new BinaryExpr(BinaryOp.LessThanOrEqual, a[0], a[1], ScalarKind.Boolean), new[] { Add(0, g) }, new[] { Add(1, g) }) },
                        "min gate: routes the gradient to the smaller input");
                case MathFunction.Clamp:
                {
                    var (value, low, high) = (a[0], a[1], a[2]);
                    var inner = new Route(new BinaryExpr(BinaryOp.GreaterThan, value, high, ScalarKind.Boolean), new[] { Add(2, g) }, new[] { Add(0, g) });
                    return new Rule(
                        new[] { value, low, high },
                        new RuleStep[] { new Route(Less(value, low), new[] { Add(1, g) }, new RuleStep[] { inner }) },
                        "clamp: routes the gradient to the bound that is hit, else to the value");
                }

                case MathFunction.Asinh:
                    // 1/sqrt(1 + x^2) = 1/cosh(asinh x): no overflow of x^2 for huge x.
                    return One1(Div(g, F(MathFunction.Cosh, y)), "asinh: slope 1/sqrt(1 + x^2) = 1/cosh y");
                case MathFunction.Acosh:
                    return One1(Div(g, F(MathFunction.Sinh, y)), "acosh: slope 1/sqrt(x^2 - 1) = 1/sinh y, infinite at x = 1");
                case MathFunction.Atanh:
                    return One1(Div(g, OneMinusSquare(x, t)), "atanh: slope 1/(1 - x^2), infinite at x = ±1");
                case MathFunction.FusedMultiplyAdd:
                    return new Rule(
                        new[] { a[0], a[1], a[2] },
                        new[] { Add(0, Mul(g, a[1])), Add(1, Mul(g, a[0])), Add(2, g) },
                        "fused multiply-add a*b + c: b to a, a to b, 1 to c");
                case MathFunction.ScaleB:
                    // x * 2^n: the gradient is scaled by 2^n exactly (n is an integer, not differentiated).
                    return new Rule(new[] { x, a[1] }, new[] { Add(0, F(MathFunction.ScaleB, g, a[1])) }, "scaleb x * 2^n: slope 2^n, applied exactly");
                case MathFunction.IEEERemainder:
                {
                    // x - y * n with n = x / y rounded to the nearest integer (ties to even): slopes 1 and -n.
                    var quotient = Round(Div(x, a[1]), t);
                    return new Rule(new[] { x, a[1] }, new[] { Add(0, g), Add(1, Neg(Mul(g, quotient))) }, "IEEE remainder: 1 to x, -round(x/y) to y");
                }

                case MathFunction.CopySign:
                {
                    // |x| with the sign of y: slope sign(x) sign(y) (+1 for x = 0, as for Abs); y only sets a sign.
                    var sign = F(MathFunction.CopySign, One(), a[1]);
                    return new Rule(
                        new[] { x, a[1] },
                        new RuleStep[] { new Route(Less(x, ScalarTypes.Literal(0, t)), new[] { Add(0, Neg(Mul(g, sign))) }, new[] { Add(0, Mul(g, sign)) }) },
                        "copysign: slope sign(x) sign(y) to x, none to y");
                }

                case MathFunction.ReciprocalSqrtEstimate:
                    // The exact slope of 1/sqrt(x), not the estimate's own: the estimate is only good to a few
                    // bits on some hardware, and its cube would carry that error into the gradient.
                    return One1(Div(Mul(ScalarTypes.Literal(-0.5, t), g), Mul(x, F(MathFunction.Sqrt, x))), "reciprocal sqrt: slope -1/(2 x sqrt x), exact");
                case MathFunction.Hypot:
                    return new Rule(
                        new[] { a[0], a[1] },
                        new[] { Add(0, Div(Mul(g, a[0]), y)), Add(1, Div(Mul(g, a[1]), y)) },
                        "hypot: x/h to x, y/h to y");
                case MathFunction.ExpM1:
                    // e^x itself, not y + 1, which is 0 once e^x is below half an ulp of 1 (x < -37).
                    return One1(Mul(g, F(MathFunction.Exp, x)), "expm1: slope e^x");
                case MathFunction.LogP1:
                    return One1(Div(g, new BinaryExpr(BinaryOp.Add, One(), x, t)), "logp1: slope 1/(1 + x)");
                case MathFunction.Exp2:
                    return One1(Mul(g, Mul(y, ScalarTypes.Literal(0.6931471805599453, t))), "exp2: slope 2^x ln 2");
                case MathFunction.Exp10:
                    return One1(Mul(g, Mul(y, ScalarTypes.Literal(2.302585092994046, t))), "exp10: slope 10^x ln 10");
                default:
                    throw new InvalidOperationException("No derivative rule for " + call.Function);
            }
        }

        private static Contribution Add(int operand, Expr value) => new(operand, value);

        private static Expr Neg(Expr e) => e is UnaryExpr { Op: UnaryOp.Negate } n ? n.Operand : new UnaryExpr(UnaryOp.Negate, e, e.Type);

        private static Expr Mul(Expr a, Expr b) => new BinaryExpr(BinaryOp.Multiply, a, b, Wider(a, b));

        private static Expr Div(Expr a, Expr b) => new BinaryExpr(BinaryOp.Divide, a, b, Wider(a, b));

        private static Expr Less(Expr a, Expr b) => new BinaryExpr(BinaryOp.LessThan, a, b, ScalarKind.Boolean);

        private static Expr NotEqual(Expr a, Expr b) => new BinaryExpr(BinaryOp.NotEqual, a, b, ScalarKind.Boolean);

        /// <summary><c>|v|</c> is at least the smallest normal number and finite (false for NaN): IsNormal without a call netstandard2.0 lacks.</summary>
        private static Expr IsNormal(Expr v, MathClass mathClass, ScalarKind t)
        {
            if (t == ScalarKind.Generic) return GenericMath.IsNormal(v);
            var magnitude = new MathCallExpr(MathFunction.Abs, mathClass, new CodeAnalysis.Helpers.EquatableArray<Expr>(new[] { v }), t);
            bool single = t == ScalarKind.Float;
            var smallest = new LitExpr(single ? "1.17549435E-38f" : "2.2250738585072014E-308", t);
            var largest = new LitExpr(single ? "float.MaxValue" : "double.MaxValue", t);
            return new BinaryExpr(
                BinaryOp.ConditionalAnd,
                new BinaryExpr(BinaryOp.GreaterThanOrEqual, magnitude, smallest, ScalarKind.Boolean),
                new BinaryExpr(BinaryOp.LessThanOrEqual, magnitude, largest, ScalarKind.Boolean),
                ScalarKind.Boolean);
        }

        private static Expr OneMinusSquare(Expr x, ScalarKind t) =>
            new BinaryExpr(BinaryOp.Subtract, ScalarTypes.Literal(1, t), Mul(x, x), t);

        private static ScalarKind Wider(Expr a, Expr b) =>
            a.Type == ScalarKind.Double || b.Type == ScalarKind.Double ? ScalarKind.Double
            : a.Type == ScalarKind.Float || b.Type == ScalarKind.Float ? ScalarKind.Float
            : a.Type;

        /// <summary>Math.Truncate / MathF.Truncate: no rule of its own (its gradient is zero), so a plain call.</summary>
        private static Expr Truncate(Expr argument, ScalarKind type) => ZeroGradientCall("Truncate", argument, type);

        /// <summary>Math.Round / MathF.Round: to the nearest integer, ties to even.</summary>
        private static Expr Round(Expr argument, ScalarKind type) => ZeroGradientCall("Round", argument, type);

        private static Expr ZeroGradientCall(string name, Expr argument, ScalarKind type) => new CallExpr(
            type switch
            {
                ScalarKind.Float => "global::System.MathF.",
                ScalarKind.Generic => GenericMath.Marker + ".",
                _ => "global::System.Math.",
            } + name,
            new CodeAnalysis.Helpers.EquatableArray<Expr>(new[] { argument }),
            type);
    }
}
