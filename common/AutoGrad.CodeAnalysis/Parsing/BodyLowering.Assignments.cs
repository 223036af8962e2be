using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Diagnostics;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Assignments, compound assignments and increments, as statements and as values (<c>a = b = 0</c>,
    /// <c>x[i++] = v</c>, <c>while (++k &lt; n)</c>, <c>if ((t = x * y) &gt; 0)</c>). The parts run in C#'s
    /// order: the target's index, then the target's current value (compound assignments), then the right
    /// operand. The value of an assignment is the value stored, converted to the target's type; the value of
    /// <c>i++</c> is i before the increment.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>Lowers an assignment or increment and returns its value.</summary>
        private Expr LowerAssignment(IOperation operation, List<Stmt> output)
        {
            var valueKind = ScalarTypes.From(operation.Type) ?? ScalarKind.Double;
            if (ReportRefReassignment(operation)) return Placeholder(valueKind);
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment when LocalElement(assignment.Target, output) is { } element:
                    return StoreValue(element.Array, element.Index, LowerExpression(assignment.Value, output), output);

                case ICompoundAssignmentOperation compound when GenericMath.IsBuiltInOperator(compound.OperatorMethod)
                                                                && MapBinary(compound.OperatorKind) is { } compoundOp
                                                                && LocalElement(compound.Target, output) is { } element:
                {
                    var current = Hoist(new ElementExpr(element.Array.Name, element.Index, element.Array.Element), output);
                    var right = LowerExpression(compound.Value, output);
                    var result = Binary(compoundOp, Convert(current, right.Type, output), right, right.Type, output);
                    return StoreValue(element.Array, element.Index, result, output);
                }

                case IIncrementOrDecrementOperation step when LocalElement(step.Target, output) is { } element:
                {
                    var current = Hoist(new ElementExpr(element.Array.Name, element.Index, element.Array.Element), output);
                    var one = ScalarTypes.Literal(1, element.Array.Element);
                    var op = step.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                    var stored = StoreValue(element.Array, element.Index, Binary(op, current, one, element.Array.Element, output), output);
                    return step.IsPostfix ? current : stored;
                }

                case ISimpleAssignmentOperation assignment:
                {
                    if (!TryGetAssignable(assignment.Target, out var symbol, out var kind)) return Placeholder(valueKind);
                    var value = LowerExpression(assignment.Value, output);
                    Define(symbol, kind, value, output);
                    return _env[symbol]!;
                }

                case ICompoundAssignmentOperation compound:
                {
                    if (!TryGetAssignable(compound.Target, out var symbol, out var kind)) return Placeholder(valueKind);
                    if (!GenericMath.IsBuiltInOperator(compound.OperatorMethod) || MapBinary(compound.OperatorKind) is not { } op)
                    {
                        ReportUnsupportedExpression(compound, "A user-defined or unsupported compound operator", "write the operation out with +, -, * or /");
                        return Placeholder(kind);
                    }

                    var current = Read(symbol, compound.Target);
                    var right = LowerExpression(compound.Value, output);
                    var left = Convert(current, right.Type, output);
                    var result = Binary(op, left, right, right.Type, output);
                    Define(symbol, kind, Convert(result, kind, output), output);
                    return _env[symbol]!;
                }

                case IIncrementOrDecrementOperation increment:
                {
                    if (!TryGetAssignable(increment.Target, out var symbol, out var kind)) return Placeholder(valueKind);
                    if (kind == ScalarKind.Boolean) throw new AbortException();
                    var current = Read(symbol, increment.Target);
                    var one = new LitExpr(ScalarTypes.FormatConstant(1, kind)!, kind);
                    var op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                    Define(symbol, kind, Binary(op, current, one, kind, output), output);
                    return increment.IsPostfix ? current : _env[symbol]!;
                }

                default:
                    throw new AbortException();
            }
        }

        /// <summary>Writes an element of a local array; the value written (atomic) is the assignment's value.</summary>
        private Expr StoreValue(ArrayView array, Expr index, Expr value, List<Stmt> output)
        {
            var stored = Atomize(Convert(value, array.Element, output), output);
            Add(output, new StoreStmt(array.Name, index, stored, _source));
            return stored;
        }

        private static bool Assigns(IOperation operation) =>
            operation.DescendantsAndSelf().Any(o => o is ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation);

        /// <summary>
        /// The body of a loop whose condition assigns (<c>while (n-- &gt; 0)</c>): the condition is lowered inside the
        /// body, where its values are defined for the body to read, and a false test sets the loop's break flag,
        /// so that the loop is <c>while (!broke) { if (condition) body; else broke = true; }</c> (for a do loop,
        /// the condition after the body unless the body broke). The variables the last test changed keep those
        /// values after the loop, as in C#.
        /// </summary>
        private void LowerAssigningCondition(IOperation condition, bool testAtEnd, JumpFlags jumps, System.Collections.Immutable.ImmutableArray<IOperation> body, SourceInfo source, List<Stmt> output)
        {
            void Test(List<Stmt> testOutput, System.Action<List<Stmt>> whenTrue)
            {
                _source = SourceOf(condition.Syntax);
                var test = LowerExpression(condition, testOutput);
                _source = source;
                LowerJoin(test, whenTrue, elseOutput => Define(jumps.Broke, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), elseOutput), source, testOutput);
            }

            if (!testAtEnd)
            {
                Test(output, thenOutput => LowerSequence(body, 0, null, thenOutput));
                return;
            }

            // A do loop: continue goes on to the condition, break does not.
            LowerSequence(body, 0, null, output);
            var notBroke = new UnaryExpr(UnaryOp.LogicalNot, _env[jumps.Broke]!, ScalarKind.Boolean);
            LowerJoin(notBroke, testOutput => Test(testOutput, _ => { }), _ => { }, source, output);
        }
    }
}
