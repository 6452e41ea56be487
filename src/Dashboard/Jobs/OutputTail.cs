using Dashboard.Core.Jobs;

namespace Dashboard.Jobs;

/// <summary>The last lines of a job's output and its latest progress, written by the process's readers and read by the saver.</summary>
public sealed class OutputTail(int maxLines)
{
    private const int MaxLineLength = 2000;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private bool _changed;

    public JobProgress? Progress { get; private set; }

    public void Add(string line)
    {
        if (line.Length > MaxLineLength)
            line = line[..MaxLineLength] + "…";
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > maxLines)
                _lines.Dequeue();
            if (ProgressLine.TryParse(line) is { } progress)
                Progress = progress;
            _changed = true;
        }
    }

    /// <summary>The text when something changed since the last call, else null.</summary>
    public string? TakeChanged()
    {
        lock (_gate)
        {
            if (!_changed)
                return null;
            _changed = false;
            return Text();
        }
    }

    public string Text()
    {
        lock (_gate)
            return string.Join('\n', _lines);
    }
}
