namespace Dashboard.Core.Parsing.Text;

/// <summary>
/// Lightning's rich progress bar (its default when <c>rich</c> is installed). Redirected to a file it prints
/// each epoch's final state once: <c>Epoch 5/5  ━━━━━━━━ 56/56 0:00:00 • 0:00:00 328.41it/s v_num: 0 train_loss: 0.055</c>,
/// with the metrics that do not fit wrapped onto indented lines below it. Epochs count from 0 and the
/// total is the last epoch's index; the batch count is the epoch's.
/// </summary>
internal static class RichBar
{
    private const char BarChar = '━';

    /// <param name="metricsStart">Where the metrics start: after the bar's rate (its <c>v_num</c> is not one).</param>
    public static bool TryRead(ReadOnlySpan<char> text, out long epoch, out long batch, out long batches, out int metricsStart)
    {
        (epoch, batch, batches, metricsStart) = (0, 0, 0, 0);
        var bar = text.IndexOf(BarChar);
        if (bar < 0 || !text.StartsWith("Epoch ", StringComparison.Ordinal))
            return false;
        var head = text[6..bar].Trim(' ');
        var slash = head.IndexOf('/');
        if (slash <= 0 || !long.TryParse(head[..slash], System.Globalization.NumberStyles.None, null, out epoch))
            return false;
        var pos = bar;
        while (pos < text.Length && text[pos] is BarChar or '╸' or '╺' or ' ')
            pos++;
        var counts = Word(text, ref pos);
        var countSlash = counts.IndexOf('/');
        if (countSlash <= 0 || !long.TryParse(counts[..countSlash], System.Globalization.NumberStyles.None, null, out batch))
            return false;
        // An iterable of unknown length shows "5072/--": the batch is still the count.
        if (!long.TryParse(counts[(countSlash + 1)..], System.Globalization.NumberStyles.None, null, out batches))
            batches = 0;
        while (pos < text.Length)
        {
            var word = Word(text, ref pos);
            if (word.EndsWith("it/s", StringComparison.Ordinal) || word.EndsWith("s/it", StringComparison.Ordinal))
            {
                metricsStart = pos;
                return true;
            }
        }
        return false;
    }

    private static ReadOnlySpan<char> Word(ReadOnlySpan<char> text, ref int pos)
    {
        while (pos < text.Length && text[pos] == ' ')
            pos++;
        var start = pos;
        while (pos < text.Length && text[pos] != ' ')
            pos++;
        return text[start..pos];
    }
}
