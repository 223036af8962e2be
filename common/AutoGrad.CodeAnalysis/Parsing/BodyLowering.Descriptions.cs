using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>How unsupported statements and expressions are named in diagnostics, and what to do instead.</summary>
    internal sealed partial class BodyLowering
    {
        private static (string What, string Hint) DescribeStatement(IOperation operation)
        {
            const string Later = "write it as a for, while or do loop";
            var syntax = operation.Syntax is BlockSyntax { Parent: StatementSyntax parent } ? parent : operation.Syntax;
            switch (syntax)
            {
                case ForStatementSyntax: return ("A 'for' loop", Later);
                case ForEachStatementSyntax or ForEachVariableStatementSyntax: return ("This 'foreach' loop", "foreach runs over an array or span parameter into a variable of its element type; index anything else with a for loop");
                case WhileStatementSyntax: return ("A 'while' loop", Later);
                case DoStatementSyntax: return ("A 'do' loop", Later);
                case TryStatementSyntax: return ("A 'try' statement", "differentiable code cannot catch exceptions; validate the inputs before calling");
                case GotoStatementSyntax: return ("A 'goto' statement", "use if/else and return");
                case LabeledStatementSyntax: return ("A labeled statement", "use if/else and return");
                case BreakStatementSyntax: return ("This 'break' statement", "break leaves a loop; use if/else and return elsewhere");
                case ContinueStatementSyntax: return ("This 'continue' statement", "continue goes on with a loop; use if/else elsewhere");
                case LocalFunctionStatementSyntax: return ("A local function", "make it a static method of the type, and mark it [Differentiable] if it needs a gradient");
                case UnsafeStatementSyntax: return ("An 'unsafe' block", "use safe code");
                case FixedStatementSyntax: return ("A 'fixed' statement", "use safe code");
                case CheckedStatementSyntax: return ("A 'checked' or 'unchecked' block", "remove it; integer overflow checking is set for the whole project");
                case LockStatementSyntax: return ("A 'lock' statement", "a [Differentiable] method must not touch shared state");
                case UsingStatementSyntax: return ("A 'using' statement", "a [Differentiable] method computes with values only");
                case YieldStatementSyntax: return ("A 'yield' statement", "return one value");
                case ThrowStatementSyntax: return ("A 'throw' statement", "validate the inputs before calling the method");
                case LocalDeclarationStatementSyntax: return ("This declaration", "declare locals of type double, float, int, long or bool");
                default: return ("The statement '" + Shorten(syntax.ToString()) + "'", "use locals, assignments, if/else and return");
            }
        }

        /// <summary>Constructs <see cref="DescribeExpression"/> names whatever their type.</summary>
        private static bool HasOwnDescription(IOperation operation) =>
            operation is IAnonymousFunctionOperation or IDelegateCreationOperation or ITranslatedQueryOperation
                or IObjectCreationOperation or IAnonymousObjectCreationOperation or IArrayCreationOperation
                or ITupleOperation or IInterpolatedStringOperation or IAddressOfOperation
            || IsSinCos(operation);

        private static (string What, string Hint) DescribeExpression(IOperation operation)
        {
            switch (operation)
            {
                case IFieldReferenceOperation { Instance: { } tuple } when IsSinCos(tuple):
                    return DescribeExpression(tuple);
                case var sinCos when IsSinCos(sinCos):
                    return ("'" + Shorten(sinCos.Syntax.ToString()) + "', which returns a tuple,", "call Math.Sin and Math.Cos (MathF.Sin and MathF.Cos for float) separately");
                case IAnonymousFunctionOperation or IDelegateCreationOperation:
                    return ("A lambda or anonymous method", "write the computation inline");
                case ITranslatedQueryOperation:
                    return ("A LINQ query", "write the computation with locals and if/else");
                case IObjectCreationOperation or IAnonymousObjectCreationOperation:
                    return ("Creating an object", "a [Differentiable] method computes with double, float, int, long and bool values");
                case IArrayCreationOperation or IArrayElementReferenceOperation:
                    return ("This use of an array", "index arrays and spans by element (a[i]) and read their Length; declare local arrays as new double[n] or stackalloc double[n]");
                case ITupleOperation:
                    return ("A tuple", "use separate locals");
                case IIsTypeOperation:
                    return ("A type test", "compare with <, >, == and combine with && and ||");
                case IThrowOperation:
                    return ("A throw expression", "write the check as a statement before the value is used: 'if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));'");
                case IInterpolatedStringOperation:
                    return ("A string", "a [Differentiable] method computes with numbers");
                case IAwaitOperation:
                    return ("'await'", "a [Differentiable] method is synchronous");
                case IAddressOfOperation:
                    return ("Taking an address", "use safe code");
                case IMemberReferenceOperation { Instance: IMemberReferenceOperation { Member.IsStatic: true } holder } member:
                    // `Origin.X` with `static readonly Vector2 Origin`: a member of a static field's value, not an instance member.
                    return (
                        "Reading '" + member.Member.Name + "' of static " + (holder is IFieldReferenceOperation ? "field" : "property") + " '" + holder.Member.Name + "' (of type '" + holder.Type?.ToDisplayString() + "')",
                        "keep the value in a static readonly double or float field, or pass it as a parameter");
                case IFieldReferenceOperation or IPropertyReferenceOperation:
                    return ("Reading instance member '" + Shorten(operation.Syntax.ToString()) + "'", "pass the value as a parameter");
                default:
                    return ("'" + Shorten(operation.Syntax.ToString()) + "'", "use arithmetic on double, float, int, long and bool values, and System.Math functions");
            }
        }
    }
}
