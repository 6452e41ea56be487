using System.Globalization;
using System.IO.Compression;
using System.Text;
using Dashboard.Core.Reports;

namespace Dashboard.Reports;

/// <summary>Every point of the reported runs as CSV (run_id, run, metric, step, value, unix_ms), gzip-compressed for storage.</summary>
public static class PointsCsv
{
    public static byte[] Compress(IReadOnlyList<RunInput> runs)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            writer.Write("run_id,run,metric,step,value,unix_ms\n");
            foreach (var run in runs)
            {
                var name = Field(run.Name);
                foreach (var metric in run.Metrics)
                {
                    var key = Field(metric.Key);
                    foreach (var p in metric.Points)
                        writer.Write(string.Create(CultureInfo.InvariantCulture, $"{run.Id},{name},{key},{p.Step},{p.Value:R},{p.UnixMs}\n"));
                }
            }
        }
        return buffer.ToArray();
    }

    public static Stream Open(byte[] compressed) => new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);

    /// <summary>Quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    private static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            text = "'" + text;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
