using System;
using System.Text;

namespace AutoGrad.Generator.Emit
{
    /// <summary>Writes indented C# with <c>\n</c> line ends, whatever the platform, so output is byte-for-byte stable.</summary>
    internal sealed class SourceWriter
    {
        private const string IndentUnit = "    ";
        private readonly StringBuilder _text = new();
        private int _indent;
        private bool _lineStarted;

        public void Write(string text)
        {
            if (!_lineStarted)
            {
                for (int i = 0; i < _indent; i++) _text.Append(IndentUnit);
                _lineStarted = true;
            }

            _text.Append(text);
        }

        public void WriteLine(string text)
        {
            Write(text);
            WriteLine();
        }

        public void WriteLine()
        {
            _text.Append('\n');
            _lineStarted = false;
        }

        public void OpenBrace()
        {
            WriteLine("{");
            _indent++;
        }

        public void CloseBrace()
        {
            if (_indent == 0) throw new InvalidOperationException("Unbalanced braces in generated code.");
            _indent--;
            WriteLine("}");
        }

        public override string ToString()
        {
            if (_indent != 0) throw new InvalidOperationException("Generated code did not close all its braces.");
            return _text.ToString();
        }
    }
}
