using System.Text.Json;
using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Core.Reports;
using Dashboard.Jobs;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Reports;

/// <summary>Reads what a report needs about one run from the store: every point at full resolution, events, alerts, jobs' samples.</summary>
public sealed class RunSnapshotter(IDbContextFactory<DashboardDbContext> contexts, IRunReader reader)
{
    public async Task<RunInput?> ReadAsync(long runId, CancellationToken cancellationToken)
    {
        var detail = await reader.GetRunAsync(runId, cancellationToken);
        if (detail is null)
            return null;

        var metrics = new List<MetricInput>(detail.Metrics.Count);
        foreach (var metric in detail.Metrics)
            if (await reader.GetSeriesAsync(runId, metric.Key, long.MinValue, null, cancellationToken) is { } series)
                metrics.Add(new MetricInput(series.Key, series.Points));

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id)
            .Select(e => new RunEvent(e.Kind, e.Step, e.UnixMs, e.Message)).ToListAsync(cancellationToken);
        var alerts = (await db.Set<AlertEntity>().AsNoTracking().Where(a => a.RunId == runId).OrderBy(a => a.Id).ToListAsync(cancellationToken))
            .Select(a => new AlertInput(a.RuleId, a.Metric, a.Severity, a.Message, a.Advice, a.FirstStep, a.LastStep, a.Value,
                DateTimeOffset.FromUnixTimeMilliseconds(a.RaisedAtMs), a.ResolvedAtMs is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null))
            .ToList();

        var run = detail.Run;
        return new RunInput(run.Id, run.Name, run.Project, run.Status.ToString().ToLowerInvariant(), run.Step, run.TotalSteps,
            run.StartedAt, run.UpdatedAt, detail.Config, metrics, events, alerts);
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
