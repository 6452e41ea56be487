using Dashboard.Core.Records;
using Dashboard.Core.Reports;
using Dashboard.Jobs;
using Dashboard.Storage.Entities;
using Dashboard.Storage;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dashboard.Reports;

/// <summary>Makes, finds, lists and revokes frozen reports.</summary>
public sealed class ReportService(
    IDbContextFactory<DashboardDbContext> contexts,
    IStoreDatabase database,
    RunSnapshotter snapshots,
    JobImages jobImages,
    IOptions<ReportsOptions> options,
    TimeProvider time,
    ILogger<ReportService> logger)
{
    /// <summary>Null when the run does not exist.</summary>
    public async Task<ReportEntity?> CreateForRunAsync(long runId, bool automatic, CancellationToken cancellationToken)
    {
        await using var csv = new PointsCsv();
        if (await snapshots.ReadAsync(runId, csv, [], cancellationToken) is not { } run)
            return null;
        var token = ReportToken.New();
        var (runs, files) = await FreezeSamplesAsync([run], token, cancellationToken);
        var report = await ReportBuilder.ForRunAsync(runs[0], time.GetUtcNow(), cancellationToken);
        return await SaveAsync(token, report, runs, files, csv, automatic, cancellationToken);
    }

    /// <summary>The report, or the first run id that does not exist.</summary>
    public async Task<(ReportEntity? Report, long? MissingRun)> CreateComparisonAsync(IReadOnlyList<long> runIds, CancellationToken cancellationToken)
    {
        await using var csv = new PointsCsv();
        var buffer = new List<StoredPoint>();
        var runs = new List<RunSource>(runIds.Count);
        foreach (var id in runIds)
        {
            if (await snapshots.ReadAsync(id, csv, buffer, cancellationToken) is not { } run)
                return (null, id);
            runs.Add(run);
        }
        var token = ReportToken.New();
        var (withSamples, files) = await FreezeSamplesAsync(runs, token, cancellationToken);
        var report = await ReportBuilder.ForComparisonAsync(withSamples, time.GetUtcNow(), cancellationToken);
        return (await SaveAsync(token, report, withSamples, files, csv, automatic: false, cancellationToken), null);
    }

    /// <summary>The frozen model's JSON, without the row's points CSV: a big run's CSV is tens of megabytes, and every view of the report reads this.</summary>
    public async Task<string?> FindModelJsonAsync(string token, CancellationToken cancellationToken)
    {
        if (!ReportToken.IsWellFormed(token))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<ReportEntity>().Where(r => r.Token == token).Select(r => r.ModelJson).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The points CSV, decompressed as it is read out of the row (SQLite's blob I/O, PostgreSQL's
    /// sequential read) rather than loaded whole; the connection must stay open until the stream is
    /// read. Null when the token is unknown.
    /// </summary>
    public async Task<(Stream Csv, DbConnection Connection)?> OpenPointsCsvAsync(string token, CancellationToken cancellationToken)
    {
        if (!ReportToken.IsWellFormed(token))
            return null;
        long id;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Set<ReportEntity>().Where(r => r.Token == token).Select(r => (long?)r.Id).SingleOrDefaultAsync(cancellationToken) is not { } found)
                return null;
            id = found;
        }
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            // Revoked meanwhile: gone.
            if (await database.ReadStreamAsync(connection, ReportEntity.Table, nameof(ReportEntity.PointsCsvGzip), id, cancellationToken) is { } compressed)
                return (PointsCsv.Open(compressed), connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Newest first, without the frozen bodies.</summary>
    public async Task<IReadOnlyList<ReportListItem>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<ReportEntity>().AsNoTracking().OrderByDescending(r => r.Id)
            .Select(r => new { r.Token, r.Kind, r.Title, r.RunIds, r.Automatic, r.CreatedAtMs })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ReportListItem(r.Token, r.Kind, r.Title, ParseRunIds(r.RunIds), r.Automatic,
            UnixTime.ToDate(r.CreatedAtMs), $"/r/{r.Token}"))];
    }

    /// <summary>Deletes the report; false when there was none.</summary>
    public async Task<bool> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        if (!ReportToken.IsWellFormed(token))
            return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.Set<ReportEntity>().Where(r => r.Token == token).ExecuteDeleteAsync(cancellationToken) > 0;
        if (deleted)
            logger.LogInformation("Report {TokenStart}… revoked", token[..4]);
        return deleted;
    }

    public async Task<bool> HasAutomaticReportAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.Set<ReportEntity>().AnyAsync(r => r.Automatic && r.RunIds == ids, cancellationToken);
    }

    /// <summary>A sample image the report holds, by its token and file name; null when either is unknown.</summary>
    public async Task<ReportFileEntity?> FindFileAsync(string token, string name, CancellationToken cancellationToken)
    {
        if (!ReportToken.IsWellFormed(token) || !Core.Jobs.SampleManifest.IsSafeImageName(name))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<ReportFileEntity>().AsNoTracking()
            .Where(f => f.Name == name && db.Set<ReportEntity>().Any(r => r.Id == f.ReportId && r.Token == token))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Copies each run's early and late samples out of its jobs' folders, within one byte budget for the
    /// whole report, so the report still shows them after the jobs are deleted.
    /// </summary>
    private async Task<(IReadOnlyList<RunSource> Runs, IReadOnlyList<FrozenFile> Files)> FreezeSamplesAsync(
        IReadOnlyList<RunSource> runs, string token, CancellationToken cancellationToken)
    {
        var left = options.Value.MaxSampleBytes;
        var files = new List<FrozenFile>();
        var frozen = new List<RunSource>(runs.Count);
        foreach (var run in runs)
        {
            var jobs = await snapshots.SampleJobsAsync(run.Run.Id, cancellationToken);
            var (section, copied) = ReportSamples.Freeze(jobs, jobImages.Read, left, $"/r/{token}/samples/");
            left -= copied.Sum(f => (long)f.Bytes.Length);
            files.AddRange(copied);
            frozen.Add(run with { Run = run.Run with { Samples = section } });
        }
        return (frozen, files);
    }

    /// <summary>The returned entity's <see cref="ReportEntity.PointsCsvGzip"/> is empty: the CSV went from its file straight into the row.</summary>
    private async Task<ReportEntity> SaveAsync(string token, Report report, IReadOnlyList<RunSource> runs, IReadOnlyList<FrozenFile> files, PointsCsv csv,
        bool automatic, CancellationToken cancellationToken)
    {
        var entity = new ReportEntity
        {
            Token = token,
            Kind = report.Kind,
            Title = report.Title,
            RunIds = string.Join(',', runs.Select(r => r.Run.Id)),
            Automatic = automatic,
            CreatedAtMs = report.CreatedAt.ToUnixTimeMilliseconds(),
            ModelJson = ReportJson.Serialize(report),
            PointsCsvGzip = [],
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // One transaction: a report is never seen without its images.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        // From the CSV's temporary file: as a property of the entity it would be one byte array the size of the whole compressed CSV.
        await database.WriteStreamAsync(transaction.GetDbTransaction(), ReportEntity.Table, nameof(ReportEntity.PointsCsvGzip), entity.Id, await csv.CompressedAsync(), cancellationToken);
        db.AddRange(files.Select(f => new ReportFileEntity { ReportId = entity.Id, Name = f.Name, ContentType = "image/png", Bytes = f.Bytes }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Report made for run(s) {Runs} ({Kind}{Automatic})", entity.RunIds, entity.Kind, automatic ? ", automatic" : "");
        return entity;
    }

    private static IReadOnlyList<long> ParseRunIds(string ids) =>
        [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>A row of `GET /api/reports` and of the reports page.</summary>
public sealed record ReportListItem(string Token, string Kind, string Title, IReadOnlyList<long> Runs, bool Automatic, DateTimeOffset CreatedAt, string Url);
