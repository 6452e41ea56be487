namespace Dashboard.Configuration;

public sealed class LiveOptions
{
    /// <summary>Points for one run are sent at most this often; a quiet run's first point goes at once.</summary>
    public int CoalesceMs { get; set; } = 30;

    /// <summary>An open page takes what changed at most this often (its charts, tables and banners redraw once per interval).</summary>
    public int PageRefreshMs { get; set; } = 100;

    /// <summary>
    /// HOST:PORT of the Redis that web instances sharing one store fan live updates out through
    /// (command line <c>--redis</c>); none: this instance's clients see only its own updates.
    /// </summary>
    public string? Redis { get; set; }
}
