using System.Threading.Channels;
using Dashboard.Configuration;
using Dashboard.Core.Records;
using Dashboard.Live;
using Microsoft.Extensions.Options;

namespace Dashboard.Ingestion;

/// <summary>
/// The single writer. Sources submit batches; the writer groups whatever is waiting (up to a point
/// count, or for a few milliseconds) into one transaction, then tells the live bus. A failed commit
/// is retried from a clean slate; a batch that fails twice is set aside with its error, so ingestion
/// never stops for one bad batch and nothing is lost or repeated.
/// </summary>
public sealed class IngestWriter(
    BatchCommitter committer,
    LiveBus bus,
    IOptions<DashboardOptions> options,
    TimeProvider clock,
    ILogger<IngestWriter> logger) : BackgroundService, IBatchSink
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
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
    public Task SubmitRunPointsAsync(long runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        WithinWriteTimeoutAsync(token => CommitAsync(IngestBatch.ForRun(runId, points, clock.GetUtcNow().ToUnixTimeMilliseconds()), token), cancellationToken);

    /// <summary>
    /// Submits a batch and returns once it is committed; throws <see cref="BatchQuarantinedException"/>
    /// when it was set aside instead. Call it inside <see cref="WithinWriteTimeoutAsync"/>.
    /// </summary>
    public async Task CommitAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SubmitAsync(batch with { Committed = committed }, cancellationToken);
        await committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Every wait on the writer is bounded: past <c>Ingest:WriteTimeoutSeconds</c> the caller gets
    /// <see cref="WriterBusyException"/> (an HTTP 503) instead of hanging behind a stuck store.
    /// </summary>
    public async Task<T> WithinWriteTimeoutAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.Ingest.WriteTimeoutSeconds);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return await work(bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WriterBusyException(timeout);
        }
    }

    public Task WithinWriteTimeoutAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        WithinWriteTimeoutAsync(async token => { await work(token); return true; }, cancellationToken);

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

    /// <summary>
    /// Commits the group; when it fails twice, each batch alone gets two tries, and a batch that fails
    /// both is set aside with its error (<see cref="BatchCommitter.QuarantineAsync"/>) so that one bad
    /// batch never stops every source. Only a store that cannot even take that is waited for.
    /// </summary>
    private async Task CommitWithRetryAsync(List<IngestBatch> group, CancellationToken stoppingToken)
    {
        for (var i = 0; i < group.Count; i++)
            group[i] = Screen(group[i]);
        await CommitOrSetAsideAsync(group, stoppingToken);
        // Committed or set aside: nothing reads the batches' points any more.
        foreach (var batch in group)
            PooledPoints.Return(batch.Points);
    }

    private async Task CommitOrSetAsideAsync(List<IngestBatch> group, CancellationToken stoppingToken)
    {
        if (await TryCommitTwiceAsync(group, stoppingToken) is not { } error)
            return;
        if (group.Count > 1)
        {
            foreach (var batch in group)
            {
                if (await TryCommitTwiceAsync([batch], stoppingToken) is { } own)
                    await QuarantineAsync(batch, own, stoppingToken);
            }
            return;
        }
        await QuarantineAsync(group[0], error, stoppingToken);
    }

    private IngestBatch Screen(IngestBatch batch)
    {
        var screened = batch.Screened();
        if (screened.Rejected.Count > 0)
            logger.LogWarning("{Source}: set aside {Points} points that no reader could show ({Reason}); the rest of the batch is stored",
                batch.Source.Key, screened.Rejected.Count, screened.RejectedReason);
        return screened;
    }

    /// <summary>Null when the commit went through, else the last error.</summary>
    private async Task<Exception?> TryCommitTwiceAsync(IReadOnlyList<IngestBatch> group, CancellationToken stoppingToken)
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            try
            {
                var committed = await committer.CommitAsync(group, stoppingToken);
                foreach (var batch in group)
                    batch.Committed?.TrySetResult();
                Publish(committed);
                return null;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                last = error;
                logger.LogError(error, "Commit of {Batches} batches failed (attempt {Attempt} of 2)", group.Count, attempt);
                await committer.ResetAsync();
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
        return last;
    }

    /// <summary>A subscriber's fault must not look like a failed commit, which would commit the batch again.</summary>
    private void Publish(IReadOnlyList<CommittedRun> committed)
    {
        foreach (var run in committed)
        {
            try
            {
                bus.Publish(run);
            }
            catch (Exception error)
            {
                logger.LogError(error, "Publishing run {RunId} after its commit failed", run.Run.Id);
            }
        }
    }

    private async Task QuarantineAsync(IngestBatch batch, Exception error, CancellationToken stoppingToken)
    {
        // The store's own words sit in the innermost exception (EF wraps SQLite's).
        var cause = error.GetBaseException();
        var reason = $"{cause.GetType().Name}: {cause.Message}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await committer.QuarantineAsync(batch, reason, clock.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken);
                logger.LogError("{Source}: set aside a batch of {Points} points and {Events} events after two failed commits ({Reason}); reading goes on after it",
                    batch.Source.Key, batch.Points.Count + batch.Rejected.Count, batch.Events.Count, reason);
                batch.Committed?.TrySetException(new BatchQuarantinedException(reason));
                return;
            }
            catch (Exception storeError) when (storeError is not OperationCanceledException)
            {
                // The store takes nothing at all (disk full, file gone): waiting is all that is left.
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(attempt, 8))));
                logger.LogError(storeError, "Setting a batch of {Source} aside failed too (attempt {Attempt}); retrying in {Delay}", batch.Source.Key, attempt, delay);
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
