using System.IO;
using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Calls;

public class ScratchDump
{
    [Fact]
    public void Dump()
    {
        var src = File.ReadAllText("/tmp/scratch.cs");
        var run = TestCompiler.Run(TestCompiler.CreateCompilation(src));
        var text = string.Join("\n//----\n", run.GeneratedSources.Select(s => s.SourceText.ToString()));
        text += "\n// DIAG: " + string.Join("\n// DIAG: ", run.OutputDiagnostics.Concat(run.DriverDiagnostics).Select(d => d.ToString()));
        File.WriteAllText("/tmp/scratch.out", text);
    }
}
