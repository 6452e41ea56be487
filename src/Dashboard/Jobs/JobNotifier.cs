using Dashboard.Live;
using Dashboard.Storage.Entities;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Jobs;

/// <summary>Sends a job's new state as the hub's <c>job</c> message to everyone and to its run's hub clients, and tells its run's page and the jobs page.</summary>
public sealed class JobNotifier(IHubContext<LiveHub> hub, RunNotices notices, ILogger<JobNotifier> logger)
{
    public async Task PublishAsync(JobEntity job, CancellationToken cancellationToken)
    {
        // The run's page re-reads its checkpoints' jobs and samples.
        notices.NotifyJob(job.RunId);
        try
        {
            await hub.Clients.Groups(LiveHub.AllGroup, LiveHub.RunGroup(job.RunId)).SendAsync("job", JobView.From(job), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Sending job {JobId} to the hub failed", job.Id);
        }
    }
}
