using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using Dashboard.Configuration;
using Dashboard.Core.Configuration;
using Dashboard.Core.Records;
using Dashboard.Live;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Ingestion;

/// <summary>
/// Commits batches in one transaction each: runs, metrics and their summaries, events, points, and
/// every source's offset and parser state. Keeps the rows it writes tracked in memory so a batch
/// costs no reads. Used by the single writer only.
/// EF's automatic change detection is off: it scanned every tracked run, file and metric (thousands
/// with a team's runs) at each save, most of a commit's time. A commit scans only what it touched.
/// </summary>
public sealed class BatchCommitter(IStoreDatabase database, IPointStore pointStore, IOptions<DashboardOptions> options) : IAsyncDisposable
{
    private System.Data.Common.DbConnection? _connection;
    private DashboardDbContext? _db;
    private readonly Dictionary<string, SourceFileEntity> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<long, RunEntity> _runs = [];
    // Runs by what their sources share (a text log's path, an event-file run's folder): a second event file is no second run.
    private readonly Dictionary<string, RunEntity> _runsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(long RunId, string Key), MetricEntity> _metrics = [];
    private readonly Dictionary<long, List<MetricEntity>> _runMetrics = [];
    // The tracked rows this commit may have changed: the only ones a save looks at.
    private readonly HashSet<object> _touched = new(ReferenceEqualityComparer.Instance);
    private readonly List<RunEventEntity> _addedEvents = [];

    private int MaxMetricsPerRun => options.Value.Ingest.MaxMetricsPerRun;

    public async Task<IReadOnlyList<CommittedRun>> CommitAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changes = new Dictionary<long, RunChanges>();

        foreach (var batch in batches)
        {
            if (batch.RunId is { } target)
            {
                // A run removed meanwhile has nothing to attach the points to.
                if (await KnownRunAsync(db, target, cancellationToken) is { } owner)
                {
                    _touched.Add(owner);
                    var placed = changes.TryGetValue(target, out var c) ? c : changes[target] = new RunChanges(owner);
                    await PlacePointsAsync(db, transaction.GetDbTransaction(), placed, batch.Points, cancellationToken);
                    SetAsideRejected(db, target, batch);
                    SetAsideOverLimit(db, placed, batch);
                }
                continue;
            }
            var file = await SourceFileAsync(db, batch.Source.Key, cancellationToken);
            // The store is past (or away from) where the batch starts: it was committed before, its answer lost.
            if (batch.ExpectedOffset is { } from && !await StandsAtAsync(db, file, from, cancellationToken))
                continue;
            file.Offset = batch.Offset;
            file.ParserStateJson = JsonSerializer.Serialize(batch.ParserState);
            if (file.RunId is null && !batch.YieldedRecords)
            {
                SetAsideRejected(db, null, batch);
                await SaveAsync(db, cancellationToken);
                continue;
            }
            var run = await RunAsync(db, file, batch, cancellationToken);
            _touched.Add(run);
            SetAsideRejected(db, run.Id, batch);
            run.SkippedBytes += batch.SkippedBytes;
            if (!batch.HasRecords)
                continue;
            var change = changes.TryGetValue(run.Id, out var existing) ? existing : changes[run.Id] = new RunChanges(run);
            await ApplyAsync(db, transaction, change, batch, cancellationToken);
            SetAsideOverLimit(db, change, batch);
        }

        await FlushAllAsync(transaction.GetDbTransaction(), changes.Values, cancellationToken);
        await SaveAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Settle(db);
        return [.. changes.Values.Select(c => new CommittedRun(
            c.Run.ToSummary(MetricsOf(c.Run.Id)), c.Points(), c.Events) { RewoundFrom = c.WorkList.Min(w => w.RewrittenFrom) })];
    }

    /// <summary>
    /// Sets a batch aside that could not be committed, with the error, and moves its source past it
    /// in one transaction of its own: the next batch of that source, and every other source, go on.
    /// </summary>
    public async Task QuarantineAsync(IngestBatch batch, string reason, long nowMs, CancellationToken cancellationToken)
    {
        var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        long? runId = batch.RunId;
        if (batch.RunId is null)
        {
            var file = await SourceFileAsync(db, batch.Source.Key, cancellationToken);
            if (batch.ExpectedOffset is { } from && !await StandsAtAsync(db, file, from, cancellationToken))
                return;
            file.Offset = batch.Offset;
            file.ParserStateJson = JsonSerializer.Serialize(batch.ParserState);
            runId = file.RunId;
        }
        db.Quarantine.Add(QuarantinedBatch.Entity(runId, batch, batch.Points.Concat(batch.Rejected).ToList(), batch.Events, reason, nowMs));
        await SaveAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Settle(db);
    }

    private static void SetAsideRejected(DashboardDbContext db, long? runId, IngestBatch batch)
    {
        if (batch.Rejected.Count > 0)
            db.Quarantine.Add(QuarantinedBatch.Entity(runId, batch, batch.Rejected, [], batch.RejectedReason ?? "out of range", batch.SourceTimeMs));
    }

    private void SetAsideOverLimit(DashboardDbContext db, RunChanges change, IngestBatch batch)
    {
        if (change.OverLimit.Count == 0)
            return;
        db.Quarantine.Add(QuarantinedBatch.Entity(change.Run.Id, batch, [.. change.OverLimit], [],
            $"new metric keys after the run's first {MaxMetricsPerRun:N0} metrics (Ingest:MaxMetricsPerRun), such as '{change.OverLimit[0].Key}'", batch.SourceTimeMs));
        change.OverLimit.Clear();
    }

    /// <summary>Marks running runs that have been quiet too long as stalled; returns the runs it changed.</summary>
    public async Task<IReadOnlyList<CommittedRun>> MarkStalledAsync(long nowMs, long stalledAfterMs, CancellationToken cancellationToken)
    {
        var db = await OpenAsync(cancellationToken);
        var stalled = _runs.Values.Where(r => r.Status == RunStatus.Running && nowMs - r.UpdatedAtMs > stalledAfterMs).ToList();
        if (stalled.Count == 0)
            return [];
        foreach (var run in stalled)
        {
            run.Status = RunStatus.Stalled;
            _touched.Add(run);
        }
        await SaveAsync(db, cancellationToken);
        Settle(db);
        return [.. stalled.Select(r => new CommittedRun(r.ToSummary(MetricsOf(r.Id)), new Dictionary<string, List<StoredPoint>>(), []))];
    }

    /// <summary>Forgets everything in memory after a failed commit; the next commit reloads from the store.</summary>
    public async Task ResetAsync()
    {
        _files.Clear();
        _runs.Clear();
        _runsByKey.Clear();
        _metrics.Clear();
        _runMetrics.Clear();
        _touched.Clear();
        _addedEvents.Clear();
        if (_db is not null)
            await _db.DisposeAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
        _db = null;
        _connection = null;
    }

    public async ValueTask DisposeAsync() => await ResetAsync();

    private async Task<DashboardDbContext> OpenAsync(CancellationToken cancellationToken)
    {
        if (_db is not null)
            return _db;
        _connection = await database.OpenAsync(cancellationToken);
        _db = new DashboardDbContext(database.Configure(new DbContextOptionsBuilder<DashboardDbContext>(), _connection).Options);
        _db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var run in await _db.Runs.ToListAsync(cancellationToken))
        {
            _runs[run.Id] = run;
            _runsByKey.TryAdd(SourceIdentity.ForFile(run.Source).RunKey, run);
        }
        foreach (var metric in await _db.Metrics.ToListAsync(cancellationToken))
            Remember(metric);
        return _db;
    }

    private void Remember(MetricEntity metric)
    {
        _metrics[(metric.RunId, metric.Key)] = metric;
        if (!_runMetrics.TryGetValue(metric.RunId, out var list))
            _runMetrics[metric.RunId] = list = [];
        list.Add(metric);
    }

    private IReadOnlyList<MetricEntity> MetricsOf(long runId) => _runMetrics.TryGetValue(runId, out var list) ? list : [];

    /// <summary>Saves what this commit added or touched: added rows are saved as they are, touched ones are scanned for changes first.</summary>
    private async Task SaveAsync(DashboardDbContext db, CancellationToken cancellationToken)
    {
        foreach (var entity in _touched)
            db.Entry(entity).DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>After a commit: events are never read back, so they are not kept; the next commit starts with nothing touched.</summary>
    private void Settle(DashboardDbContext db)
    {
        foreach (var runEvent in _addedEvents)
            db.Entry(runEvent).State = EntityState.Detached;
        _addedEvents.Clear();
        _touched.Clear();
    }

    private async Task<SourceFileEntity> SourceFileAsync(DashboardDbContext db, string key, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue(key, out var file))
        {
            file = await db.SourceFiles.SingleOrDefaultAsync(f => f.Path == key, cancellationToken);
            if (file is null)
            {
                file = new SourceFileEntity { Path = key };
                db.SourceFiles.Add(file);
            }
            _files[key] = file;
        }
        _touched.Add(file);
        return file;
    }

    /// <summary>
    /// Whether the source's offset is <paramref name="offset"/>, read again from the store when the remembered one
    /// differs: another web instance may have committed this agent's batches meanwhile (a proxy moved them over).
    /// </summary>
    private static async Task<bool> StandsAtAsync(DashboardDbContext db, SourceFileEntity file, long offset, CancellationToken cancellationToken)
    {
        if (file.Offset == offset)
            return true;
        if (db.Entry(file).State != EntityState.Added)
            await db.Entry(file).ReloadAsync(cancellationToken);
        return file.Offset == offset;
    }

    /// <summary>
    /// A run by id, read from the store (with its metrics) when this writer has not seen it: on a shared store
    /// another web instance may have made it since this one loaded its runs (a job's results for it, an agent's
    /// batches moved over). Null when there is no such run.
    /// </summary>
    private async Task<RunEntity?> KnownRunAsync(DashboardDbContext db, long runId, CancellationToken cancellationToken)
    {
        if (_runs.TryGetValue(runId, out var known))
            return known;
        if (await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken) is not { } run)
            return null;
        _runs[run.Id] = run;
        _runsByKey.TryAdd(SourceIdentity.ForFile(run.Source).RunKey, run);
        foreach (var metric in await db.Metrics.Where(m => m.RunId == runId).ToListAsync(cancellationToken))
            Remember(metric);
        return run;
    }

    private async Task<RunEntity> RunAsync(DashboardDbContext db, SourceFileEntity file, IngestBatch batch, CancellationToken cancellationToken)
    {
        if (file.RunId is { } runId && await KnownRunAsync(db, runId, cancellationToken) is { } known)
            return known;
        if (_runsByKey.TryGetValue(batch.Source.RunKey, out var shared))
        {
            file.RunId = shared.Id;
            return shared;
        }
        var startedAt = batch.Points.Count > 0 ? Math.Min(batch.Points[0].UnixMs, batch.SourceTimeMs) : batch.SourceTimeMs;
        var run = new RunEntity
        {
            Name = batch.Source.Name,
            Project = batch.Source.Project,
            Source = batch.Source.Key,
            Status = RunStatus.Running,
            StartedAtMs = startedAt,
            UpdatedAtMs = startedAt,
        };
        db.Runs.Add(run);
        await SaveAsync(db, cancellationToken);
        file.RunId = run.Id;
        _runsByKey[batch.Source.RunKey] = run;
        return _runs[run.Id] = run;
    }

    private async Task ApplyAsync(DashboardDbContext db, IDbContextTransaction transaction, RunChanges change, IngestBatch batch, CancellationToken cancellationToken)
    {
        var run = change.Run;
        if (batch.ConfigJson is not null && JsonNode.Parse(batch.ConfigJson) is JsonObject update)
            run.ConfigJson = RunConfigFiles.Merge(RunMapping.ParseConfig(run.ConfigJson), update).ToJsonString();
        if (batch.SummaryJson is not null && JsonNode.Parse(batch.SummaryJson) is JsonObject figures)
            run.SummaryJson = RunConfigFiles.Merge(RunMapping.ParseConfig(run.SummaryJson), figures).ToJsonString();
        if (batch.TotalSteps is > 0)
            run.TotalSteps = batch.TotalSteps;
        if (batch.Points.Count > 0)
            await WritePointsAsync(db, transaction.GetDbTransaction(), change, batch.Points, cancellationToken);

        run.UpdatedAtMs = Math.Max(run.UpdatedAtMs, batch.SourceTimeMs);
        if (batch.Points.Count > 0)
        {
            run.Step = batch.Points[^1].Step;
            run.UpdatedAtMs = Math.Max(run.UpdatedAtMs, batch.Points[^1].UnixMs);
            run.Status = RunStatus.Running;
        }
        foreach (var runEvent in batch.Events)
        {
            var row = new RunEventEntity { RunId = run.Id, Kind = runEvent.Kind, Step = runEvent.Step, UnixMs = runEvent.UnixMs, Message = runEvent.Message };
            db.RunEvents.Add(row);
            _addedEvents.Add(row);
            change.Events.Add(runEvent);
            run.Status = runEvent.Kind switch
            {
                RunEventKind.Crash or RunEventKind.OutOfMemory => RunStatus.Crashed,
                RunEventKind.Finished => RunStatus.Finished,
                _ => run.Status,
            };
        }
        if (run.Status == RunStatus.Running && run.Step >= run.TotalSteps)
            run.Status = RunStatus.Finished;
    }

    /// <summary>
    /// Sorts a batch's points into per-metric lists (which the live bus gets as they are) and tracks
    /// each metric's last step; the lists reach the store at the end of the commit. A step that goes
    /// back is a resume from a checkpoint: what is pending is written, then the abandoned steps go.
    /// </summary>
    private async Task WritePointsAsync(DashboardDbContext db, System.Data.Common.DbTransaction transaction, RunChanges change, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        points = Spannable(points);
        var works = ArrayPool<int>.Shared.Rent(points.Count);
        try
        {
            Route(db, change, points, works);
            // The points go to their metrics' lists in synchronous passes over a span (a loop in an async method kept
            // its locals in the state machine, and this runs for every point); only a rewrite needs the store.
            for (var from = 0; from < points.Count;)
            {
                var rewind = AddUntilRewind(change, points, works, from);
                if (rewind == points.Count)
                    break;
                var work = change.WorkList[works[rewind]];
                var step = points[rewind].Step;
                await FlushAsync(transaction, work, cancellationToken);
                await pointStore.DeleteFromAsync(transaction, work.Metric.Id, step, cancellationToken);
                work.Rewrote(step);
                Add(work, points[rewind]);
                from = rewind + 1;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(works);
        }
    }

    /// <summary>
    /// Each point's metric (its index in the work list, −1 past the run's metric limit) into <paramref name="works"/>,
    /// and each metric's list made room for its points of the batch at once: grown point by point, the lists of a large
    /// batch were copied again and again, and went to the live bus up to half empty.
    /// </summary>
    private void Route(DashboardDbContext db, RunChanges change, IReadOnlyList<MetricPoint> points, int[] works)
    {
        var span = Span(points);
        for (var p = 0; p < span.Length; p++)
            works[p] = WorkIndex(db, change, span[p]);
        var counts = new int[change.WorkList.Count];
        foreach (var work in works.AsSpan(0, span.Length))
        {
            if (work >= 0)
                counts[work]++;
        }
        // EnsureCapacity at least doubles: a commit of many small batches grows each list a few times, not once per batch.
        for (var w = 0; w < counts.Length; w++)
            change.WorkList[w].Points.EnsureCapacity(change.WorkList[w].Points.Count + counts[w]);
    }

    /// <summary>Adds the points from <paramref name="from"/> on to their metrics up to the first that goes back to a step its metric has (a resume): its index, or the count when none does.</summary>
    private static int AddUntilRewind(RunChanges change, IReadOnlyList<MetricPoint> points, int[] works, int from)
    {
        var span = Span(points);
        var list = change.WorkList;
        for (var p = from; p < span.Length; p++)
        {
            if (works[p] < 0)
                continue;
            var work = list[works[p]];
            if (work.HasLast && span[p].Step <= work.LastStep)
                return p;
            Add(work, span[p]);
        }
        return span.Length;
    }

    private static void Add(MetricWork work, in MetricPoint point)
    {
        work.HasLast = true;
        work.LastStep = point.Step;
        work.Points.Add(new StoredPoint(point.Step, point.Value, point.UnixMs));
    }

    /// <summary>The points as a list <see cref="Span"/> reads without copying: a tailer's pooled batch, a list or an array as they are, anything else (an agent's batch) copied once.</summary>
    private static IReadOnlyList<MetricPoint> Spannable(IReadOnlyList<MetricPoint> points) =>
        points is PooledPoints or List<MetricPoint> or MetricPoint[] ? points : points.ToArray();

    private static ReadOnlySpan<MetricPoint> Span(IReadOnlyList<MetricPoint> points) => points switch
    {
        PooledPoints pooled => pooled.AsSpan(),
        List<MetricPoint> list => CollectionsMarshal.AsSpan(list),
        _ => (MetricPoint[])points,
    };

    /// <summary>The point's metric in the commit under way (its index in the work list), or −1 past the run's metric limit.</summary>
    private int WorkIndex(DashboardDbContext db, RunChanges change, in MetricPoint point)
    {
        // Parsers hand out one string per key, so the last keys are matched by reference first.
        var recent = change.RecentKeys;
        for (var r = 0; r < recent.Length; r++)
        {
            if (ReferenceEquals(recent[r], point.Key))
                return change.RecentWorks[r];
        }
        if (Work(db, change, point) is not { } work)
            return -1;
        recent[change.NextRecent] = point.Key;
        change.RecentWorks[change.NextRecent] = work.Index;
        change.NextRecent = (change.NextRecent + 1) % recent.Length;
        return work.Index;
    }

    /// <summary>
    /// Puts points of an existing run at their steps, whatever the metric's last step: a step already
    /// stored is replaced and later steps stay (an evaluation of an older checkpoint may finish last).
    /// </summary>
    private async Task PlacePointsAsync(DashboardDbContext db, System.Data.Common.DbTransaction transaction, RunChanges change, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        foreach (var point in points.OrderBy(p => p.Step))
        {
            if (Work(db, change, point) is not { } work)
                continue;
            var placed = new StoredPoint(point.Step, point.Value, point.UnixMs);
            if (!work.HasLast || point.Step > work.LastStep)
            {
                work.HasLast = true;
                work.LastStep = point.Step;
                work.Points.Add(placed);
                continue;
            }
            await FlushAsync(transaction, work, cancellationToken);
            var tail = new SortedDictionary<long, StoredPoint>();
            foreach (var stored in await pointStore.ReadAsync(work.Metric.Id, StepRange.Starting(point.Step), null, cancellationToken))
                tail[stored.Step] = stored;
            foreach (var pending in work.Points.Where(p => p.Step >= point.Step))
                tail[pending.Step] = pending;
            tail[point.Step] = placed;
            await pointStore.DeleteFromAsync(transaction, work.Metric.Id, point.Step, cancellationToken);
            work.Points.AddRange(tail.Values);
            work.Rewrote(point.Step);
        }
    }

    /// <summary>
    /// The metric a point goes to, created on its first point; null when the run already has as many
    /// metrics as a run may have: the point is kept aside (see <see cref="SetAsideOverLimit"/>), since a
    /// log that writes a new key on every line would otherwise make every page, rule and answer about
    /// that run grow without bound.
    /// </summary>
    private MetricWork? Work(DashboardDbContext db, RunChanges change, MetricPoint point)
    {
        if (change.Works.TryGetValue(point.Key, out var work))
            return work;
        var run = change.Run;
        if (!_metrics.TryGetValue((run.Id, point.Key), out var metric))
        {
            if (MetricsOf(run.Id).Count >= MaxMetricsPerRun)
            {
                change.OverLimit.Add(point);
                return null;
            }
            metric = new MetricEntity { RunId = run.Id, Key = point.Key, FirstStep = point.Step, LastStep = point.Step };
            db.Metrics.Add(metric);
            Remember(metric);
            change.CreatedMetrics = true;
        }
        _touched.Add(metric);
        work = new MetricWork(metric, change.WorkList.Count) { HasLast = metric.Count > 0, LastStep = metric.LastStep };
        change.Works[point.Key] = work;
        change.WorkList.Add(work);
        return work;
    }

    /// <summary>Writes a metric's points not yet in the store (new metrics get their ids first).</summary>
    private async Task FlushAsync(System.Data.Common.DbTransaction transaction, MetricWork work, CancellationToken cancellationToken)
    {
        if (work.Stored == work.Points.Count)
            return;
        if (work.Metric.Id == 0)
            await SaveAsync(_db!, cancellationToken);
        var pending = work.Stored == 0 ? work.Points : work.Points.GetRange(work.Stored, work.Points.Count - work.Stored);
        if (!work.Rewritten)
            MetricSummaries.AddRange(work.Metric, pending);
        await pointStore.AppendAsync(transaction, work.Metric.Id, pending, cancellationToken);
        work.Stored = work.Points.Count;
    }

    private async Task FlushAllAsync(System.Data.Common.DbTransaction transaction, IEnumerable<RunChanges> changes, CancellationToken cancellationToken)
    {
        var db = _db!;
        if (changes.Any(c => c.CreatedMetrics))
            await SaveAsync(db, cancellationToken);
        foreach (var change in changes)
        {
            foreach (var work in change.WorkList)
            {
                await FlushAsync(transaction, work, cancellationToken);
                if (work.Rewritten)
                    MetricSummaries.Set(work.Metric, await pointStore.AggregateAsync(transaction, work.Metric.Id, cancellationToken));
            }
        }
    }

    private sealed class RunChanges(RunEntity run)
    {
        public RunEntity Run { get; } = run;
        public Dictionary<string, MetricWork> Works { get; } = new(StringComparer.Ordinal);
        public List<MetricWork> WorkList { get; } = [];
        public bool CreatedMetrics { get; set; }
        public List<RunEvent> Events { get; } = [];
        public List<MetricPoint> OverLimit { get; } = [];

        /// <summary>The last keys met and their works' indexes: a batch's lines name the same few keys over and over.</summary>
        public string?[] RecentKeys { get; } = new string?[8];
        public int[] RecentWorks { get; } = new int[8];
        public int NextRecent { get; set; }

        /// <summary>The points of this commit per metric key, for the live bus.</summary>
        public Dictionary<string, List<StoredPoint>> Points() =>
            WorkList.Where(w => w.Points.Count > 0).ToDictionary(w => w.Metric.Key, w => w.Points, StringComparer.Ordinal);
    }

    /// <summary>One metric's points in the commit under way.</summary>
    private sealed class MetricWork(MetricEntity metric, int index)
    {
        public MetricEntity Metric { get; } = metric;
        public int Index { get; } = index;
        public List<StoredPoint> Points { get; } = [];
        public int Stored { get; set; }
        public bool HasLast { get; set; }
        public long LastStep { get; set; }
        public bool Rewritten => RewrittenFrom is not null;

        /// <summary>The lowest step whose stored points this commit replaced.</summary>
        public long? RewrittenFrom { get; private set; }

        public void Rewrote(long fromStep) => RewrittenFrom = Math.Min(RewrittenFrom ?? fromStep, fromStep);
    }
}
