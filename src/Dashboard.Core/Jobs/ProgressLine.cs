using System.Text.RegularExpressions;

namespace Dashboard.Core.Jobs;

/// <summary>How far a job is: <c>12/50</c> on a line of its output (the last such pair on the line wins).</summary>
public readonly record struct JobProgress(int Done, int Total)
{
    public double Fraction => Total == 0 ? 0 : Math.Clamp((double)Done / Total, 0, 1);
}

public static partial class ProgressLine
{
    /// <summary>The progress a line tells, or null. Dates (2025/08/15) and keys (val/mIoU) are not progress.</summary>
    public static JobProgress? TryParse(string line)
    {
        JobProgress? found = null;
        foreach (Match match in Pair().Matches(line))
        {
            if (int.TryParse(match.Groups["done"].ValueSpan, out var done) && int.TryParse(match.Groups["total"].ValueSpan, out var total)
                && total > 0 && done <= total)
                found = new JobProgress(done, total);
        }
        return found;
    }

    [GeneratedRegex(@"(?<![\w/.])(?<done>\d{1,9})\s*/\s*(?<total>\d{1,9})(?![\w/.])")]
    private static partial Regex Pair();
}
