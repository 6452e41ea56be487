using System.Globalization;
using System.IO.Compression;
using System.Text;
using Dashboard.Core.Records;

namespace Dashboard.Reports;

/// <summary>
/// Every point of the reported runs as CSV (run_id, run, metric, step, value, unix_ms), gzip-compressed
/// metric by metric into a temporary file as the report's builder reads them: a run of millions of
/// points is never held whole, neither as points nor as text nor as compressed bytes.
/// </summary>
public sealed class PointsCsv : IAsyncDisposable
{
    // Digits of a long, a round-trip double and a long, three separators: 20 + 24 + 20 + 3 characters at most.
    private const int MaxLineTail = 80;
    private readonly FileStream _file = new(Path.Combine(Path.GetTempPath(), $"dashboard-report-{Guid.NewGuid():N}.csv.gz"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    private readonly StreamWriter _writer;

    public PointsCsv()
    {
        _writer = new StreamWriter(new GZipStream(_file, CompressionLevel.Fastest, leaveOpen: true), new UTF8Encoding(false));
        _writer.Write("run_id,run,metric,step,value,unix_ms\n");
    }

    public void Write(long runId, string runName, string key, IReadOnlyList<StoredPoint> points)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{runId},{Field(runName)},{Field(key)},");
        Span<char> tail = stackalloc char[MaxLineTail];
        foreach (var p in points)
        {
            if (!tail.TryWrite(CultureInfo.InvariantCulture, $"{p.Step},{p.Value:R},{p.UnixMs}\n", out var length))
                throw new InvalidOperationException($"A point of {key} does not fit a CSV line.");
            _writer.Write(prefix);
            _writer.Write(tail[..length]);
        }
    }

    /// <summary>Ends the compressed stream: the file from its start, to be copied into the report's row.</summary>
    public async Task<Stream> CompressedAsync()
    {
        await _writer.DisposeAsync();
        _file.Position = 0;
        return _file;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _file.DisposeAsync();
    }

    public static Stream Open(Stream compressed) => new GZipStream(compressed, CompressionMode.Decompress);

    /// <summary>Quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    private static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            text = "'" + text;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
