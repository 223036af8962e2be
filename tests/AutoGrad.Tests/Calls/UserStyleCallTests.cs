using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Calls;

/// <summary>
/// Calls written the way finance, ML and physics code is written in .NET (a trial of the calls feature):
/// Black–Scholes with a normal CDF helper, an activation library behind a small network, log-sum-exp over a
/// span, Huber loss, springs over particles in flat arrays, a bond with a discount-factor helper, recursive
/// Horner, tree sums, determinants by minors, custom derivatives, and the shapes of code around them
/// (var, odd spacing, default and named arguments, flags, nested classes, constants of other classes).
/// Each gradient is checked against central finite differences at random points.
/// </summary>
public class UserStyleCallTests
{
    private static GradientCase Case(string name, string helpers, string returnType, string parameters, string body, Domain? domain = null) =>
        new(name, helpers + "\n\n" + GradientCase.Declare(returnType, name, parameters, body), domain ?? new Domain());

    // The Abramowitz–Stegun 7.1.26 normal CDF, as it is pasted into pricing code everywhere.
    private static string NormCdf(string name) => $$"""
        private static double {{name}}(double x)
        {
            const double a1 = 0.254829592, a2 = -0.284496736, a3 = 1.421413741, a4 = -1.453152027, a5 = 1.061405429, p = 0.3275911;
            var sign = x < 0 ? -1.0 : 1.0;
            var z = Math.Abs(x) / Math.Sqrt(2.0);
            var t = 1.0 / (1.0 + p * z);
            var y = 1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * Math.Exp(-z * z);
            return 0.5 * (1.0 + sign * y);
        }
        """;

    private static readonly Domain MarketDomain = new Domain()
        .Range("s", 80, 120).Range("k", 90, 110).Range("t", 0.1, 2).Range("r", 0.0, 0.05).Range("sigma", 0.1, 0.5);

    private static readonly GradientCase[] Cases =
    {
        Case(
            "BlackScholesCall",
            NormCdf("NormCdfA"),
            "double",
            "double s, double k, double t, double r, double sigma",
            """
            var sqrtT = Math.Sqrt(t);
            var d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
            var d2 = d1 - sigma * sqrtT;
            return s * NormCdfA(d1) - k * Math.Exp(-r * t) * NormCdfA(d2);
            """,
            MarketDomain),
        Case(
            "BlackScholesPutNamedArgs",
            NormCdf("NormCdfB") + "\n\n" + """
            static double ForwardPriceB(double spot, double rate, double time, double dividend = 0.0) => spot * Math.Exp((rate - dividend) * time);
            static double DiscountB(double rate, double time) => Math.Exp(-rate * time);
            """,
            "double",
            "double s, double k, double t, double r, double sigma, double q",
            """
            var fwd = ForwardPriceB(time: t, spot: s, rate: r, dividend: q);
            var vol = sigma * Math.Sqrt(t);
            var d1 = Math.Log(fwd / k) / vol + 0.5 * vol;
            var d2 = d1 - vol;
            return DiscountB(r, t) * (k * NormCdfB(x: -d2) - fwd * NormCdfB(-d1));
            """,
            new Domain().Range("s", 80, 120).Range("k", 90, 110).Range("t", 0.1, 2).Range("r", 0.0, 0.05).Range("sigma", 0.1, 0.5).Range("q", 0.0, 0.03)),
        Case(
            "BondPriceWithDiscountFactor",
            "static double DiscountFactorC(double y, double t, int freq = 2) => Math.Pow(1 + y / freq, -freq * t);",
            "double",
            "double coupon, double y, int years",
            """
            var price = 0.0;
            var periods = years * 2;
            for (var i = 1; i <= periods; i++)
            {
                var t = i / 2.0;
                price += 100 * coupon / 2 * DiscountFactorC(y, t);
            }
            price += 100 * DiscountFactorC(y, years);
            return price;
            """,
            new Domain().Range("coupon", 0.01, 0.08).Range("y", 0.005, 0.1).Fix("years", 5)),
        Case(
            "BondBoolFlagCompounding",
            """
            static double DfD(double y, double t, bool continuous)
            {
                if (continuous) return Math.Exp(-y * t);
                return 1.0 / Math.Pow(1.0 + y, t);
            }
            """,
            "double",
            "double coupon, double y, double spread, bool continuous",
            """
            double pv = 0;
            for (int year = 1; year <= 4; year++)
                pv += coupon * DfD(y + spread, year, continuous);
            return pv + DfD(y + spread, 4, continuous);
            """,
            new Domain().Range("coupon", 0.01, 0.08).Range("y", 0.005, 0.1).Range("spread", 0, 0.02).Fix("continuous", true)),
        Case(
            "BondBoolFlagCompoundingFalse",
            """
            static double DfE(double y, double t, bool continuous)
            {
                if (continuous) return Math.Exp(-y * t);
                return 1.0 / Math.Pow(1.0 + y, t);
            }
            """,
            "double",
            "double coupon, double y, double spread, bool continuous",
            """
            double pv = 0;
            for (int year = 1; year <= 4; year++)
                pv += coupon * DfE(y + spread, year, continuous);
            return pv + DfE(y + spread, 4, continuous);
            """,
            new Domain().Range("coupon", 0.01, 0.08).Range("y", 0.005, 0.1).Range("spread", 0, 0.02).Fix("continuous", false)),
        Case(
            "ActivationsByKindInLoop",
            """
            public static class ActF
            {
                public static double Gelu(double x) => 0.5 * x * (1.0 + Math.Tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
                public static double Swish(double x, double beta = 1.0) => x / (1.0 + Math.Exp(-beta * x));
                public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
                public static double Activate(double z, int kind)
                {
                    if (kind == 0) return Gelu(z);
                    else if (kind == 1) return Swish(z);
                    else if (kind == 2) return Swish(z, beta: 1.702);
                    return Softplus(z);
                }
            }
            """,
            "double",
            "double w, double b, double x",
            """
            var total = 0.0;
            for (var kind = 0; kind < 4; kind++)
            {
                total += ActF.Activate(w * x + b, kind) * (kind + 1);
            }
            return total;
            """),
        Case(
            "SoftplusSeveralEarlyReturns",
            """
            static double SoftplusG(double x, double beta = 1.0)
            {
                var bx = beta * x;
                if (bx > 20) return x;
                if (bx < -20) return Math.Exp(bx) / beta;
                if (bx == 0) return Math.Log(2) / beta;
                return Math.Log(1 + Math.Exp(bx)) / beta;
            }
            """,
            "double",
            "double x, double y",
            "return SoftplusG(x, beta: 2.0) + SoftplusG(y) * x;",
            new Domain(-15, 15).Where(p => Math.Abs(Math.Abs(p["x"]) - 10) > 0.5 && Math.Abs(Math.Abs(p["y"]) - 20) > 0.5)),
        Case(
            "ThreeDeepHelpers",
            """
            static double LossH(double pred, double target) => HalfSquareH(ResidualH(pred, target));
            static double ResidualH(double pred, double target) => ScaleH(pred - target);
            static double HalfSquareH(double r) { const double half = 0.5; return half * r * r; }
            static double ScaleH(double v) => v / Math.Sqrt(1.0 + SoftH(v));
            static double SoftH(double v) => Math.Log(1 + v * v);
            """,
            "double",
            "double w, double b, double x, double y",
            "return LossH(w * x + b, y);"),
        Case(
            "ConstAndStaticReadonlyOfAnotherClass",
            """
            public static class PhysConstI
            {
                public const double Gravity = 9.80665;
                public static readonly double GasConstant = 8.314462618;
                internal static readonly double Half = 0.5;
            }

            static double IdealGasPressureI(double n, double temperature, double volume) => n * PhysConstI.GasConstant * temperature / volume;
            static double PotentialI(double m, double h) => m * PhysConstI.Gravity * h + PhysConstI.Half * m * h * h;
            """,
            "double",
            "double n, double temperature, double volume, double m, double h",
            "return IdealGasPressureI(n, temperature, volume) * 1e-3 + PotentialI(m, h);",
            new Domain().Range("n", 0.5, 2).Range("temperature", 250, 350).Range("volume", 0.01, 0.1).Range("m", 0.1, 3).Range("h", 0, 10)),
        Case(
            "LocalFunctionCapturesReassignedLocal",
            string.Empty,
            "double",
            "double x, double y",
            """
            double scale = x;
            double Scaled(double v) => v * scale;
            var a = Scaled(y);
            scale = scale * 2 + 1;
            var b = Scaled(y);
            return a + b * b;
            """),
        Case(
            "LocalFunctionCapturesLocal",
            string.Empty,
            "double",
            "double n, double temperature, double volume",
            """
            var invVolume = 1.0 / volume;
            double Pressure(double moles) => moles * 8.314 * temperature * invVolume;
            return Pressure(n) + Pressure(n * 0.5) * 0.1;
            """,
            new Domain().Range("n", 0.5, 2).Range("temperature", 250, 350).Range("volume", 0.5, 2)),
        Case(
            "StaticLocalFunctionInLoopAndBranches",
            string.Empty,
            "double",
            "double x, double y, int n",
            """
            static double Smooth(double v) => v * v / (1 + v * v);
            double acc = 0;
            for (int i = 0; i < n; i++)
            {
                if (i % 2 == 0) acc += Smooth(x + i);
                else acc -= Smooth(y * i);
            }
            if (acc > 0) return acc + Smooth(acc);
            return acc - Smooth(x);
            """,
            new Domain().Fix("n", 5)),
        Case(
            "HelperResultUnused",
            "static double ExpensiveJ(double v) => Math.Exp(v) * Math.Sin(v);",
            "double",
            "double x",
            """
            var unused = ExpensiveJ(x);
            var alsoUnused = ExpensiveJ(x * 2) + 1;
            return x * x;
            """),
        Case(
            "HelperInLoopAndBranches",
            "static double ClipK(double g, double limit) => g > limit ? limit : g < -limit ? -limit : g;\nstatic double SqK(double v) => v * v;",
            "double",
            "double w, double lr, double g0",
            """
            var param = w;
            var velocity = 0.0;
            for (var step = 0; step < 3; step++)
            {
                var grad = 2 * param + g0;
                if (step == 0)
                    velocity = ClipK(grad, 10.0);
                else
                    velocity = 0.9 * velocity + ClipK(grad, 10.0);
                param -= lr * velocity;
            }
            return SqK(param);
            """,
            new Domain().Range("lr", 0.01, 0.1)),
        Case(
            "ManyParameterHelper",
            """
            static double BivariateNormalLogPdfL(double x, double y, double muX, double muY, double sigmaX, double sigmaY, double rho)
            {
                var zx = (x - muX) / sigmaX;
                var zy = (y - muY) / sigmaY;
                var oneMinusRho2 = 1 - rho * rho;
                var q = (zx * zx - 2 * rho * zx * zy + zy * zy) / oneMinusRho2;
                return -Math.Log(2 * Math.PI * sigmaX * sigmaY * Math.Sqrt(oneMinusRho2)) - 0.5 * q;
            }
            """,
            "double",
            "double muX, double muY, double logSigmaX, double logSigmaY, double atanhRho, double x0, double y0, double x1, double y1",
            """
            var sx = Math.Exp(logSigmaX);
            var sy = Math.Exp(logSigmaY);
            var rho = Math.Tanh(atanhRho);
            return -(BivariateNormalLogPdfL(x0, y0, muX, muY, sx, sy, rho) + BivariateNormalLogPdfL(x1, y1, muX, muY, sx, sy, rho));
            """,
            new Domain(-1, 1)),
        Case(
            "OddSpacingExpressionBodied",
            "static double   SigmoidM (  double z)=>1.0/( 1.0+Math.Exp( -z ) ) ;\nstatic double LogitLossM(double z,double y)=>  -( y*Math.Log(SigmoidM(z))+(1-y)*Math.Log(1-SigmoidM(z)) );",
            "double",
            "double w,double b,double x",
            "var   z=w*x+b ;\nreturn LogitLossM( z ,0.0)+LogitLossM(z,  1.0 )*0.5;"),
        Case(
            "FloatBlackScholes",
            """
            static float NormCdfN(float x)
            {
                const float p = 0.3275911f;
                var z = MathF.Abs(x) / MathF.Sqrt(2f);
                var t = 1f / (1f + p * z);
                var y = 1f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t * MathF.Exp(-z * z);
                return x < 0 ? 0.5f * (1f - y) : 0.5f * (1f + y);
            }
            """,
            "float",
            "float s, float k, float t, float r, float sigma",
            """
            var sqrtT = MathF.Sqrt(t);
            var d1 = (MathF.Log(s / k) + (r + 0.5f * sigma * sigma) * t) / (sigma * sqrtT);
            var d2 = d1 - sigma * sqrtT;
            return s * NormCdfN(d1) - k * MathF.Exp(-r * t) * NormCdfN(d2);
            """,
            MarketDomain),
        Case(
            "FloatActivations",
            "static float GeluO(float x) => 0.5f * x * (1f + MathF.Tanh(0.7978846f * (x + 0.044715f * x * x * x)));\nstatic float SwishO(float x) => x / (1f + MathF.Exp(-x));",
            "float",
            "float w, float b, float x",
            "var h = GeluO(w * x + b);\nreturn SwishO(h) * w;"),
        Case(
            "MutualRecursionSinCosByHalving",
            """
            [Differentiable]
            public static double SinP(double x, int n) => n == 0 ? x - x * x * x / 6 + x * x * x * x * x / 120 : 2 * SinP(x / 2, n - 1) * CosP(x / 2, n - 1);
            [Differentiable]
            public static double CosP(double x, int n)
            {
                if (n == 0) return 1 - x * x / 2 + x * x * x * x / 24;
                var s = SinP(x / 2, n - 1);
                return 1 - 2 * s * s;
            }
            """,
            "double",
            "double theta, double amplitude",
            "return amplitude * SinP(theta, 4) + CosP(theta * amplitude, 3);"),
        Case(
            "ChebyshevRecursionTwoCalls",
            """
            [Differentiable]
            public static double ChebQ(double x, int n)
            {
                if (n == 0) return 1.0;
                if (n == 1) return x;
                return 2 * x * ChebQ(x, n - 1) - ChebQ(x, n - 2);
            }
            """,
            "double",
            "double x, double c0, double c1, double c2",
            "return c0 * ChebQ(x, 2) + c1 * ChebQ(x, 3) + c2 * ChebQ(x, 5);",
            new Domain(-1, 1)),
        Case(
            "CustomDerivativeLogCoshOtherClass",
            """
            public static class StableS
            {
                public static double LogCosh(double x)
                {
                    var a = Math.Abs(x);
                    return a + Math.Log(1 + Math.Exp(-2 * a)) - Math.Log(2);
                }
            }

            [DerivativeOf(typeof(StableS), nameof(StableS.LogCosh))]
            static double LogCoshDerivativeS(double x, out double dX, double seed = 1.0)
            {
                dX = seed * Math.Tanh(x);
                return StableS.LogCosh(x);
            }
            """,
            "double",
            "double pred, double target, double scale",
            "return scale * StableS.LogCosh((pred - target) / scale);",
            new Domain().Range("scale", 0.5, 2)),
        Case(
            "CustomDerivativeWithIntAndNoGrad",
            """
            public static double BesselLikeT(double x, int terms, [NoGrad] double shift)
            {
                double sum = 0, term = 1;
                for (int k = 0; k < terms; k++) { sum += term; term *= (x - shift) * (x - shift) / (4.0 * (k + 1) * (k + 1)); }
                return sum;
            }

            [DerivativeOf(nameof(BesselLikeT))]
            public static double BesselLikeTDerivative(double x, int terms, double shift, out double dX, double seed)
            {
                double sum = 0, term = 1, dsum = 0, dterm = 0;
                for (int k = 0; k < terms; k++)
                {
                    sum += term; dsum += dterm;
                    double f = (x - shift) * (x - shift) / (4.0 * (k + 1) * (k + 1));
                    double df = 2 * (x - shift) / (4.0 * (k + 1) * (k + 1));
                    dterm = dterm * f + term * df;
                    term *= f;
                }
                dX = seed * dsum;
                return sum;
            }
            """,
            "double",
            "double x, double y",
            "return BesselLikeT(x * y, 6, 0.25) + y;"),
        Case(
            "ConvergenceLoopHelper",
            """
            static double ExpSeriesU(double x)
            {
                double sum = 1, term = 1;
                int k = 1;
                while (Math.Abs(term) > 1e-16 * Math.Abs(sum) && k < 60)
                {
                    term *= x / k;
                    sum += term;
                    k++;
                }
                return sum;
            }
            """,
            "double",
            "double x, double y",
            "return ExpSeriesU(x) * y + ExpSeriesU(-y);"),
        Case(
            "HelperCompoundAssignsItsParameters",
            """
            static double WarpW(double v, int times)
            {
                v *= 1.5;
                v += 0.25;
                v++;
                for (int i = 0; i < times; i++) v -= 0.1 * Math.Sin(v);
                v /= 2;
                return v;
            }
            """,
            "double",
            "double x",
            "var a = WarpW(x, 3);\nvar b = WarpW(a, 0);\nreturn a * b;"),
        Case(
            "HelperGetsIntConvertedToDouble",
            "static double PowerX(double b, double e) => Math.Pow(b, e);",
            "double",
            "double x, int n",
            "double s = 0;\nfor (int i = 1; i <= n; i++) s += PowerX(x, i) / i;\nreturn s + PowerX(2, x);",
            new Domain(0.1, 2).Fix("n", 4)),
        Case(
            "NestedStaticClassesTwoDeep",
            """
            public static class FinanceY
            {
                public static class Curves
                {
                    public static double ZeroRate(double t, double level, double slope) => level + slope * (1 - Math.Exp(-t)) / t;
                    public static double Df(double t, double level, double slope) => Math.Exp(-ZeroRate(t, level, slope) * t);
                }

                public static class Swaps
                {
                    public static double Annuity(double level, double slope, int n)
                    {
                        var a = 0.0;
                        for (var i = 1; i <= n; i++) a += Curves.Df(i, level, slope);
                        return a;
                    }
                }
            }
            """,
            "double",
            "double level, double slope",
            "var annuity = FinanceY.Swaps.Annuity(level, slope, 5);\nreturn (1 - FinanceY.Curves.Df(5, level, slope)) / annuity;",
            new Domain().Range("level", 0.01, 0.05).Range("slope", -0.02, 0.02)),
        Case(
            "ClampWithNamedArguments",
            "static double SaturateZ(double v, double lo, double hi) => Math.Clamp(v, min: lo, max: hi);",
            "double",
            "double x, double y",
            "return SaturateZ(x * y, -1.0, hi: 1.0) + SaturateZ(hi: 0.5, lo: -0.5, v: x);",
            new Domain().Where(p => Math.Abs(Math.Abs(p["x"] * p["y"]) - 1) > 0.05 && Math.Abs(Math.Abs(p["x"]) - 0.5) > 0.05)),
        Case(
            "RecursionCalledFromBranchOfHelper",
            """
            [Differentiable]
            public static double PowAA(double x, int n) => n == 0 ? 1.0 : x * PowAA(x, n - 1);
            static double SafePowAA(double x, int n)
            {
                if (n < 0) return 1.0 / PowAA(x, -n);
                if (n == 0) return 1.0;
                return PowAA(x, n);
            }
            """,
            "double",
            "double x",
            "return SafePowAA(x, 3) + SafePowAA(x, -2) + SafePowAA(x, 0);",
            new Domain(0.5, 2)),
        Case(
            "SameHelperDifferentDefaults",
            "static double HuberAB(double r, double delta = 1.0) => Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);",
            "double",
            "double pred, double target",
            "var r = pred - target;\nreturn HuberAB(r) + HuberAB(r, 0.5) + HuberAB(delta: 2.0, r: r);",
            new Domain(-3, 3).Where(p => new[] { 0.0, 0.5, 1.0, 2.0 }.All(d => Math.Abs(Math.Abs(p["pred"] - p["target"]) - d) > 0.05))),
        Case(
            "MutualRecursionOnlyEntryDifferentiable",
            """
            [Differentiable]
            public static double EvenAC(double x, int n) => n == 0 ? x : OddAC(x, n - 1) * 2;
            static double OddAC(double x, int n) => n == 0 ? x : EvenAC(x * x * 0.5, n - 1) + Math.Sin(x);
            """,
            "double",
            "double x",
            "return EvenAC(x, 5);",
            new Domain(-1, 1)),
        Case(
            "AdviceFollowedRecursiveHelperMarkedDifferentiable",
            "[Differentiable]\npublic static double HornerAD(double x, int k) => k == 5 ? 1.0 : 1.0 + x * HornerAD(x, k + 1);",
            "double",
            "double x",
            "return HornerAD(x, 0);"),
        Case(
            "AdviceFollowedSwitchRewrittenAsIfElse",
            """
            static double ActAE(double z, int kind)
            {
                if (kind == 0) return Math.Tanh(z);
                else if (kind == 1) return z / (1 + Math.Exp(-z));
                else return z;
            }
            """,
            "double",
            "double x",
            "return ActAE(x, 0) + ActAE(x, 1) + ActAE(x, 2);"),
        Case(
            "AdviceFollowedDerivativeOfConvertToDouble",
            """
            [DerivativeOf(typeof(Convert), nameof(Convert.ToDouble))]
            static double ToDoubleDerivativeAF(float value, out float dValue, double seed = 1.0)
            {
                dValue = (float)seed;
                return Convert.ToDouble(value);
            }
            """,
            "double",
            "float x, double y",
            "return Convert.ToDouble(x) * y + y;"),
        Case(
            "BoolHelperInConditionOfTernary",
            "static bool IsBigAI(double v) => v > 1.0;\nstatic double SqAI(double v) => v * v;",
            "double",
            "double x",
            "return IsBigAI(SqAI(x)) ? SqAI(x) * x : -SqAI(x);",
            new Domain().Where(p => Math.Abs(p["x"] * p["x"] - 1) > 0.05)),
    };

    private static readonly CaseSet Set = GradientCase.ToCaseSet("UserStyleCases", Cases);

    public static IEnumerable<object[]> Names => GradientCase.Names(Cases);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name) =>
        GradientChecker.Check(Set, Array.Find(Cases, c => c.Name == name)!);

    private const string ActivationLibrary = """
        public static class NnB
        {
            public const double SqrtTwoOverPi = 0.7978845608028654;

            public static double Gelu(double x) => 0.5 * x * (1.0 + Math.Tanh(SqrtTwoOverPi * (x + 0.044715 * x * x * x)));

            public static double Swish(double x) => x / (1.0 + Math.Exp(-x));

            public static double Softplus(double x) => Math.Log(1.0 + Math.Exp(x));

            public static void Dense(double[] weights, double[] bias, ReadOnlySpan<double> input, double[] output)
            {
                var nIn = input.Length;
                for (var o = 0; o < output.Length; o++)
                {
                    var acc = bias[o];
                    for (var i = 0; i < nIn; i++) acc += weights[o * nIn + i] * input[i];
                    output[o] = acc;
                }
            }

            public static void Apply(double[] values, int activation)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    if (activation == 0) values[i] = Gelu(values[i]);
                    else if (activation == 1) values[i] = Swish(values[i]);
                    else values[i] = Softplus(values[i]);
                }
            }
        }
        """;

    private static readonly ArrayCase[] ArrayCases =
    {
        ArrayCase.Double(
            "TinyNetWithActivationLibrary",
            "double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, [NoGrad] double[] y",
            """
            var hidden = new double[b1.Length];
            var output = new double[b2.Length];
            NnB.Dense(w1, b1, x, hidden);
            NnB.Apply(hidden, 0);
            NnB.Dense(w2, b2, hidden, output);
            NnB.Apply(output, 1);
            var loss = 0.0;
            for (var i = 0; i < output.Length; i++)
            {
                var diff = output[i] - y[i];
                loss += diff * diff;
            }
            return loss / output.Length + 1e-3 * NnB.Softplus(w1[0]);
            """,
            new ArrayDomain(-1, 1).Length("w1", 6).Length("b1", 3).Length("w2", 6).Length("b2", 2).Length("x", 2).Length("y", 2))
            with { Helpers = ActivationLibrary },
        ArrayCase.Double(
            "LogSoftmaxLossWithLogSumExpSpan",
            "double[] logits, int label, double temperature",
            """
            Span<double> scaled = stackalloc double[logits.Length];
            for (int i = 0; i < logits.Length; i++) scaled[i] = logits[i] / temperature;
            return LogSumExpC(scaled) - scaled[label] + 0.01 * LogSumExpC(logits);
            """,
            new ArrayDomain(-3, 3).Length("logits", 5).Fix("label", 2).Range("temperature", 0.5, 2))
            with
            {
                Helpers = """
                static double LogSumExpC(ReadOnlySpan<double> z)
                {
                    var max = double.NegativeInfinity;
                    foreach (var v in z) max = Math.Max(max, v);
                    var sum = 0.0;
                    foreach (var v in z) sum += Math.Exp(v - max);
                    return max + Math.Log(sum);
                }
                """,
            },
        ArrayCase.Double(
            "HuberLossOverResiduals",
            "double[] pred, [NoGrad] double[] target, double delta",
            "double loss = 0;\nfor (int i = 0; i < pred.Length; i++) loss += HuberD(pred[i] - target[i], delta);\nreturn loss / pred.Length;",
            new ArrayDomain(-2, 2).Length("pred", 6).Length("target", 6).Range("delta", 0.5, 1.5)
                .Where(p => Enumerable.Range(0, 6).All(i => Math.Abs(Math.Abs(p.A("pred")[i] - p.A("target")[i]) - p["delta"]) > 0.02)))
            with
            {
                Helpers = """
                static double HuberD(double r, double delta)
                {
                    var a = Math.Abs(r);
                    if (a <= delta) return 0.5 * r * r;
                    return delta * (a - 0.5 * delta);
                }
                """,
            },
        ArrayCase.Double(
            "SpringChainEnergyFlatArrays",
            "double[] pos, [NoGrad] double[] mass, double stiffness, double restLength",
            """
            var n = mass.Length;
            var energy = 0.0;
            for (var i = 0; i + 1 < n; i++)
            {
                energy += SpringEnergyE(pos[2 * i], pos[2 * i + 1], pos[2 * i + 2], pos[2 * i + 3], stiffness, restLength);
            }
            for (var i = 0; i < n; i++)
            {
                energy += mass[i] * WorldE.Gravity * pos[2 * i + 1];
            }
            return energy;
            """,
            new ArrayDomain(-2, 2).Length("pos", 8).Length("mass", 4).Range("mass", 0.5, 2).Range("stiffness", 1, 10).Range("restLength", 0.5, 1.5))
            with
            {
                Helpers = """
                public static class WorldE
                {
                    public static readonly double Gravity = 9.81;
                }

                static double SpringEnergyE(double x1, double y1, double x2, double y2, double k, double rest)
                {
                    var dx = x2 - x1;
                    var dy = y2 - y1;
                    var len = Math.Sqrt(dx * dx + dy * dy);
                    var stretch = len - rest;
                    return 0.5 * k * stretch * stretch;
                }
                """,
            },
        ArrayCase.Double(
            "BondFromCashflowArrays",
            "[NoGrad] double[] times, [NoGrad] double[] cashflows, double zeroRate, double spread",
            "var pv = 0.0;\nfor (var i = 0; i < times.Length; i++) pv += cashflows[i] * DiscountF(zeroRate + spread, times[i]);\nreturn pv;",
            new ArrayDomain().Length("times", 5).Length("cashflows", 5).Range("times", 0.5, 10).Range("cashflows", 1, 100).Range("zeroRate", 0, 0.08).Range("spread", 0, 0.03))
            with { Helpers = "static double DiscountF(double rate, double t) => Math.Exp(-rate * t);" },
        ArrayCase.Double(
            "TreeReduceWithDecay",
            "double[] v, double decay",
            "return ReduceG(v, 0, v.Length, decay);",
            new ArrayDomain(-1, 1).Length("v", 7).Range("decay", 0.5, 1))
            with
            {
                Helpers = """
                [Differentiable]
                public static double ReduceG(double[] v, int lo, int hi, double decay)
                {
                    if (hi <= lo) return 0.0;
                    if (hi - lo == 1) return Math.Tanh(v[lo]);
                    var mid = lo + (hi - lo) / 2;
                    return decay * (ReduceG(v, lo, mid, decay) + ReduceG(v, mid, hi, decay));
                }
                """,
            },
        ArrayCase.Double(
            "Determinant4x4WithMinorHelper",
            "double[] m",
            "return DetH(m, 4);",
            new ArrayDomain(-1, 1).Length("m", 16))
            with
            {
                Helpers = """
                static void MinorH(double[] m, int n, int skipCol, double[] dest)
                {
                    for (int r = 1; r < n; r++)
                    {
                        int k = 0;
                        for (int c = 0; c < n; c++)
                        {
                            if (c == skipCol) continue;
                            dest[(r - 1) * (n - 1) + k] = m[r * n + c];
                            k++;
                        }
                    }
                }

                [Differentiable]
                public static double DetH(double[] m, int n)
                {
                    if (n == 1) return m[0];
                    if (n == 2) return m[0] * m[3] - m[1] * m[2];
                    var minor = new double[(n - 1) * (n - 1)];
                    var det = 0.0;
                    for (int col = 0; col < n; col++)
                    {
                        MinorH(m, n, col, minor);
                        var sign = col % 2 == 0 ? 1.0 : -1.0;
                        det += sign * m[col] * DetH(minor, n - 1);
                    }
                    return det;
                }
                """,
            },
        ArrayCase.Double(
            "RecursiveHornerOverSpan",
            "ReadOnlySpan<double> c, double x",
            "return HornerI(c, x, 0) * 0.5;",
            new ArrayDomain(-1, 1).Length("c", 6))
            with { Helpers = "[Differentiable]\npublic static double HornerI(ReadOnlySpan<double> c, double x, int k) => k >= c.Length ? 0.0 : c[k] + x * HornerI(c, x, k + 1);" },
        ArrayCase.Double(
            "RnnCellVoidHelperInLoop",
            "double[] wh, double[] wx, double[] b, [NoGrad] double[] xs",
            """
            var n = b.Length;
            var h = new double[n];
            var next = new double[n];
            for (var t = 0; t < xs.Length; t++)
            {
                CellJ(wh, wx, b, h, xs[t], next);
                for (var i = 0; i < n; i++) h[i] = next[i];
            }
            var s = 0.0;
            for (var i = 0; i < n; i++) s += h[i] * (i + 1);
            return s;
            """,
            new ArrayDomain(-1, 1).Length("wh", 9).Length("wx", 3).Length("b", 3).Length("xs", 4))
            with
            {
                Helpers = """
                static void CellJ(double[] wh, double[] wx, double[] b, double[] h, double x, double[] next)
                {
                    var n = h.Length;
                    for (var i = 0; i < n; i++)
                    {
                        var a = b[i] + wx[i] * x;
                        for (var j = 0; j < n; j++) a += wh[i * n + j] * h[j];
                        next[i] = Math.Tanh(a);
                    }
                }
                """,
            },
        ArrayCase.Float(
            "FloatDenseSwish",
            "float[] w, float[] b, [NoGrad] float[] x",
            "var h = new float[b.Length];\nDenseK(w, b, x, h);\nvar s = 0f;\nfor (var i = 0; i < h.Length; i++) s += SwishK(h[i]);\nreturn s;",
            new ArrayDomain(-1, 1).Length("w", 6).Length("b", 2).Length("x", 3))
            with
            {
                Helpers = """
                static float SwishK(float v) => v / (1f + MathF.Exp(-v));
                static void DenseK(float[] w, float[] b, float[] x, float[] y)
                {
                    for (int o = 0; o < y.Length; o++)
                    {
                        float acc = b[o];
                        for (int i = 0; i < x.Length; i++) acc += w[o * x.Length + i] * x[i];
                        y[o] = acc;
                    }
                }
                """,
            },
        ArrayCase.Double(
            "MiniBatchDotAtOffset",
            "double[] w, double bias, [NoGrad] double[] xs, [NoGrad] double[] ys",
            """
            var d = w.Length;
            var loss = 0.0;
            for (var s = 0; s < ys.Length; s++)
            {
                var z = DotAtL(w, xs, s * d) + bias;
                loss += Math.Log(1 + Math.Exp(-ys[s] * z));
            }
            return loss / ys.Length;
            """,
            new ArrayDomain(-1, 1).Length("w", 3).Length("xs", 12).Length("ys", 4).Fix("ys", new[] { 1.0, -1.0, 1.0, -1.0 }))
            with { Helpers = "static double DotAtL(double[] w, double[] xs, int offset)\n{\n    var s = 0.0;\n    for (var i = 0; i < w.Length; i++) s += w[i] * xs[offset + i];\n    return s;\n}" },
        ArrayCase.Double(
            "SoftmaxVoidHelperThenCrossEntropy",
            "double[] logits, [NoGrad] double[] target",
            "var probs = new double[logits.Length];\nSoftmaxM(logits, probs);\nvar ce = 0.0;\nfor (var i = 0; i < probs.Length; i++) ce -= target[i] * Math.Log(probs[i]);\nreturn ce;",
            new ArrayDomain(-2, 2).Length("logits", 4).Length("target", 4).Range("target", 0, 1))
            with
            {
                Helpers = """
                static void SoftmaxM(double[] z, double[] p)
                {
                    var max = z[0];
                    for (var i = 1; i < z.Length; i++) if (z[i] > max) max = z[i];
                    var sum = 0.0;
                    for (var i = 0; i < z.Length; i++) { p[i] = Math.Exp(z[i] - max); sum += p[i]; }
                    for (var i = 0; i < z.Length; i++) p[i] /= sum;
                }
                """,
            },
        ArrayCase.Double(
            "LayerNormVoidHelper",
            "double[] x, double[] gamma, double[] beta",
            "var y = new double[x.Length];\nLayerNormN(x, gamma, beta, y);\nvar s = 0.0;\nfor (var i = 0; i < y.Length; i++) s += y[i] * y[i] * (i + 1);\nreturn s;",
            new ArrayDomain(-2, 2).Length("x", 4).Length("gamma", 4).Length("beta", 4))
            with
            {
                Helpers = """
                static void LayerNormN(double[] x, double[] gamma, double[] beta, double[] y)
                {
                    const double eps = 1e-5;
                    var n = x.Length;
                    var mean = 0.0;
                    for (var i = 0; i < n; i++) mean += x[i];
                    mean /= n;
                    var variance = 0.0;
                    for (var i = 0; i < n; i++) { var d = x[i] - mean; variance += d * d; }
                    variance /= n;
                    var inv = 1.0 / Math.Sqrt(variance + eps);
                    for (var i = 0; i < n; i++) y[i] = gamma[i] * (x[i] - mean) * inv + beta[i];
                }
                """,
            },
        ArrayCase.Double(
            "AdviceFollowedReturnAfterLoop",
            "double[] w, double threshold",
            "return FirstAboveAG(w, threshold) * 2;",
            new ArrayDomain(-1, 1).Length("w", 5).Range("threshold", -0.3, 0.3)
                .Where(p => p.A("w").All(v => Math.Abs(v - p["threshold"]) > 0.02)))
            with
            {
                Helpers = """
                static double FirstAboveAG(double[] v, double threshold)
                {
                    var result = 0.0;
                    for (int i = 0; i < v.Length; i++)
                    {
                        if (v[i] > threshold)
                        {
                            result = v[i] * v[i];
                            break;
                        }
                    }
                    return result;
                }
                """,
            },
    };

    private static readonly ArrayCaseSet ArraySet = new("UserStyleArrayCases", ArrayCases);

    public static IEnumerable<object[]> ArrayNames => ArrayCase.Names(ArrayCases);

    [Theory]
    [MemberData(nameof(ArrayNames))]
    public void Array_gradient_matches_finite_differences(string name) => ArrayGradientChecker.Check(ArraySet, name);

    // ---------------------------------------------------------------------------------------------------
    // Greeks of the Black–Scholes case against their closed forms (the CDF is the A&S approximation, so the
    // tolerance is that of the approximation, not of the generator).

    [Fact]
    public void BlackScholes_delta_vega_and_strike_gradient_are_the_textbook_greeks()
    {
        var method = Set.Get("BlackScholesCall");
        double s = 100, k = 95, t = 0.75, r = 0.03, sigma = 0.25;
        var result = method.InvokeBackward(method.Arguments(s, k, t, r, sigma));
        double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * Math.Sqrt(t));
        double d2 = d1 - sigma * Math.Sqrt(t);
        double pdf = Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI);
        Assert.Equal(Phi(d1), result.Gradients[0], 5);                                  // delta
        Assert.Equal(-Math.Exp(-r * t) * Phi(d2), result.Gradients[1], 5);             // dC/dK
        Assert.Equal(s * pdf * Math.Sqrt(t), result.Gradients[4], 3);                  // vega
    }

    // The normal CDF to 1e-15, for the checks above (not through the generator).
    private static double Phi(double x)
    {
        // Integrate the density from 0 with Simpson's rule: plenty accurate for the 5 digits asserted.
        int n = 2000;
        double h = x / n, sum = 0;
        for (int i = 0; i <= n; i++)
        {
            double v = Math.Exp(-0.5 * (i * h) * (i * h));
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * v;
        }

        return 0.5 + sum * h / 3 / Math.Sqrt(2 * Math.PI);
    }

    // ---------------------------------------------------------------------------------------------------
    // Diff.StopGradient cannot be checked against finite differences (it changes the gradient on purpose):
    // exact values instead.

    private static readonly CaseSet StopGradientSet = new("UserStyleStopGradient", new Dictionary<string, string>
    {
        ["PpoRatio"] = """
            static double RatioSG(double logp, double oldLogp) => Math.Exp(logp - Diff.StopGradient(oldLogp));

            [Differentiable]
            public static double PpoRatio(double logp, double advantage) => RatioSG(logp, logp) * advantage;
            """,
        ["TdLoss"] = """
            static double DetachSG(double v) => Diff.StopGradient(v);
            static double TargetSG(double reward, double qNext, double gamma = 0.9) => reward + gamma * DetachSG(qNext);
            static double HalfSqSG(double v) => 0.5 * v * v;

            [Differentiable]
            public static double TdLoss(double w, double x1, double x2, double reward)
            {
                var q = w * x1;
                var target = TargetSG(reward, qNext: w * x2);
                return HalfSqSG(q - target);
            }
            """,
    });

    [Fact]
    public void StopGradient_inside_helpers_blocks_exactly_what_it_wraps()
    {
        var ppo = StopGradientSet.Get("PpoRatio").InvokeBackward(new object?[] { -0.7, 1.3 });
        Assert.Equal(1.3, ppo.Value, 12);
        Assert.Equal(1.3, ppo.Gradients[0], 12); // d/dlogp of exp(logp - sg(logp)) * A = A
        Assert.Equal(1.0, ppo.Gradients[1], 12);

        double w = 0.8, x1 = 1.5, x2 = -0.4, reward = 0.3;
        var td = StopGradientSet.Get("TdLoss").InvokeBackward(new object?[] { w, x1, x2, reward });
        double delta = w * x1 - (reward + 0.9 * w * x2);
        Assert.Equal(0.5 * delta * delta, td.Value, 12);
        Assert.Equal(delta * x1, td.Gradients[0], 12);                 // semi-gradient: no term through the target
        Assert.Equal(delta * w, td.Gradients[1], 12);
        Assert.Equal(0.0, td.Gradients[2], 12);                        // x2 only reaches the loss through the stopped target
        Assert.Equal(-delta, td.Gradients[3], 12);
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers in a separate static class in another namespace, reached through `using static`, an extension
    // method, and a const and a static readonly field of a top-level class.

    private const string QuantNumerics = """
        using System;

        namespace Quant.Numerics
        {
            public static class Constants
            {
                public const double InvSqrt2 = 0.70710678118654752440;
                public static readonly double Ln2 = Math.Log(2.0);
            }

            public static class Special
            {
                public static double NormCdf(double x) => 0.5 * (1.0 + Math.Tanh(Math.Sqrt(2.0 / Math.PI) * Constants.InvSqrt2 * 2 * (x + 0.044715 * x * x * x)));

                public static double SoftplusBits(double x) => Math.Log(1.0 + Math.Exp(x)) / Constants.Ln2;
            }

            public static class DoubleExtensions
            {
                public static double Squared(this double v) => v * v;

                public static double Discount(this double amount, double rate, double years) => amount * Math.Exp(-rate * years);
            }
        }
        """;

    private const string DigitalPricing = """
        using System;
        using AutoGrad;
        using Quant.Numerics;
        using static Quant.Numerics.Special;

        namespace App.Pricing
        {
            public static partial class Digital
            {
                [Differentiable]
                public static double Price(double s, double k, double t, double r, double sigma)
                {
                    var d2 = (Math.Log(s / k) + (r - 0.5 * sigma.Squared()) * t) / (sigma * Math.Sqrt(t));
                    return 100.0.Discount(r, t) * NormCdf(d2) + 1e-3 * SoftplusBits(d2);
                }
            }
        }
        """;

    [Fact]
    public void Helpers_in_another_namespace_using_static_and_extension_methods()
    {
        using var program = TestCompiler.CompileAndLoad(QuantNumerics, DigitalPricing);
        GradientChecker.Check(program.Method("App.Pricing.Digital", "Price"), MarketDomain);
    }

    // ---------------------------------------------------------------------------------------------------
    // Failures this trial found (minimal repros), fixed since: every call of a local function is inlined,
    // a caller of a recursive method with errors is reported (AG0018) rather than generated, static readonly
    // tables are constant data, and a tuple deconstruction is reported as such.

    private static readonly GradientCase[] LocalFunctionRepros =
    {
        // Minimal repro: a static local function called with an argument that does not depend on a
        // differentiable input. Generated code calls `Sq(0.5)`, which is not in scope in the Backward:
        // error CS0103: The name 'Sq' does not exist in the current context
        GradientCase.Double("LocalFunctionCalledWithConstant", "double x", "static double Sq(double v) => v * v;\nreturn x * Sq(0.5);"),
        Case(
            "HelperWithItsOwnLocalFunction",
            """
            static double SmoothAbsV(double x, double eps = 1e-2)
            {
                double Sq(double v) => v * v;
                return Math.Sqrt(Sq(x) + Sq(eps));
            }
            """,
            "double",
            "double x, double y",
            "return SmoothAbsV(x - y) + SmoothAbsV(x, eps: y);",
            new Domain().Range("y", 0.1, 1)),
        // The call Term(w) has an argument that does not depend on x, but the body captures x: it is emitted as a
        // plain call of Term (CS0103), and even if it compiled, the gradient through the captured x would be lost.
        Case(
            "LocalFunctionDeclaredInLoopCapturesLoopLocal",
            string.Empty,
            "double",
            "double x, int n",
            "double acc = 0;\nfor (int i = 0; i < n; i++)\n{\n    double w = i * 0.5;\n    double Term(double v) => v * w + Math.Sin(x);\n    acc += Term(x) * Term(w);\n}\nreturn acc;",
            new Domain().Fix("n", 4)),
    };

    private static readonly CaseSet LocalFunctionReproSet = GradientCase.ToCaseSet("UserStyleLocalFunctionRepros", LocalFunctionRepros);

    [Fact]
    public void Local_function_called_with_a_constant_argument() =>
        GradientChecker.Check(LocalFunctionReproSet, Array.Find(LocalFunctionRepros, c => c.Name == "LocalFunctionCalledWithConstant")!);

    [Fact]
    public void Helper_with_its_own_local_function() =>
        GradientChecker.Check(LocalFunctionReproSet, Array.Find(LocalFunctionRepros, c => c.Name == "HelperWithItsOwnLocalFunction")!);

    [Fact]
    public void Capturing_local_function_called_with_an_input_independent_argument() =>
        GradientChecker.Check(LocalFunctionReproSet, Array.Find(LocalFunctionRepros, c => c.Name == "LocalFunctionDeclaredInLoopCapturesLoopLocal")!);

    private static string Usings(string source) => "using System;\nusing AutoGrad;\n\n" + source;

    /// <summary>The analyzer's diagnostics on <paramref name="source"/> (no analyzer may throw).</summary>
    private static IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> Analyze(string source)
    {
        var (diagnostics, exceptions) = AnalyzerRunner.Run(TestCompiler.CreateCompilation(Usings(source)));
        Assert.Empty(exceptions);
        return diagnostics;
    }

    /// <summary>Errors the C# compiler reports in the generated code (the analyzer's errors aside).</summary>
    private static IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> GeneratedCodeErrors(string source)
    {
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(Usings(source)));
        Assert.Empty(run.Exceptions);
        return run.OutputDiagnostics.Where(d => d.Location.SourceTree?.FilePath.Contains("AutoGrad.Generator", StringComparison.Ordinal) == true).ToList();
    }

    [Fact]
    public void Caller_of_a_rejected_recursive_method_is_reported_not_generated()
    {
        const string source = """
            public static partial class C
            {
                [Differentiable] public static double R(double x, int n) { if (n == 0) return x; Console.WriteLine(); return x * R(x, n - 1); }
                [Differentiable] public static double F(double x) => R(x, 2);
            }
            """;
        Assert.Contains(Analyze(source), d => d.Id == "AG0010");
        Assert.Empty(GeneratedCodeErrors(source));
    }

    private static readonly GradientCase[] FormerlyRejected =
    {
        // A coefficient table in a static readonly field is constant data: read by element and by Length.
        new("StaticReadonlyTable", "public static readonly double[] Coef = { 1.0, 1.0, 0.5, 1.0 / 6 };\n\n" + GradientCase.Declare("double", "StaticReadonlyTable", "double x", "double s = 0;\nfor (int k = Coef.Length - 1; k >= 0; k--) s = s * x + Coef[k];\nreturn s + Coef[0] * x;"), new Domain()),
        // A helper's value discarded, or a helper called as a statement: lowered, value unused.
        new("DiscardedHelperResult", "static double Cube9(double v) => v * v * v;\n\n" + GradientCase.Declare("double", "DiscardedHelperResult", "double x", "_ = Cube9(x);\nCube9(x * 2);\nreturn x * Cube9(x);"), new Domain()),
    };

    private static readonly CaseSet FormerlyRejectedSet = GradientCase.ToCaseSet("UserStyleFormerlyRejected", FormerlyRejected);

    public static IEnumerable<object[]> FormerlyRejectedNames => GradientCase.Names(FormerlyRejected);

    [Theory]
    [MemberData(nameof(FormerlyRejectedNames))]
    public void Formerly_rejected_code_is_differentiated(string name) =>
        GradientChecker.Check(FormerlyRejectedSet, Array.Find(FormerlyRejected, c => c.Name == name)!);

    // Formerly rejected ("a tuple"): a helper that returns a tuple is inlined with one result per element.
    [Fact]
    public void Tuple_returning_helper_is_differentiated()
    {
        const string source = """
            public static partial class C
            {
                static (double, double) Polar(double r, double t) => (r * Math.Cos(t), r * Math.Sin(t));
                [Differentiable] public static double F(double r, double t) { var (x, y) = Polar(r, t); return x * y; }
            }
            """;
        Assert.Empty(Analyze(source));
        using var program = TestCompiler.CompileAndLoad("using System;\nusing AutoGrad;\n\n" + source);
        GradientChecker.Check(program.Method("C", "F"), new Domain());
    }

    // ---------------------------------------------------------------------------------------------------
    // Code that should be rejected: the diagnostic, its place, and what it advises.

    public static IEnumerable<object[]> Rejected => new[]
    {
        new object[]
        {
            "InstanceMethodOfAnotherClass",
            "public sealed class Curve { public double Rate(double t) => 0.02 + 0.001 * t; }\npublic static partial class C\n{\n    static readonly Curve Curve0 = new Curve();\n    [Differentiable] public static double F(double x) => x * Curve0.Rate(x);\n}",
            "AG0011", "Calling instance method 'Rate' is not supported in a [Differentiable] method; the generator cannot see which method an instance call runs; call a static method or a local function",
        },
        new object[]
        {
            "DelegateField",
            "public static partial class C\n{\n    static readonly Func<double, double> Activation = Math.Tanh;\n    [Differentiable] public static double F(double x) => Activation(x) * 2;\n}",
            "AG0011", "Calling a delegate is not supported in a [Differentiable] method; the generator cannot see which method a delegate runs; call the method directly",
        },
        new object[]
        {
            "ConvertToDouble",
            "public static partial class C\n{\n    [Differentiable] public static double F(float x) => Convert.ToDouble(x) * 2;\n}",
            "AG0012", "'Convert.ToDouble' has no known derivative, and its argument depends on a differentiable input; the generator sees no source for it and it has no generated Backward: declare its derivative with [DerivativeOf], or call a method whose source is in this compilation",
        },
        new object[]
        {
            "ConvertToDoubleInsideHelper",
            "public static partial class C\n{\n    static double Widen(float v) => Convert.ToDouble(v);\n    [Differentiable] public static double F(float x) => Widen(x) * 2;\n}",
            "AG0018", "'Widen' cannot be differentiated where it is called: AG0012: 'Convert.ToDouble' has no known derivative",
        },
        new object[]
        {
            "RecursiveHelperWithoutDifferentiable",
            "public static partial class C\n{\n    static double Horner(double x, int k) => k == 5 ? 1.0 : 1.0 + x * Horner(x, k + 1);\n    [Differentiable] public static double F(double x) => Horner(x, 0);\n}",
            "AG0018", "'Horner' cannot be differentiated where it is called: it calls itself, directly or through other methods; mark 'Horner' [Differentiable] so that the recursion can call its generated Backward",
        },
        new object[]
        {
            "MutualRecursionWithoutDifferentiable",
            "public static partial class C\n{\n    static double A(double x, int n) => n == 0 ? x : B(x, n - 1) * 2;\n    static double B(double x, int n) => n == 0 ? x : A(x, n - 1) + 1;\n    [Differentiable] public static double F(double x) => A(x, 3);\n}",
            "AG0018", "'A → B → A' cannot be differentiated where it is called: it calls itself, directly or through other methods; mark 'A' [Differentiable]",
        },
        new object[]
        {
            "OutParameterHelper",
            "public static partial class C\n{\n    static double SinCos(double x, out double c) { c = Math.Cos(x); return Math.Sin(x); }\n    [Differentiable] public static double F(double x) { double c; var s = SinCos(x, out c); return s * c; }\n}",
            "AG0011", "Calling 'SinCos' with ref, out or params arguments is not supported in a [Differentiable] method; call methods that take their arguments by value",
        },
        new object[]
        {
            "GenericMathHelper",
            "public static partial class C\n{\n    static T Sq<T>(T v) where T : System.Numerics.INumber<T> => v * v;\n    [Differentiable] public static double F(double x) => Sq(x) + x;\n}",
            "AG0011", "Calling 'Sq' is not supported in a [Differentiable] method; call static methods that take and return double, float, int, long or bool (a generic one only with the method's own floating-point type parameter)",
        },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Rejected_with_a_clear_diagnostic(string name, string source, string id, string message)
    {
        var diagnostics = Analyze(source);
        Assert.True(
            diagnostics.Any(d => d.Id == id && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).StartsWith(message, StringComparison.Ordinal)),
            name + ": expected " + id + " starting \"" + message + "\", got:\n" + string.Join("\n", diagnostics));

        // A rejected method gets no Backward, and nothing else breaks: the generated code compiles.
        Assert.Empty(GeneratedCodeErrors(source));
    }

    [Fact]
    public void Mutual_recursion_advice_is_enough_with_one_method_marked()
    {
        // AG0018 says "mark 'A' [Differentiable]"; doing only that (B stays plain) is accepted.
        Assert.Empty(Analyze("""
            public static partial class C
            {
                [Differentiable] public static double A(double x, int n) => n == 0 ? x : B(x, n - 1) * 2;
                static double B(double x, int n) => n == 0 ? x : A(x * x, n - 1) + 1;
                [Differentiable] public static double F(double x) => A(x, 3);
            }
            """));
    }
}
