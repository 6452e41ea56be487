using System.Threading.Channels;
using Dashboard.Configuration;
using Dashboard.Core.Records;
using Dashboard.Live;
using Microsoft.Extensions.Options;

namespace Dashboard.Ingestion;

/// <summary>
/// The single writer. Sources submit batches; the writer groups whatever is waiting (up to a point
/// count, or for a few milliseconds) into one transaction, then tells the live bus. A failed commit
/// is retried with backoff from a clean slate: ingestion stalls rather than loses or repeats data.
/// </summary>
public sealed class IngestWriter(
    BatchCommitter committer,
    LiveBus bus,
    IOptions<DashboardOptions> options,
    TimeProvider clock,
    ILogger<IngestWriter> logger) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);
    private readonly Channel<IngestBatch> _queue = Channel.CreateBounded<IngestBatch>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    // Batches of a log read from its start are a megabyte of text each: 256 of them would be
    // hundreds of megabytes of points. So the queue is bounded by points too.
    private readonly Lock _budgetGate = new();
    private long _queuedPoints;
    private TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long MaxQueuedPoints => Math.Max(100_000, 2L * options.Value.Ingest.BatchMaxPoints);

    /// <summary>Waits while the writer is behind, which slows readers down instead of growing memory.</summary>
    public async ValueTask SubmitAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var points = batch.Points.Count;
        while (true)
        {
            Task drained;
            lock (_budgetGate)
            {
                // One batch always fits when nothing waits, whatever its size.
                if (_queuedPoints == 0 || _queuedPoints + points <= MaxQueuedPoints)
                {
                    _queuedPoints += points;
                    break;
                }
                drained = _drained.Task;
            }
            await drained.WaitAsync(cancellationToken);
        }
        try
        {
            await _queue.Writer.WriteAsync(batch, cancellationToken);
        }
        catch
        {
            Release(points);
            throw;
        }
    }

    /// <summary>Adds points to an existing run (a job's results) and returns once they are committed and published.</summary>
    public async Task SubmitRunPointsAsync(long runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SubmitAsync(IngestBatch.ForRun(runId, points, clock.GetUtcNow().ToUnixTimeMilliseconds()) with { Committed = committed }, cancellationToken);
        await committed.Task.WaitAsync(cancellationToken);
    }

    private void Release(int points)
    {
        if (points == 0)
            return;
        TaskCompletionSource drained;
        lock (_budgetGate)
        {
            _queuedPoints -= points;
            drained = _drained;
            _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        drained.TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ingest = options.Value.Ingest;
        var stalledAfterMs = options.Value.Watch.StalledAfterSeconds * 1000L;
        var group = new List<IngestBatch>();
        var nextSweep = clock.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(SweepInterval);
                    try
                    {
                        await _queue.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }
                await GatherAsync(group, ingest, stoppingToken);
                if (group.Count > 0)
                    await CommitWithRetryAsync(group, stoppingToken);
                group.Clear();

                if (clock.GetUtcNow() >= nextSweep)
                {
                    nextSweep = clock.GetUtcNow() + SweepInterval;
                    await SweepAsync(stalledAfterMs, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await committer.DisposeAsync();
        }
    }

    private async Task GatherAsync(List<IngestBatch> group, IngestOptions ingest, CancellationToken stoppingToken)
    {
        var points = 0;
        var deadline = clock.GetUtcNow().AddMilliseconds(ingest.BatchDelayMs);
        while (points < ingest.BatchMaxPoints)
        {
            if (_queue.Reader.TryRead(out var batch))
            {
                group.Add(batch);
                points += batch.Points.Count;
                Release(batch.Points.Count);
                continue;
            }
            var left = deadline - clock.GetUtcNow();
            if (group.Count == 0 || left <= TimeSpan.Zero)
                return;
            await Task.Delay(left, stoppingToken);
        }
    }

    private async Task CommitWithRetryAsync(List<IngestBatch> group, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var committed = await committer.CommitAsync(group, stoppingToken);
                foreach (var run in committed)
                    bus.Publish(run);
                foreach (var batch in group)
                    batch.Committed?.TrySetResult();
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(attempt, 8))));
                logger.LogError(error, "Commit of {Batches} batches failed (attempt {Attempt}); retrying in {Delay}", group.Count, attempt, delay);
                await committer.ResetAsync();
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private async Task SweepAsync(long stalledAfterMs, CancellationToken stoppingToken)
    {
        try
        {
            foreach (var run in await committer.MarkStalledAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), stalledAfterMs, stoppingToken))
                bus.Publish(run);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "Marking stalled runs failed");
            await committer.ResetAsync();
        }
    }
}
