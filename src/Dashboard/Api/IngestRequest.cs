using System.Text.Json.Serialization;

namespace Dashboard.Api;

/// <summary>
/// `POST /api/ingest`: log lines (parsed like a watched file) or ready-made points for one run,
/// named by project and run, from an agent on a training node or a script.
/// </summary>
public sealed record IngestRequest(string? Project, string? Run, IReadOnlyList<string>? Lines, IReadOnlyList<IngestPoint>? Points);

/// <summary>A value may be a number or the string "NaN", "Infinity" or "-Infinity"; unixMs defaults to now.</summary>
public sealed record IngestPoint(string? Key, long Step, [property: JsonConverter(typeof(IngestValueConverter))] double Value, long? UnixMs);

public sealed record IngestResult(long RunId, int Points, int Events);
