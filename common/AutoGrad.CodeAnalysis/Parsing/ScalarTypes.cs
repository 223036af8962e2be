using System;
using System.Globalization;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Parsing
{
    internal static class ScalarTypes
    {
        public static ScalarKind? From(ITypeSymbol? type)
        {
            if (GenericMath.IsFloatingTypeParameter(type)) return ScalarKind.Generic;
            switch (type?.SpecialType)
            {
                case SpecialType.System_Double: return ScalarKind.Double;
                case SpecialType.System_Single: return ScalarKind.Float;
                case SpecialType.System_Int32: return ScalarKind.Int32;
                case SpecialType.System_Int64: return ScalarKind.Int64;
                case SpecialType.System_Boolean: return ScalarKind.Boolean;
                default: return null;
            }
        }

        /// <summary>A parameter's type: a scalar, or an array, span, matrix (<c>T[,]</c>) or jagged array (<c>T[][]</c>) of scalars.</summary>
        public static (ScalarKind? Kind, ArrayShape Shape) FromParameter(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol { Rank: 1 } row })
            {
                return (From(row.ElementType), ArrayShape.Jagged);
            }
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                return (From(array.ElementType), ArrayShape.Array);
            }

            if (type is IArrayTypeSymbol { Rank: 2 } matrix)
            {
                return (From(matrix.ElementType), ArrayShape.Matrix);
            }

            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                && named.ContainingNamespace?.ToDisplayString() == "System")
            {
                var shape = named.Name switch
                {
                    "ReadOnlySpan" => ArrayShape.ReadOnlySpan,
                    "Span" => ArrayShape.Span,
                    _ => ArrayShape.None,
                };
                if (shape != ArrayShape.None) return (From(named.TypeArguments[0]), shape);
            }

            return (From(type), ArrayShape.None);
        }

        /// <summary>A type as C# writes it: <c>double[,]</c> rather than Roslyn's <c>double[*,*]</c> for a multi-dimensional array.</summary>
        public static string Display(ITypeSymbol type) => type is IArrayTypeSymbol array
            ? Display(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]"
            : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();

        /// <summary>The C# type of a parameter, without <c>global::</c>: <c>double</c>, <c>double[]</c>, <c>System.Span&lt;double&gt;</c>.</summary>
        public static string Describe(ScalarKind kind, ArrayShape shape) => shape switch
        {
            ArrayShape.Array => kind.Keyword() + "[]",
            ArrayShape.ReadOnlySpan => "System.ReadOnlySpan<" + kind.Keyword() + ">",
            ArrayShape.Span => "System.Span<" + kind.Keyword() + ">",
            ArrayShape.Matrix => kind.Keyword() + "[,]",
            ArrayShape.Jagged => kind.Keyword() + "[][]",
            _ => kind.Keyword(),
        };

        public static bool IsFloating(this ScalarKind kind) => kind is ScalarKind.Double or ScalarKind.Float or ScalarKind.Generic;

        public static string Keyword(this ScalarKind kind) => kind switch
        {
            ScalarKind.Double => "double",
            ScalarKind.Float => "float",
            ScalarKind.Int32 => "int",
            ScalarKind.Int64 => "long",
            ScalarKind.Generic => GenericMath.Marker,
            _ => "bool",
        };

        /// <summary>The C# text of a constant of the given kind, in the invariant culture, round-tripping.</summary>
        public static string? FormatConstant(object? value, ScalarKind kind)
        {
            try
            {
                switch (kind)
                {
                    case ScalarKind.Double:
                        return FormatDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    case ScalarKind.Float:
                        return FormatFloat(Convert.ToSingle(value, CultureInfo.InvariantCulture));
                    case ScalarKind.Int32:
                        return Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                    case ScalarKind.Int64:
                        return Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L";
                    case ScalarKind.Boolean:
                        return value is bool b ? (b ? "true" : "false") : null;
                    case ScalarKind.Generic:
                        return value is bool ? null : GenericMath.Constant(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    default:
                        return null;
                }
            }
            catch (Exception e) when (e is InvalidCastException || e is FormatException || e is OverflowException)
            {
                return null;
            }
        }

        public static string FormatDouble(double value)
        {
            if (double.IsNaN(value)) return "double.NaN";
            if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
            if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
            string text = RoundTrip(value);
            if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0) text += ".0";
            return text;
        }

        public static string FormatFloat(float value)
        {
            if (float.IsNaN(value)) return "float.NaN";
            if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float back) || !back.Equals(value))
            {
                text = value.ToString("G9", CultureInfo.InvariantCulture);
            }

            return text + "f";
        }

        /// <summary>
        /// The shortest text that parses back to <paramref name="value"/>: "R" is exact on .NET Core 3.0 and
        /// later, but not for every value on .NET Framework (where an IDE may run the generator), so check it.
        /// </summary>
        private static string RoundTrip(double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double back) && back.Equals(value))
            {
                return text;
            }

            return value.ToString("G17", CultureInfo.InvariantCulture);
        }

        /// <summary>A literal of a small number in the given floating kind: <c>1.0</c> or <c>1f</c>.</summary>
        public static LitExpr Literal(double value, ScalarKind kind) => kind switch
        {
            ScalarKind.Float => new(FormatFloat((float)value), kind),
            ScalarKind.Generic => new(GenericMath.Constant(value), kind),
            _ => new(FormatDouble(value), kind),
        };

        /// <summary>The numeric value of a literal made by <see cref="FormatConstant"/>, if it is a plain number.</summary>
        public static bool TryGetNumber(LitExpr literal, out double value)
        {
            string text = literal.Text;
            if (GenericMath.TryGetNumber(text, out value)) return true;
            if (text.EndsWith("f", StringComparison.Ordinal) || text.EndsWith("L", StringComparison.Ordinal))
            {
                text = text.Substring(0, text.Length - 1);
            }

            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
