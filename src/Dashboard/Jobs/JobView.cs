using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Storage.Entities;
using System.Text.Json;

namespace Dashboard.Jobs;

/// <summary>
/// A job as the API, the hub's <c>job</c> message and the pages show it. <see cref="Queue"/> tells where it runs:
/// <c>gpu0</c> on the service's own machine, <c>NODE-gpu0</c> on a training node's worker.
/// </summary>
public sealed record JobView(
    long Id,
    long RunId,
    JobKind Kind,
    JobStatus Status,
    string Checkpoint,
    string CheckpointName,
    long? CheckpointStep,
    string Origin,
    int Attempts,
    string? Queue,
    string? Slot,
    int? ExitCode,
    string? Reason,
    JobProgress? Progress,
    IReadOnlyList<string> Output,
    long? ResultStep,
    IReadOnlyDictionary<string, double>? Metrics,
    IReadOnlyList<SampleView> Samples,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>The run's source (its log path) lets a job row from before relative paths show one too.</summary>
    public static JobView From(JobEntity job, string? runSource = null) => new(
        job.Id, job.RunId, job.Kind, job.Status, JobCheckpoint.Shown(runSource, job.Checkpoint), Path.GetFileName(job.Checkpoint), job.CheckpointStep, job.Origin,
        job.Attempts, job.Queue, job.Slot, job.ExitCode, job.Reason,
        job.ProgressTotal is { } total ? new JobProgress(job.ProgressDone ?? 0, total) : null,
        job.OutputTail.Length == 0 ? [] : job.OutputTail.Split('\n'),
        job.ResultStep,
        job.MetricsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(job.MetricsJson, JobJson.Options),
        job.SamplesJson is null ? [] : [.. JsonSerializer.Deserialize<List<SamplePair>>(job.SamplesJson, JobJson.Options)!.Select(s => SampleView.From(job.Id, s))],
        UnixTime.ToDate(job.CreatedAtMs),
        UnixTime.ToDate(job.StartedAtMs),
        UnixTime.ToDate(job.FinishedAtMs));
}

/// <summary>One sample with the URLs of its images (served from the job's output folder only).</summary>
public sealed record SampleView(string Name, string? GroundTruth, string Generated, string? Difference)
{
    public static SampleView From(long jobId, SamplePair pair) => new(
        pair.Name, Url(jobId, pair.GroundTruth), Url(jobId, pair.Generated)!, Url(jobId, pair.Difference));

    private static string? Url(long jobId, string? file) => file is null ? null : $"/api/jobs/{jobId}/files/{Uri.EscapeDataString(file)}";
}

/// <summary>The JSON of the job row's text columns (metrics may be NaN).</summary>
internal static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
