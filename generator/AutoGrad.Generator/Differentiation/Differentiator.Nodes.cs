using System.Collections.Generic;
using System.Linq;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.Generator.Model;

namespace AutoGrad.Generator.Differentiation
{
    /// <summary>The working nodes of the Backward body, frozen into <see cref="CodeStmt"/> records at the end.</summary>
    internal sealed partial class Differentiator
    {
        // Mutable working nodes, frozen into CodeStmt records at the end.
        private abstract class Node
        {
            protected Node(SourceInfo? source) => Source = source;

            public SourceInfo? Source { get; }

            /// <summary>The statement lists nested in this one.</summary>
            public virtual IEnumerable<List<Node>> Lists => Enumerable.Empty<List<Node>>();
        }

        private sealed class WhileTrueNode : Node
        {
            public WhileTrueNode(List<Node> body, SourceInfo? source)
                : base(source) => Body = body;

            public List<Node> Body { get; }

            public override IEnumerable<List<Node>> Lists => new[] { Body };
        }

        private sealed class BreakNode : Node
        {
            public BreakNode(SourceInfo? source)
                : base(source)
            {
            }
        }

        private sealed class ReverseLoopNode : Node
        {
            public ReverseLoopNode(string count, List<Node> body, HashSet<string> restores, SourceInfo? source)
                : base(source) => (Count, Body, Restores) = (count, body, restores);

            public string Count { get; }

            /// <summary>The loop's carried variables: each reverse iteration sets them before it reads them.</summary>
            public HashSet<string> Restores { get; }

            public List<Node> Body { get; }

            public override IEnumerable<List<Node>> Lists => new[] { Body };
        }

        private sealed class ExpressionNode : Node
        {
            public ExpressionNode(Expr value)
                : base(null) => Value = value;

            public Expr Value { get; }
        }

        /// <summary>A guard of the forward pass (<see cref="EffectStmt"/>): copied as it is, with no reverse.</summary>
        private sealed class EffectNode : Node
        {
            public EffectNode(EffectStmt effect)
                : base(effect.Source) => Effect = effect;

            public EffectStmt Effect { get; }
        }

        private sealed class CheckLengthNode : Node
        {
            public CheckLengthNode(string gradient, string input)
                : base(null) => (Gradient, Input) = (gradient, input);

            public string Gradient { get; }

            public string Input { get; }
        }

        private sealed class ArrayNode : Node
        {
            public ArrayNode(string name, string? adjoint, ScalarKind element, Expr length, bool onStack, string? rented, SourceInfo? source)
                : base(source) => (Name, Adjoint, Element, Length, OnStack, Rented) = (name, adjoint, element, length, onStack, rented);

            /// <summary>For a heap array, the pooled array its adjoint lives in.</summary>
            public string? Rented { get; }

            public string Name { get; }

            /// <summary>The array's gradient, or null when the result does not depend on the array.</summary>
            public string? Adjoint { get; }

            public ScalarKind Element { get; }

            public Expr Length { get; }

            public bool OnStack { get; }
        }

        private sealed class TapeNode : Node
        {
            public TapeNode(string name, string buffer, ScalarKind type)
                : base(null) => (Name, Buffer, Type) = (name, buffer, type);

            public string Name { get; }

            public string Buffer { get; }

            public ScalarKind Type { get; }
        }

        private sealed class DeclareNode : Node
        {
            public DeclareNode(string name, ScalarKind type, Expr? value, string? comment, SourceInfo? source)
                : base(source) => (Name, Type, Value, Comment) = (name, type, value, comment);

            public string Name { get; }

            public ScalarKind Type { get; }

            public Expr? Value { get; }

            public string? Comment { get; }
        }

        private sealed class AssignNode : Node
        {
            public AssignNode(string name, Expr value, AssignKind kind, string? comment, SourceInfo? source, Expr? index = null)
                : base(source) => (Name, Value, Kind, Comment, Index) = (name, value, kind, comment, index);

            /// <summary>Set for an element of an array or span: <c>name[index]</c>.</summary>
            public Expr? Index { get; }

            public string Name { get; }

            public Expr Value { get; }

            public AssignKind Kind { get; }

            public string? Comment { get; }
        }

        /// <summary>A contribution to a variable's adjoint, before it is known whether it declares the adjoint.</summary>
        private sealed class AccumulateNode : Node
        {
            public AccumulateNode(string variable, Expr value, string? comment, SourceInfo? source)
                : base(source) => (Variable, Value, Comment) = (variable, value, comment);

            public string Variable { get; }

            public Expr Value { get; }

            public string? Comment { get; set; }
        }

        private sealed class IfNode : Node
        {
            public IfNode(Expr condition, List<Node> then, List<Node> @else, SourceInfo? source)
                : base(source) => (Condition, Then, Else) = (condition, then, @else);

            public Expr Condition { get; }

            public List<Node> Then { get; }

            public List<Node> Else { get; }

            public override IEnumerable<List<Node>> Lists => new[] { Then, Else };
        }

        private sealed class ReturnNode : Node
        {
            public ReturnNode(Expr value)
                : base(null) => Value = value;

            public Expr Value { get; }
        }

        private sealed class CommentNode : Node
        {
            public CommentNode(string text, SourceInfo? source)
                : base(source) => Text = text;

            public string Text { get; }
        }
    }
}
