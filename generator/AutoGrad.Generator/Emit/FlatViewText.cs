using AutoGrad.CodeAnalysis.Helpers;
using AutoGrad.CodeAnalysis.Model;
using AutoGrad.CodeAnalysis.Parsing;

namespace AutoGrad.Generator.Emit
{
    /// <summary>The C# text of a <see cref="FlatViewStmt"/>: the flat view of a matrix or jagged array parameter, or of its gradient buffer.</summary>
    internal static class FlatViewText
    {
        public static string Of(FlatViewStmt view)
        {
            string element = view.Element.Keyword();
            string name = Identifiers.Escape(view.Name);
            string matrix = Identifiers.Escape(view.Matrix);
            if (view.ShapeOf is not { } shapeOf)
            {
                string starts = view.Starts is null ? string.Empty : ", out int[] " + Identifiers.Escape(view.Starts);
                return "global::System.ReadOnlySpan<" + element + "> " + name + " = global::AutoGrad.Matrix.Flat(" + matrix + starts + ");";
            }

            return "global::System.Span<" + element + "> " + name + " = global::AutoGrad.Matrix.Gradient(" + matrix + ", " + Identifiers.Escape(shapeOf)
                + ", \"" + view.Matrix + "\", \"" + shapeOf + "\");";
        }
    }
}
