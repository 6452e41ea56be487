using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Dashboard.Tests.Jobs;

/// <summary>CI has no PyTorch, so the shipped evaluators are checked for what can be checked without it: they compile.</summary>
public sealed class ShippedToolsTests
{
    private static string Tools([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "tools"));

    [Theory]
    [InlineData("evaluate_segmentation.py")]
    [InlineData("sample_pairs.py")]
    [InlineData("dashboard_contract.py")]
    public async Task Shipped_evaluator_compiles(string script)
    {
        var cache = Directory.CreateTempSubdirectory("pycompile-").FullName;
        try
        {
            var start = new ProcessStartInfo("python3") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", Path.Combine(Tools(), script), Path.Combine(cache, "out.pyc") })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, errors);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
