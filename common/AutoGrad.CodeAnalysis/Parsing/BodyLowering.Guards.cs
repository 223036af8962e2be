using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Guard clauses: <c>throw new …Exception(…)</c> statements, the BCL's argument checks
    /// (<c>ArgumentOutOfRangeException.ThrowIfNegative(n)</c>, …) and <c>Debug.Assert</c>. They stay in the
    /// forward pass as an <see cref="EffectStmt"/>: C# text with the values they read lowered through the IR (so
    /// SSA renaming applies to them), and no derivative.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>The void methods that only check their arguments, by containing type: kept as they are.</summary>
        private static readonly Dictionary<string, string[]> GuardMethods = new(System.StringComparer.Ordinal)
        {
            ["System.ArgumentNullException"] = new[] { "ThrowIfNull" },
            ["System.ArgumentException"] = new[] { "ThrowIfNullOrEmpty", "ThrowIfNullOrWhiteSpace" },
            ["System.ArgumentOutOfRangeException"] = new[]
            {
                "ThrowIfZero", "ThrowIfNegative", "ThrowIfNegativeOrZero", "ThrowIfEqual", "ThrowIfNotEqual",
                "ThrowIfLessThan", "ThrowIfLessThanOrEqual", "ThrowIfGreaterThan", "ThrowIfGreaterThanOrEqual",
            },
            ["System.Diagnostics.Debug"] = new[] { "Assert" },
            ["System.Diagnostics.Trace"] = new[] { "Assert" },
        };

        /// <summary>Whether <paramref name="method"/> is an argument check or assertion that a guard may call.</summary>
        internal static bool IsGuardMethod(IMethodSymbol method) =>
            method.IsStatic
            && method.ReturnsVoid
            && method.ContainingType is { } type
            && GuardMethods.TryGetValue(type.ToDisplayString(), out var names)
            && names.Contains(method.Name);

        /// <summary>
        /// Lowers <c>throw new E(…)</c> to an <see cref="EffectStmt"/>, then ends the path like a return would (the
        /// code after a throw never runs); true when the path counts as returned.
        /// </summary>
        private bool LowerThrowStatement(IThrowOperation thrown, List<Stmt> output)
        {
            var text = new EffectText();
            var exception = thrown.Exception is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : thrown.Exception;
            if (exception is IObjectCreationOperation { Constructor: { } constructor, Initializer: null } creation && constructor.ContainingType is { } type)
            {
                text.Append("throw new " + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "(");
                if (AppendArguments(creation.Arguments, text, output))
                {
                    text.Append(")");
                    Add(output, text.ToStatement(_source));
                }
            }
            else
            {
                Report(
                    DiagnosticDescriptors.UnsupportedStatement,
                    StatementLocation(thrown.Syntax),
                    "This 'throw' statement",
                    "throw a new exception ('throw new ArgumentException(\"…\", nameof(x))') with literals, nameof, interpolated strings and numbers as its arguments");
            }

            return EndPathAfterThrow(output);
        }

        /// <summary>
        /// After a throw: a return's bookkeeping with a placeholder value, where the enclosing code needs every path
        /// to end in one (the value is never used). Inside a loop or a join the path just stops.
        /// </summary>
        private bool EndPathAfterThrow(List<Stmt> output)
        {
            if (_loopDepth > 0) return false;
            if (_flags is { } flags)
            {
                if (_inline is not { IsVoid: true }) Define(flags.Result, _returnKind, Placeholder(_returnKind), output);
                Define(flags.Returned, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), output);
                return true;
            }

            if (_inline is { } frame)
            {
                if (!frame.IsVoid) Define(frame.Result, _returnKind, Placeholder(_returnKind), output);
                return true;
            }

            if (_joinDepth > 0) return false;
            Add(output, new ReturnStmt(Placeholder(_returnKind), _source));
            return true;
        }

        /// <summary>Lowers a call of an argument check or assertion (<see cref="IsGuardMethod"/>); false when it is not one.</summary>
        private bool TryLowerGuardCall(IInvocationOperation invocation, List<Stmt> output)
        {
            var method = invocation.TargetMethod;
            if (invocation.Instance is not null || !IsGuardMethod(method)) return false;
            var text = new EffectText();
            string typeArguments = method.IsGenericMethod
                ? "<" + string.Join(", ", method.TypeArguments.Select(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ">"
                : string.Empty;
            text.Append(method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + method.Name + typeArguments + "(");
            if (AppendArguments(invocation.Arguments, text, output))
            {
                text.Append(")");
                Add(output, text.ToStatement(_source));
            }

            return true;
        }

        /// <summary>
        /// Appends the arguments in parameter order, the optional ones left out included (so that a
        /// [CallerArgumentExpression] parameter keeps the text of the user's argument); false after a report.
        /// </summary>
        private bool AppendArguments(IEnumerable<IArgumentOperation> arguments, EffectText text, List<Stmt> output)
        {
            bool first = true;
            foreach (var argument in arguments.OrderBy(a => a.Parameter?.Ordinal ?? int.MaxValue))
            {
                // Debug.Assert(c, $"…") takes its message through an interpolated string handler (a ref parameter).
                var handled = argument.Parameter is { RefKind: RefKind.Ref } && argument.Value is IInterpolatedStringHandlerCreationOperation { Content: IInterpolatedStringOperation content }
                    ? content
                    : null;
                if (argument.ArgumentKind == ArgumentKind.ParamArray || (argument.Parameter is not { RefKind: RefKind.None } && handled is null))
                {
                    ReportGuardValue(argument);
                    return false;
                }

                if (!first) text.Append(", ");
                first = false;
                if (!(handled is null ? AppendValue(argument.Value, text, output) : AppendInterpolated(handled, text, output))) return false;
            }

            return true;
        }

        /// <summary>
        /// Appends one value of a guard: a constant, a scalar or array, a string built of these; false after a
        /// report. An operand of <c>+</c> is <paramref name="nested"/>: a number in it is parenthesized, so that
        /// <c>"at " + (i + 1)</c> stays an addition of numbers.
        /// </summary>
        private bool AppendValue(IOperation value, EffectText text, List<Stmt> output, bool nested = false)
        {
            if (value.ConstantValue.HasValue)
            {
                object? constant = value.ConstantValue.Value;
                string? literal = constant switch
                {
                    null => "null",
                    string s => SymbolDisplay.FormatLiteral(s, quote: true),
                    char c => SymbolDisplay.FormatLiteral(c, quote: true),
                    _ => ScalarTypes.From(value.Type) is { } constantKind ? ScalarTypes.FormatConstant(constant, constantKind) : null,
                };
                if (literal is not null)
                {
                    text.Append(literal);
                    return true;
                }
            }

            // Boxing a number for an `object` parameter (ArgumentOutOfRangeException's actualValue): the number.
            var operand = value is IConversionOperation { IsImplicit: true, Type.SpecialType: SpecialType.System_Object } boxing ? boxing.Operand : value;
            if (ScalarTypes.From(operand.Type) is not null)
            {
                if (nested) text.Append("(");
                text.Append(LowerExpression(operand, output));
                if (nested) text.Append(")");
                return true;
            }

            if (operand.Type is IArrayTypeSymbol && ArrayOf(operand) is { } array)
            {
                text.Append(new ArrayRefExpr(UserArrayName(array.Name), array.Element));
                return true;
            }

            switch (operand)
            {
                case IInterpolatedStringOperation interpolated:
                    return AppendInterpolated(interpolated, text, output);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                    text.Append("(");
                    if (!AppendValue(concatenation.LeftOperand, text, output, nested: true)) return false;
                    text.Append(" + ");
                    if (!AppendValue(concatenation.RightOperand, text, output, nested: true)) return false;
                    text.Append(")");
                    return true;

                case IConversionOperation { IsImplicit: true } conversion when conversion.Type?.SpecialType is SpecialType.System_String or SpecialType.System_Object:
                    return AppendValue(conversion.Operand, text, output, nested);

                default:
                    ReportGuardValue(value);
                    return false;
            }
        }

        /// <summary>
        /// Appends <c>$"…"</c> with its holes lowered through the IR (parenthesized, with their format); the parts
        /// are text and holes, or for a string built by a handler the handler's AppendLiteral / AppendFormatted calls.
        /// </summary>
        private bool AppendInterpolated(IInterpolatedStringOperation interpolated, EffectText text, List<Stmt> output)
        {
            text.Append("$\"");
            foreach (var part in interpolated.Parts)
            {
                IOperation? hole = null;
                IOperation? format = null;
                switch (part)
                {
                    case IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string piece } }:
                        text.Append(EscapeInterpolated(piece));
                        continue;
                    case IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation { TargetMethod.Name: "AppendLiteral", Arguments.Length: 1 } literal }
                        when literal.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string piece }:
                        text.Append(EscapeInterpolated(piece));
                        continue;
                    case IInterpolationOperation { Alignment: null } interpolation:
                        hole = interpolation.Expression;
                        format = interpolation.FormatString;
                        break;
                    case IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation { TargetMethod.Name: "AppendFormatted" } formatted }
                        when formatted.Arguments.All(a => a.Parameter?.Name is "value" or "format" && (a.Parameter.Name == "value" || a.ArgumentKind != ArgumentKind.Explicit || a.Value.ConstantValue.HasValue)):
                        hole = formatted.Arguments.First(a => a.Parameter!.Name == "value").Value;
                        format = formatted.Arguments.FirstOrDefault(a => a.Parameter!.Name == "format" && a.ArgumentKind == ArgumentKind.Explicit)?.Value;
                        break;
                }

                if (hole is IConversionOperation { IsImplicit: true } boxed) hole = boxed.Operand;
                if (hole is null || ScalarTypes.From(hole.Type) is null)
                {
                    ReportGuardValue(part);
                    return false;
                }

                text.Append("{(");
                text.Append(LowerExpression(hole, output));
                text.Append(")");
                if (format is { ConstantValue: { HasValue: true, Value: string specifier } }) text.Append(":" + EscapeInterpolated(specifier));
                text.Append("}");
            }

            text.Append("\"");
            return true;
        }

        /// <summary>Text as it is written inside <c>$"…"</c>: escaped, braces doubled.</summary>
        private static string EscapeInterpolated(string text)
        {
            string quoted = SymbolDisplay.FormatLiteral(text, quote: true);
            return quoted.Substring(1, quoted.Length - 2).Replace("{", "{{").Replace("}", "}}");
        }

        private void ReportGuardValue(IOperation value) =>
            Report(
                DiagnosticDescriptors.UnsupportedExpression,
                value.Syntax.GetLocation(),
                "'" + Shorten(value.Syntax.ToString()) + "' in a guard",
                "a throw or argument check may use literals, nameof(…), numbers, arrays, + of strings and interpolated strings of numbers");

        /// <summary>The C# text of an <see cref="EffectStmt"/> being built: text with values in between.</summary>
        private sealed class EffectText
        {
            private readonly List<string> _text = new();
            private readonly List<Expr> _values = new();
            private readonly StringBuilder _current = new();

            public void Append(string text) => _current.Append(text);

            public void Append(Expr value)
            {
                _text.Add(_current.ToString());
                _current.Clear();
                _values.Add(value);
            }

            public EffectStmt ToStatement(SourceInfo source) =>
                new(_text.Append(_current.ToString()).ToEquatableArray(), _values.ToEquatableArray(), source);
        }
    }
}
