using System.Text;

namespace Dashboard.Core.Parsing.Text;

/// <summary>
/// Terminal control sequences in a captured log: tqdm moves the cursor up (<c>ESC[A</c>) to redraw a nested
/// evaluation bar above the training bar, and rich colours its text. They are no part of what was printed.
/// </summary>
internal static class AnsiCodes
{
    private const char Escape = '\x1b';

    /// <summary>The line without CSI sequences (<c>ESC [ params letter</c>) and lone escapes; the same string when it has none.</summary>
    public static string Strip(string line)
    {
        var at = line.IndexOf(Escape);
        if (at < 0)
            return line;
        var text = new StringBuilder(line.Length);
        var pos = 0;
        while (at >= 0)
        {
            text.Append(line, pos, at - pos);
            pos = at + 1;
            if (pos < line.Length && line[pos] == '[')
            {
                // Parameters and intermediates (0x20..0x3F), then one final byte (0x40..0x7E).
                pos++;
                while (pos < line.Length && line[pos] is >= ' ' and <= '?')
                    pos++;
                if (pos < line.Length && line[pos] is >= '@' and <= '~')
                    pos++;
            }
            at = line.IndexOf(Escape, pos);
        }
        return text.Append(line, pos, line.Length - pos).ToString();
    }
}
