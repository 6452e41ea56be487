using Dashboard.Core.Records;

namespace Dashboard.Core.Records;

/// <summary>
/// Unix milliseconds to dates for readers. A row written before the store refused bad times (or by
/// hand) may hold any long; a reader shows it clamped to the representable range instead of throwing.
/// </summary>
public static class UnixTime
{
    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToDate(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, MinMs, MaxMs));

    public static DateTimeOffset? ToDate(long? unixMs) => unixMs is { } ms ? ToDate(ms) : null;
}
