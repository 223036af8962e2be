using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Helpers;

namespace AutoGrad.CodeAnalysis.Model
{
    /// <summary>
    /// Renames variables, arrays and tapes throughout a block of IR (every name a statement defines or an
    /// expression reads), and lists the variables an expression reads.
    /// </summary>
    internal static class IrRenamer
    {
        public static Block Rename(Block block, IReadOnlyDictionary<string, string> names) =>
            names.Count == 0 ? block : new Block(block.Statements.Select(s => Rename(s, names)).ToEquatableArray());

        /// <summary>The variables, local arrays and loop counters the block defines, in the order it defines them.</summary>
        public static IEnumerable<string> Definitions(Block block)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case LetStmt let:
                        yield return let.Name;
                        break;
                    case IfStmt ifStmt:
                        foreach (var name in Definitions(ifStmt.Then)) yield return name;
                        foreach (var name in Definitions(ifStmt.Else)) yield return name;
                        foreach (var merge in ifStmt.Merges) yield return merge.Name;
                        break;
                    case LocalArrayStmt array:
                        yield return array.Name;
                        break;
                    case DeclareStmt declare:
                        yield return declare.Name;
                        break;
                    case GradientArrayStmt gradientArray:
                        yield return gradientArray.Name;
                        if (gradientArray.Rented is { } rented) yield return rented;
                        break;
                    case TapeStmt tape:
                        yield return tape.Buffer;
                        yield return tape.Name;
                        break;
                    case RepeatStmt repeat:
                        foreach (var name in Definitions(repeat.Body)) yield return name;
                        break;
                    case ReverseLoopStmt reverse:
                        foreach (var name in Definitions(reverse.Body)) yield return name;
                        break;
                    case LoopStmt loop:
                        yield return loop.CountName;
                        foreach (var carried in loop.Carried) yield return carried.Name;
                        foreach (var name in Definitions(loop.Condition)) yield return name;
                        foreach (var name in Definitions(loop.Body)) yield return name;
                        break;
                }
            }
        }

        private static Stmt Rename(Stmt statement, IReadOnlyDictionary<string, string> names) => statement switch
        {
            LetStmt let => let with { Name = Name(let.Name, names), Value = Rename(let.Value, names) },
            IfStmt i => i with
            {
                Condition = Rename(i.Condition, names),
                Then = Rename(i.Then, names),
                Else = Rename(i.Else, names),
                Merges = i.Merges.Select(m => m with
                {
                    Name = Name(m.Name, names),
                    WhenTrue = Rename(m.WhenTrue, names),
                    WhenFalse = Rename(m.WhenFalse, names),
                }).ToEquatableArray(),
            },
            ReturnStmt r => r with { Value = Rename(r.Value, names) },
            LocalArrayStmt a => a with { Name = Name(a.Name, names), Length = Rename(a.Length, names) },
            StoreStmt st => st with { Array = Name(st.Array, names), Index = Rename(st.Index, names), Value = Rename(st.Value, names) },
            ClearStmt c => c with { Array = Name(c.Array, names) },
            LoopStmt l => l with
            {
                Carried = l.Carried.Select(c => c with
                {
                    Name = Name(c.Name, names),
                    Init = Rename(c.Init, names),
                    Next = Rename(c.Next, names),
                }).ToEquatableArray(),
                Condition = Rename(l.Condition, names),
                Test = Rename(l.Test, names),
                Body = Rename(l.Body, names),
            },
            DeclareStmt d => d with { Name = Name(d.Name, names), Value = d.Value is null ? null : Rename(d.Value, names) },
            AssignStmt a => a with
            {
                Target = Name(a.Target, names),
                Index = a.Index is null ? null : Rename(a.Index, names),
                Value = Rename(a.Value, names),
            },
            ExprStmt e => e with { Value = Rename(e.Value, names) },
            EffectStmt e => e with { Values = e.Values.Select(v => Rename(v, names)).ToEquatableArray() },
            RepeatStmt r => r with { Body = Rename(r.Body, names) },
            BreakStmt or CommentStmt => statement,
            ReverseLoopStmt r => r with { Count = Name(r.Count, names), Body = Rename(r.Body, names) },
            GradientArrayStmt g => g with
            {
                Name = Name(g.Name, names),
                Length = Rename(g.Length, names),
                Rented = g.Rented is null ? null : Name(g.Rented, names),
            },
            TapeStmt t => t with { Name = Name(t.Name, names), Buffer = Name(t.Buffer, names) },
            CheckLengthStmt c => c with { Gradient = Name(c.Gradient, names), Input = Name(c.Input, names) },
            _ => throw new InvalidOperationException("Unknown statement " + statement.GetType().Name),
        };

        public static Expr Rename(Expr expr, IReadOnlyDictionary<string, string> names) => expr switch
        {
            VarExpr v => v with { Name = Name(v.Name, names) },
            LitExpr => expr,
            UnaryExpr u => u with { Operand = Rename(u.Operand, names) },
            BinaryExpr b => b with { Left = Rename(b.Left, names), Right = Rename(b.Right, names) },
            MathCallExpr m => m with { Args = m.Args.Select(a => Rename(a, names)).ToEquatableArray() },
            CallExpr c => c with { Args = c.Args.Select(a => Rename(a, names)).ToEquatableArray() },
            PullbackCallExpr p => p with { Arguments = p.Arguments.Select(a => a with { Value = Rename(a.Value, names) }).ToEquatableArray() },
            ArrayRefExpr a => a with { Array = Name(a.Array, names) },
            TapeExpr t => t with { Tape = Name(t.Tape, names), Operand = t.Operand is null ? null : Rename(t.Operand, names) },
            OutArgExpr o => o with { Name = o.Name is null ? null : Name(o.Name, names) },
            ConvertExpr c => c with { Operand = Rename(c.Operand, names) },
            ElementExpr e => e with { Array = Name(e.Array, names), Index = Rename(e.Index, names) },
            LengthExpr l => l with { Array = Name(l.Array, names) },
            ConditionalExpr c => c with
            {
                Condition = Rename(c.Condition, names),
                WhenTrue = Rename(c.WhenTrue, names),
                WhenFalse = Rename(c.WhenFalse, names),
            },
            _ => throw new InvalidOperationException("Unknown expression " + expr.GetType().Name),
        };

        /// <summary>
        /// The names of the variables <paramref name="expr"/> reads, arrays included; with
        /// <paramref name="lengths"/> false, not the arrays it only takes the length of (a length never changes).
        /// </summary>
        public static IEnumerable<string> Variables(Expr expr, bool lengths = true)
        {
            var pending = new Stack<Expr>();
            pending.Push(expr);
            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case VarExpr v:
                        yield return v.Name;
                        break;
                    case UnaryExpr u:
                        pending.Push(u.Operand);
                        break;
                    case BinaryExpr b:
                        pending.Push(b.Right);
                        pending.Push(b.Left);
                        break;
                    case MathCallExpr m:
                        foreach (var arg in m.Args) pending.Push(arg);
                        break;
                    case CallExpr c:
                        foreach (var arg in c.Args) pending.Push(arg);
                        break;
                    case PullbackCallExpr p:
                        foreach (var arg in p.Arguments) pending.Push(arg.Value);
                        break;
                    case ArrayRefExpr a:
                        yield return a.Array;
                        break;
                    case TapeExpr { Operand: { } operand }:
                        pending.Push(operand);
                        break;
                    case ConvertExpr c:
                        pending.Push(c.Operand);
                        break;
                    case ElementExpr e:
                        yield return e.Array;
                        pending.Push(e.Index);
                        break;
                    case LengthExpr l when lengths:
                        yield return l.Array;
                        break;
                    case ConditionalExpr c:
                        pending.Push(c.WhenFalse);
                        pending.Push(c.WhenTrue);
                        pending.Push(c.Condition);
                        break;
                }
            }
        }

        private static string Name(string name, IReadOnlyDictionary<string, string> names) =>
            names.TryGetValue(name, out var renamed) ? renamed : name;
    }
}
