namespace Dashboard.Core.Parsing;

/// <summary>
/// Keras' progress line, which names no step: the epoch was printed on the line before ("Epoch 3/10").
/// <code>
/// 1875/1875 [==============================] - 5s 2ms/step - loss: 0.2954 - accuracy: 0.9140 - val_loss: 0.1411 - val_accuracy: 0.9571
/// 1875/1875 ━━━━━━━━━━━━━━━━━━━━ 5s 2ms/step - accuracy: 0.9140 - loss: 0.2954 - val_accuracy: 0.9571 - val_loss: 0.1411
/// 1875/1875 - 5s - loss: 0.2954 - accuracy: 0.9140
/// </code>
/// </summary>
internal static class KerasProgress
{
    public static bool IsProgressLine(ReadOnlySpan<char> text)
    {
        var pos = 0;
        if (!SkipDigits(text, ref pos) || pos >= text.Length || text[pos] != '/')
            return false;
        pos++;
        if (!SkipDigits(text, ref pos) || pos + 2 >= text.Length || text[pos] != ' ')
            return false;
        var next = text[pos + 1];
        return next is '[' or '━' || (next == '-' && text[pos + 2] == ' ');
    }

    private static bool SkipDigits(ReadOnlySpan<char> text, ref int pos)
    {
        var start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            pos++;
        return pos > start;
    }
}
