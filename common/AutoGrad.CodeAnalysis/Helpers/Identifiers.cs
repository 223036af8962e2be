using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.CodeAnalysis.Helpers
{
    internal static class Identifiers
    {
        /// <summary>The name as C# source: with a verbatim <c>@</c> when it is a reserved keyword.</summary>
        public static string Escape(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
