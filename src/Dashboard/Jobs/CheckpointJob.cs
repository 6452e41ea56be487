using Quartz;

namespace Dashboard.Jobs;

/// <summary>What Quartz fires: runs the job whose id the trigger's job carries.</summary>
public sealed class CheckpointJob(JobRunner runner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runner.RunAsync(context.MergedJobDataMap.GetLong(JobQueue.JobIdKey), cancellationToken);
}
