using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Ingestion;

/// <summary>
/// Lines and points that arrive over HTTP go through the same parser and writer as a tailed file;
/// the parser's state is kept per remote run like a file's, so an evaluation block may span requests.
/// Requests are taken one at a time: the parser state of a run must not be used by two at once.
/// </summary>
public sealed class RemoteIngest(IngestWriter writer, SourceFileReader files, IDbContextFactory<DashboardDbContext> contexts, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public static SourceIdentity Identity(string project, string run) => new($"remote:{project}/{run}", run, project);

    public Task<(long RunId, int Points, int Events)> IngestAsync(
        SourceIdentity source, IReadOnlyList<string> lines, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        writer.WithinWriteTimeoutAsync(token => IngestNowAsync(source, lines, points, token), cancellationToken);

    private async Task<(long RunId, int Points, int Events)> IngestNowAsync(
        SourceIdentity source, IReadOnlyList<string> lines, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var position = await files.GetAsync(source.Key, cancellationToken);
            var parser = new TextLogParser(position.State);
            var records = new ParsedRecords();
            var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var line in lines)
                parser.ParseLine(line, nowMs, records);
            records.Points.AddRange(points);

            await writer.CommitAsync(new IngestBatch(
                source, [.. records.Points], [.. records.Events], records.TotalSteps, records.Config?.ToJsonString(),
                position.Offset + lines.Count, parser.State, 0, nowMs), cancellationToken);

            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var runId = await db.SourceFiles.Where(f => f.Path == source.Key).Select(f => f.RunId).SingleAsync(cancellationToken);
            return (runId ?? 0, records.Points.Count, records.Events.Count);
        }
        finally
        {
            _gate.Release();
        }
    }
}
