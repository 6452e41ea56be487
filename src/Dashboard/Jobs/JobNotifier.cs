using Dashboard.Live;
using Dashboard.Storage.Entities;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Jobs;

/// <summary>Sends a job's new state as the hub's <c>job</c> message to everyone and to its run's page.</summary>
public sealed class JobNotifier(IHubContext<LiveHub> hub, ILogger<JobNotifier> logger)
{
    public async Task PublishAsync(JobEntity job, CancellationToken cancellationToken)
    {
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
