using System.Collections.Generic;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.CodeAnalysis.Parsing
{
    internal sealed partial class BodyLowering
    {
        private bool TryLowerBuiltin(IInvocationOperation invocation, List<Stmt> output, out Expr result)
        {
            result = null!;
            return false;
        }
    }
}
