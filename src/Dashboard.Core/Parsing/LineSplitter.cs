using System.Text;

namespace Dashboard.Core.Parsing;

/// <summary>Cuts bytes read from a log file into complete lines; a partial last line stays with the caller.</summary>
public static class LineSplitter
{
    /// <summary>
    /// Appends every line terminated by '\n' (without "\r\n"/"\n", NUL bytes removed, invalid UTF-8 as
    /// U+FFFD) and returns how many bytes that consumed: everything up to and including the last '\n'.
    /// </summary>
    public static int Split(ReadOnlySpan<byte> buffer, List<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var consumed = 0;
        int newline;
        while ((newline = buffer[consumed..].IndexOf((byte)'\n')) >= 0)
        {
            var line = buffer.Slice(consumed, newline);
            if (!line.IsEmpty && line[^1] == (byte)'\r')
                line = line[..^1];
            lines.Add(Decode(line));
            consumed += newline + 1;
        }
        return consumed;
    }

    private static string Decode(ReadOnlySpan<byte> line)
    {
        // Files preallocated or cut by a crash hold runs of NUL where text never got written.
        var text = Encoding.UTF8.GetString(line);
        return line.Contains((byte)0) ? text.Replace("\0", string.Empty, StringComparison.Ordinal) : text;
    }
}
