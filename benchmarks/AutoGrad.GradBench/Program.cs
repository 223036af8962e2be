using System;
using System.Text;

namespace AutoGrad.GradBench;

/// <summary>
/// A GradBench tool: reads the eval's messages from stdin, one JSON object per line, and writes one response
/// line per message to stdout. Logs go to stderr. <c>--hand-written</c> answers gradients with the
/// hand-written code instead of the generated Backward methods (to compare the two under GradBench).
/// </summary>
internal static class Program
{
    static int Main(string[] args)
    {
        bool handWritten = Array.IndexOf(args, "--hand-written") >= 0;
        foreach (string arg in args)
        {
            if (arg != "--hand-written")
            {
                Console.Error.WriteLine($"usage: autograd-gradbench [--hand-written]   (unknown argument '{arg}')");
                return 2;
            }
        }

        var stdin = new System.IO.StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), false, 1 << 16);
        var stdout = new System.IO.StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        var tool = new GradBenchTool(Evals.Create(handWritten), handWritten ? "autograd-gen (hand-written)" : "autograd-gen", Console.Error);
        tool.Run(stdin, stdout);
        return 0;
    }
}
