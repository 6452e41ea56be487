using Dashboard.Configuration;
using Dashboard.Storage.Entities;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>The checks and the enqueue behind "start a job on a checkpoint", shared by the API and the run page.</summary>
public sealed class JobStarter(CheckpointReader checkpoints, JobQueue queue, IOptions<DashboardOptions> options)
{
    public async Task<JobStart> StartAsync(long runId, string? kind, string? checkpoint, CancellationToken cancellationToken)
    {
        if (kind is not ("evaluate" or "sample"))
            return JobStart.Refused(StatusCodes.Status400BadRequest, "Invalid kind", $"kind must be \"evaluate\" or \"sample\"; it was {(kind is null ? "missing" : $"\"{kind}\"")}.");
        if (string.IsNullOrWhiteSpace(checkpoint))
            return JobStart.Refused(StatusCodes.Status400BadRequest, "Missing checkpoint", "checkpoint must name one of the run's checkpoints (its path or file name, as GET /api/runs/{id}/checkpoints lists them).");
        if (await checkpoints.ListAsync(runId, cancellationToken) is not { } list)
            return JobStart.Refused(StatusCodes.Status404NotFound, "Run not found", $"There is no run {runId}.");
        // A training node's run is evaluated by that node's worker, with the commands configured there.
        if (!list.Any(c => c.Node is not null) && JobsOptionsValidation.CommandOf(options.Value.Jobs, kind).Count == 0)
        {
            var key = kind == "evaluate" ? "Jobs:Evaluate:Command" : "Jobs:Sample:Command";
            return JobStart.Refused(StatusCodes.Status409Conflict, "Job kind not configured", $"{key} is not configured, so {kind} jobs cannot run (see README, Jobs on checkpoints).");
        }
        // Only a checkpoint the run lists (a file inside its folder tree, shown relative to its folder) can be given to a job.
        var found = list.FirstOrDefault(c => c.Path == checkpoint) ?? list.LastOrDefault(c => c.Name == checkpoint);
        if (found is null)
            return JobStart.Refused(StatusCodes.Status404NotFound, "Checkpoint not found", $"Run {runId} has no checkpoint '{checkpoint}'.");
        if (!found.Exists)
            return JobStart.Refused(StatusCodes.Status409Conflict, "Checkpoint is gone", $"{found.Path} no longer exists.");
        var job = await queue.EnqueueAsync(runId, kind == "sample" ? JobKind.Sample : JobKind.Evaluate, found.Path, found.Step, "manual", cancellationToken);
        return new JobStart(job, StatusCodes.Status202Accepted, "", "");
    }
}

/// <summary>A started job, or why none was: an HTTP status with a problem's title and detail.</summary>
public sealed record JobStart(JobEntity? Job, int Status, string Title, string Detail)
{
    public static JobStart Refused(int status, string title, string detail) => new(null, status, title, detail);
}
