namespace Dashboard.Core.Parsing;

/// <summary>
/// Local wall-clock time to unix milliseconds. Zones change offset on whole hours, so the offset is
/// looked up once per hour of log rather than once per line.
/// </summary>
internal sealed class LocalTimeConverter
{
    private long _hour = long.MinValue;
    private long _offsetTicks;

    public long ToUnixMs(DateTime local)
    {
        var hour = local.Ticks / TimeSpan.TicksPerHour;
        if (hour != _hour)
        {
            _offsetTicks = TimeZoneInfo.Local.GetUtcOffset(local).Ticks;
            _hour = hour;
        }
        return ((local.Ticks - _offsetTicks) / TimeSpan.TicksPerMillisecond) - (DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond);
    }
}
