using System.Buffers;

namespace Dashboard.Core.Parsing;

/// <summary>Finds the words that make a line an event (or a warning) in one vectorized pass over it.</summary>
internal static class LineSignals
{
    // Each trigger is the rare part of its phrase ("finished", not "training finished"): the search
    // checks every place a trigger's first letters occur, and "train" is in most metric keys.
    private static readonly SearchValues<string> Triggers = SearchValues.Create(
        ["evaluat", "new best", "(most recent call last)", "of memory", "ofmemoryerror", "finished", "complete", "sav", "warning", "Killed"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> CheckpointWords = SearchValues.Create(
        ["checkpoint", "ckpt", "model", "weights", ".pt", ".safetensors"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>The signals in text; evaluationIndex is where "evaluat..." first appears, or -1.</summary>
    public static LineSignal Scan(ReadOnlySpan<char> text, out int evaluationIndex)
    {
        evaluationIndex = -1;
        var signals = LineSignal.None;
        var pos = 0;
        int index;
        while (pos < text.Length && (index = text[pos..].IndexOfAny(Triggers)) >= 0)
        {
            var at = pos + index;
            var signal = Classify(text, at);
            if (signal == LineSignal.Evaluation && evaluationIndex < 0)
                evaluationIndex = at;
            signals |= signal;
            pos = at + 1;
        }
        return signals;
    }

    private static LineSignal Classify(ReadOnlySpan<char> text, int at)
    {
        var rest = text[at..];
        var before = text[..at];
        if (rest.StartsWith("evaluat", StringComparison.OrdinalIgnoreCase))
            return LineSignal.Evaluation;
        if (rest.StartsWith("new best", StringComparison.OrdinalIgnoreCase))
            return LineSignal.NewBest;
        if (rest.StartsWith("(most", StringComparison.OrdinalIgnoreCase))
            return before.EndsWith("traceback ", StringComparison.OrdinalIgnoreCase) ? LineSignal.Crash : LineSignal.None;
        if (rest.StartsWith("of", StringComparison.OrdinalIgnoreCase))
            return before.EndsWith("out ", StringComparison.OrdinalIgnoreCase) || before.EndsWith("out", StringComparison.OrdinalIgnoreCase) ? LineSignal.OutOfMemory : LineSignal.None;
        if (rest.StartsWith("finished", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("complete", StringComparison.OrdinalIgnoreCase))
            return before.EndsWith("training ", StringComparison.OrdinalIgnoreCase) ? LineSignal.Finished : LineSignal.None;
        if (rest.StartsWith("warning", StringComparison.OrdinalIgnoreCase))
            return LineSignal.Warning;
        if (rest.StartsWith("Killed", StringComparison.Ordinal))
            return IsKilledByTheShell(text, at) ? LineSignal.Crash : LineSignal.None;
        return IsCheckpointSave(text, at) ? LineSignal.CheckpointSaved : LineSignal.None;
    }

    /// <summary>
    /// What the shell prints when the kernel's OOM killer (or kill -9) ends the trainer: "Killed" alone,
    /// or "./train.sh: line 3: 4242 Killed   python train.py" — never the word inside a sentence.
    /// </summary>
    private static bool IsKilledByTheShell(ReadOnlySpan<char> text, int at)
    {
        if (text.Trim().SequenceEqual("Killed"))
            return true;
        var before = text[..at].TrimEnd();
        var digits = before.Length - before.TrimEnd("0123456789").Length;
        return digits > 0 && at > before.Length && (text.Length == at + 6 || char.IsWhiteSpace(text[at + 6]));
    }

    /// <summary>"Saved checkpoint to ...", "Saving best model to best.pth": a save word and something that is a model file.</summary>
    private static bool IsCheckpointSave(ReadOnlySpan<char> text, int at)
    {
        var rest = text[at..];
        var isSaveWord = rest.StartsWith("save", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("saving", StringComparison.OrdinalIgnoreCase);
        return isSaveWord && (at == 0 || !char.IsLetter(text[at - 1])) && text.ContainsAny(CheckpointWords);
    }
}
