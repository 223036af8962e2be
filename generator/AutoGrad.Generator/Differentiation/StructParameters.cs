using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>
    /// Struct parameters (parameter bundles) in the differentiate stage. The body's IR reads each leaf of a struct
    /// parameter as a scalar variable (<c>p_Slope</c>), so the differentiator sees the leaves as scalar parameters
    /// whose gradients are locals (<c>dP_Slope</c>). Around the Backward's body, each leaf is read from the struct
    /// once at the start, and the struct's <c>out</c> gradient is built from the leaves' gradients before every
    /// return (C# requires it assigned on every path that returns; a path that throws needs nothing).
    /// </summary>
    internal static class StructParameters
    {
        /// <summary>The method as the differentiator sees it: each struct parameter replaced by its leaves, as scalar parameters.</summary>
        public static MethodModel Expand(MethodModel method)
        {
            if (method.Parameters.All(p => p.Struct is null)) return method;
            var parameters = new List<ParameterModel>();
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Struct is not { } model)
                {
                    parameters.Add(parameter);
                    continue;
                }

                parameters.AddRange(StructModels.Leaves(model).Select(leaf => new ParameterModel(leaf.Variable, leaf.Type, leaf.Gradient)));
            }

            return method with { Parameters = parameters.ToEquatableArray() };
        }

        /// <summary>The Backward's body with the struct parameters' leaves read first and their gradients assigned before each return.</summary>
        public static Block Wrap(MethodModel method, Block body)
        {
            var structs = method.Parameters.Where(p => p.Struct is not null).ToList();
            if (structs.Count == 0) return body;

            var prologue = new List<Stmt> { new CommentStmt("the members of the struct parameters, read once", SourceInfo.None) };
            var epilogue = new List<Stmt>();
            foreach (var parameter in structs)
            {
                var model = parameter.Struct!;

                // Reading a member of an input is constant for the generated method: a literal of its C# text.
                foreach (var (leaf, read) in StructModels.Reads(model, Identifiers.Escape(parameter.Name)))
                {
                    prologue.Add(new DeclareStmt(leaf.Variable, leaf.Type, new LitExpr(read, leaf.Type), null, SourceInfo.None));
                    if (leaf.Gradient is { } gradient) prologue.Add(new DeclareStmt(gradient, leaf.Type, null, null, SourceInfo.None));
                }

                if (parameter.GradientName is { } structGradient)
                {
                    string value = StructModels.Initializer(model, leaf => Identifiers.Escape(leaf.Gradient!));
                    epilogue.Add(new AssignStmt(structGradient, null, AssignKind.Assign, new LitExpr(value, parameter.Type), "the gradient as a value of the parameter's type", SourceInfo.None));
                }
            }

            var statements = new List<Stmt>(prologue);
            statements.AddRange(BeforeReturns(body, epilogue).Statements);
            return new Block(statements.ToEquatableArray());
        }

        /// <summary><paramref name="block"/> with <paramref name="epilogue"/> before every return in it, nested ones included.</summary>
        private static Block BeforeReturns(Block block, List<Stmt> epilogue)
        {
            if (epilogue.Count == 0) return block;
            var statements = new List<Stmt>();
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case ReturnStmt:
                        statements.AddRange(epilogue);
                        statements.Add(statement);
                        break;
                    case IfStmt ifStmt:
                        statements.Add(ifStmt with { Then = BeforeReturns(ifStmt.Then, epilogue), Else = BeforeReturns(ifStmt.Else, epilogue) });
                        break;
                    case RepeatStmt repeat:
                        statements.Add(repeat with { Body = BeforeReturns(repeat.Body, epilogue) });
                        break;
                    case ReverseLoopStmt reverse:
                        statements.Add(reverse with { Body = BeforeReturns(reverse.Body, epilogue) });
                        break;
                    default:
                        statements.Add(statement);
                        break;
                }
            }

            return new Block(statements.ToEquatableArray());
        }
    }
}
