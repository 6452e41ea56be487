namespace Dashboard.Storage;

/// <summary>What a run's tags and note may hold, checked alike for the API and the pages.</summary>
public static class RunLabelRules
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const int MaxNoteLength = 10_000;

    /// <summary>Why a value was refused, naming the field as the request named it.</summary>
    public sealed record Problem(string Field, string Detail);

    /// <summary>Trimmed, duplicates dropped, sorted; or the first problem.</summary>
    public static Problem? Tags(IReadOnlyList<string?> raw, out List<string> tags)
    {
        tags = [];
        for (var i = 0; i < raw.Count; i++)
        {
            var tag = raw[i]?.Trim();
            if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength || tag.Any(char.IsControl))
                return new($"tags[{i}]", $"tags[{i}] must be 1 to {MaxTagLength} characters without control characters.");
            if (!tags.Contains(tag, StringComparer.Ordinal))
                tags.Add(tag);
        }
        if (tags.Count > MaxTags)
            return new("tags", $"a run has at most {MaxTags} tags; {tags.Count} were sent.");
        tags.Sort(StringComparer.Ordinal);
        return null;
    }

    /// <summary>Trimmed (empty removes the note); or the problem.</summary>
    public static Problem? Note(string? raw, out string note)
    {
        note = (raw ?? "").Trim();
        if (note.Length > MaxNoteLength)
            return new("note", $"note is at most {MaxNoteLength} characters; it was {note.Length}.");
        if (note.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            return new("note", "note must not hold control characters other than line breaks and tabs.");
        return null;
    }
}
