using System.Text.Json;
using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Core.Reports;
using Dashboard.Jobs;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Reports;

/// <summary>
/// Reads what a report needs about one run from the store: its events, alerts and jobs' samples at
/// once, and each metric's points at full resolution only when the report's builder asks for them.
/// </summary>
public sealed class RunSnapshotter(IDbContextFactory<DashboardDbContext> contexts, IRunReader reader, IPointStore store)
{
    /// <summary>Null when the run does not exist; each metric's points go into <paramref name="csv"/> as they are first read.</summary>
    /// <param name="buffer">
    /// Refilled by every read and returned as the points: the runs of one report share it, so a
    /// comparison holds one metric's points at a time, not the last metric read of each run.
    /// </param>
    public async Task<RunSource?> ReadAsync(long runId, PointsCsv csv, List<StoredPoint> buffer, CancellationToken cancellationToken)
    {
        var detail = await reader.GetRunAsync(runId, cancellationToken);
        if (detail is null)
            return null;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var metricIds = await db.Metrics.AsNoTracking().Where(m => m.RunId == runId).ToDictionaryAsync(m => m.Key, m => m.Id, StringComparer.Ordinal, cancellationToken);
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id)
            .Select(e => new RunEvent(e.Kind, e.Step, e.UnixMs, e.Message)).ToListAsync(cancellationToken);
        var alerts = (await db.Set<AlertEntity>().AsNoTracking().Where(a => a.RunId == runId).OrderBy(a => a.Id).ToListAsync(cancellationToken))
            .Select(a => new AlertInput(a.RuleId, a.Metric, a.Severity, a.Message, a.Advice, a.FirstStep, a.LastStep, a.Value,
                UnixTime.ToDate(a.RaisedAtMs), UnixTime.ToDate(a.ResolvedAtMs)))
            .ToList();

        var run = detail.Run;
        var input = new RunInput(run.Id, run.Name, run.Project, run.Status.ToString().ToLowerInvariant(), run.Step, run.TotalSteps,
            run.StartedAt, run.UpdatedAt, detail.Config, [], events, alerts)
        { Note = detail.Note, Tags = run.Tags ?? [] };
        var firstRead = new Dictionary<string, int>(StringComparer.Ordinal);
        return new RunSource(input, [.. detail.Metrics.Select(m => m.Key)], async (key, token) =>
        {
            if (metricIds.TryGetValue(key, out var metricId))
                await store.ReadAllAsync(metricId, buffer, token);
            else
                buffer.Clear();
            // The builder's first look reads every metric once, in the run's order: the CSV lists the points as they pass.
            if (firstRead.TryAdd(key, buffer.Count))
                csv.Write(input.Id, input.Name, key, buffer);
            // A live run grows between two looks at a metric: the second sees the points the first did.
            else if (buffer.Count > firstRead[key])
                buffer.RemoveRange(firstRead[key], buffer.Count - firstRead[key]);
            return buffer;
        });
    }

    /// <summary>The run's succeeded jobs that wrote samples, with the step their results were written at.</summary>
    public async Task<IReadOnlyList<SampleJob>> SampleJobsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Set<JobEntity>().AsNoTracking()
            .Where(j => j.RunId == runId && j.Status == JobStatus.Succeeded && j.SamplesJson != null)
            .OrderBy(j => j.Id)
            .Select(j => new { j.Id, j.ResultStep, j.CheckpointStep, j.Checkpoint, j.SamplesJson })
            .ToListAsync(cancellationToken);
        return [.. jobs.Select(j => new SampleJob(j.Id, j.ResultStep ?? j.CheckpointStep, Path.GetFileName(j.Checkpoint),
            JsonSerializer.Deserialize<List<SamplePair>>(j.SamplesJson!, JobJson.Options) ?? []))];
    }
}
