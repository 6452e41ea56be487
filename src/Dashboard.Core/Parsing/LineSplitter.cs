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
        while (NextLine(buffer, ref consumed, out var line))
        {
            if (!line.IsEmpty && line[^1] == (byte)'\r')
                line = line[..^1];
            lines.Add(Decode(line));
        }
        return consumed;
    }

    /// <summary>
    /// The complete line that starts at <paramref name="consumed"/>, without its '\n', and moves
    /// <paramref name="consumed"/> past it; false when what is left is a partial line.
    /// </summary>
    public static bool NextLine(ReadOnlySpan<byte> buffer, ref int consumed, out ReadOnlySpan<byte> line)
    {
        var newline = buffer[consumed..].IndexOf((byte)'\n');
        if (newline < 0)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(consumed, newline);
        consumed += newline + 1;
        return true;
    }

    private static string Decode(ReadOnlySpan<byte> line)
    {
        // Files preallocated or cut by a crash hold runs of NUL where text never got written.
        var text = Encoding.UTF8.GetString(line);
        return line.Contains((byte)0) ? text.Replace("\0", string.Empty, StringComparison.Ordinal) : text;
    }
}
