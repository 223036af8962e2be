using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// A <c>return</c> inside a loop (a search loop, a Newton iteration that returns once converged): like the
    /// flagged early return of an if (see <see cref="LowerFlagged"/>), it records the value and sets the returned
    /// flag; it also breaks every loop around it (their break flags, see <see cref="JumpFlags"/>), and the
    /// code after each loop runs only when the flag is clear. Outside all loops the method then returns the
    /// recorded value.
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>A loop with a return in it, and the code after it.</summary>
        private bool LowerLoopWithReturn(ILoopOperation loop, Continuation rest, List<Stmt> output)
        {
            var source = _source;
            return LowerFlagged(
                loopOutput =>
                {
                    LowerSimpleStatement(loop, loopOutput);

                    // A loop around this one breaks too when this one returned.
                    if (_jumps is { } outer && outer.Encloses(loop) && _flags is { } flags)
                    {
                        _source = source;
                        LowerJoin((VarExpr)_env[flags.Returned]!, breakOutput => SetJumpFlags(outer, breakOutput), _ => { }, source, loopOutput);
                    }
                },
                EndsOnlyByReturning(loop) ? null : rest,
                output);
        }

        /// <summary>After a return inside a loop: the innermost loop around it breaks (the loops around that follow it).</summary>
        private void LeaveLoops(IReturnOperation ret, List<Stmt> output)
        {
            if (_jumps is { } jumps && jumps.Encloses(ret)) SetJumpFlags(jumps, output);
        }

        private void SetJumpFlags(JumpFlags jumps, List<Stmt> output)
        {
            Define(jumps.Broke, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), output);
            Define(jumps.Skipping, ScalarKind.Boolean, new LitExpr("true", ScalarKind.Boolean), output);
        }

        /// <summary><c>while (true)</c>, <c>for (;;)</c> without a break: the code after it cannot run.</summary>
        private static bool EndsOnlyByReturning(ILoopOperation loop)
        {
            var condition = loop switch
            {
                IForLoopOperation forLoop => forLoop.Condition,
                IWhileLoopOperation whileLoop => whileLoop.Condition,
                _ => loop,
            };
            bool endless = condition is null || condition.ConstantValue is { HasValue: true, Value: true };
            return endless && !loop.Descendants().OfType<IBranchOperation>().Any(b => b.BranchKind == BranchKind.Break && JumpFlags.Targets(b, loop));
        }
    }
}
