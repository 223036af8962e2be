using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.CodeAnalysis.Parsing
{
    /// <summary>
    /// Methods that work in place on an array parameter (a sort, a Cholesky factorisation on the caller's
    /// buffer). The body is lowered as if the user had copied the parameter into a local array first: the
    /// Backward copies the array at entry, works on the copy (so every write is a local array's store, with its
    /// gradient), and copies the result back into the caller's array before it returns, so the caller sees the
    /// array exactly as the method leaves it. The gradient is with respect to the values on entry.
    /// <para>
    /// Which parameters are written is found by lowering once: a first lowering records the array parameters
    /// that are written (<see cref="WrittenInputs"/>) instead of rejecting them, and the method parser lowers
    /// again with those parameters copied.
    /// </para>
    /// </summary>
    internal sealed partial class BodyLowering
    {
        /// <summary>Array and span parameters to work on a copy of; null on the first lowering.</summary>
        private ISet<string>? _copiedInputs;

        /// <summary>Copies made of written parameters: the copy's name and the parameter's.</summary>
        private readonly List<(string Copy, string Parameter)> _inputCopies = new();

        /// <summary>The array and span parameters that can be written (not read-only spans).</summary>
        private readonly HashSet<string> _writableInputs = new(System.StringComparer.Ordinal);

        /// <summary>The array and span parameters the body writes (AG0016 unless the body is lowered again with them copied).</summary>
        public HashSet<string> WrittenInputs { get; } = new(System.StringComparer.Ordinal);

        /// <summary>Lowers the body again, working on a copy of each of <paramref name="written"/>.</summary>
        public BodyLowering WithCopiedInputs(ISet<string> written)
        {
            _copiedInputs = written;
            return this;
        }

        /// <summary>
        /// Declares the copy of array parameter <paramref name="parameter"/> and fills it (a loop reading every
        /// element, so the elements' gradients flow back to the parameter's buffer), and makes the parameter's
        /// name stand for the copy.
        /// </summary>
        private void CopyInput(IParameterSymbol parameter, ScalarKind element, bool active, List<Stmt> output)
        {
            string copy = _names.Fresh(parameter.Name + "Copy");
            _source = SourceInfo.None;
            Add(output, new LocalArrayStmt(copy, element, new LengthExpr(parameter.Name), false, _source));
            _localArrayNames.Add(copy);
            _knownAtStart.Add(copy);
            _inputCopies.Add((copy, parameter.Name));

            // for (int i = 0; i < parameter.Length; i++) copy[i] = parameter[i];
            var index = new SyntheticVariable("i");
            _symbolOrder.Add(index);
            Define(index, ScalarKind.Int32, new LitExpr("0", ScalarKind.Int32), output);
            var init = _env[index]!;
            string name = NameFor(index);
            var current = new VarExpr(name, ScalarKind.Int32);
            _env[index] = current;
            var body = new List<Stmt>();
            var read = new ElementExpr(parameter.Name, current, element);
            Add(body, new StoreStmt(copy, current, active ? Hoist(read, body) : Atomize(read, body), _source));
            Define(index, ScalarKind.Int32, new BinaryExpr(BinaryOp.Add, current, new LitExpr("1", ScalarKind.Int32), ScalarKind.Int32), body);
            var next = _env[index]!;
            _env[index] = current;
            Add(output, new LoopStmt(
                EquatableArray.Create(new Carried(name, ScalarKind.Int32, false, init, next)),
                Block.Empty,
                new BinaryExpr(BinaryOp.LessThan, current, new LengthExpr(parameter.Name), ScalarKind.Boolean),
                ToBlock(body),
                false,
                _names.Fresh("iterations"),
                _source));
            _arrays[parameter] = (copy, element, true);
            _writableArrays.Add(parameter);
        }

        /// <summary>Copies each worked-on copy back into its parameter before every return of <paramref name="block"/>.</summary>
        private Block CopyBackBeforeReturns(Block block)
        {
            if (_inputCopies.Count == 0) return block;
            var statements = new List<Stmt>();
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case ReturnStmt ret:
                        // Also after a throw (the placeholder return that ends a throwing path): unreachable there,
                        // which the generated file's pragma allows.
                        foreach (var (copy, parameter) in _inputCopies)
                        {
                            var copyBack = "global::System.MemoryExtensions.AsSpan(" + Identifiers.Escape(copy) + ").CopyTo(" + Identifiers.Escape(parameter) + ")";
                            statements.Add(new EffectStmt(EquatableArray.Create(copyBack), EquatableArray<Expr>.Empty, ret.Source));
                        }

                        statements.Add(statement);
                        break;
                    case IfStmt branch:
                        statements.Add(branch with { Then = CopyBackBeforeReturns(branch.Then), Else = CopyBackBeforeReturns(branch.Else) });
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
