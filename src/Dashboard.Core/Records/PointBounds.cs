namespace Dashboard.Core.Records;

/// <summary>
/// The ranges a stored point must fall in. Everything downstream (run summaries, charts in the
/// browser, reports) maps steps and wall times to numbers and dates; a value outside these ranges
/// is accepted by SQLite but breaks a reader, so it is refused where it enters and kept out of
/// the store.
/// </summary>
public static class PointBounds
{
    /// <summary>2^53: the largest step a browser's JavaScript number holds exactly.</summary>
    public const long MaxStep = 1L << 53;

    public const long MinStep = -MaxStep;

    /// <summary>2000-01-01T00:00:00Z: no training log is older.</summary>
    public const long MinUnixMs = 946_684_800_000;

    /// <summary>2100-01-01T00:00:00Z: far enough for a badly set clock, short of what dates can hold.</summary>
    public const long MaxUnixMs = 4_102_444_800_000;

    public static bool IsValidStep(long step) => step is >= MinStep and <= MaxStep;

    public static bool IsValidUnixMs(long unixMs) => unixMs is >= MinUnixMs and <= MaxUnixMs;

    public static bool IsValid(in MetricPoint point) => IsValidStep(point.Step) && IsValidUnixMs(point.UnixMs);

    /// <summary>Why a point is refused, for logs, problem details and the quarantine; null when it is fine.</summary>
    public static string? Problem(in MetricPoint point) =>
        !IsValidStep(point.Step) ? $"step {point.Step} is outside {MinStep}..{MaxStep}"
        : !IsValidUnixMs(point.UnixMs) ? $"unixMs {point.UnixMs} is outside {MinUnixMs}..{MaxUnixMs} (2000-01-01..2100-01-01)"
        : null;
}
