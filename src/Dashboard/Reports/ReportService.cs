using Dashboard.Core.Reports;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Reports;

/// <summary>Makes, finds, lists and revokes frozen reports.</summary>
public sealed class ReportService(
    IDbContextFactory<DashboardDbContext> contexts,
    RunSnapshotter snapshots,
    TimeProvider time,
    ILogger<ReportService> logger)
{
    /// <summary>Null when the run does not exist.</summary>
    public async Task<ReportEntity?> CreateForRunAsync(long runId, bool automatic, CancellationToken cancellationToken)
    {
        if (await snapshots.ReadAsync(runId, cancellationToken) is not { } run)
            return null;
        return await SaveAsync(ReportBuilder.ForRun(run, time.GetUtcNow()), [run], automatic, cancellationToken);
    }

    /// <summary>The report, or the first run id that does not exist.</summary>
    public async Task<(ReportEntity? Report, long? MissingRun)> CreateComparisonAsync(IReadOnlyList<long> runIds, CancellationToken cancellationToken)
    {
        var runs = new List<RunInput>(runIds.Count);
        foreach (var id in runIds)
        {
            if (await snapshots.ReadAsync(id, cancellationToken) is not { } run)
                return (null, id);
            runs.Add(run);
        }
        return (await SaveAsync(ReportBuilder.ForComparison(runs, time.GetUtcNow()), runs, automatic: false, cancellationToken), null);
    }

    public async Task<ReportEntity?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!ReportToken.IsWellFormed(token))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<ReportEntity>().AsNoTracking().SingleOrDefaultAsync(r => r.Token == token, cancellationToken);
    }

    /// <summary>Newest first, without the frozen bodies.</summary>
    public async Task<IReadOnlyList<ReportListItem>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<ReportEntity>().AsNoTracking().OrderByDescending(r => r.Id)
            .Select(r => new { r.Token, r.Kind, r.Title, r.RunIds, r.Automatic, r.CreatedAtMs })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ReportListItem(r.Token, r.Kind, r.Title, ParseRunIds(r.RunIds), r.Automatic,
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs), $"/r/{r.Token}"))];
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

    private async Task<ReportEntity> SaveAsync(Report report, IReadOnlyList<RunInput> runs, bool automatic, CancellationToken cancellationToken)
    {
        var entity = new ReportEntity
        {
            Token = ReportToken.New(),
            Kind = report.Kind,
            Title = report.Title,
            RunIds = string.Join(',', runs.Select(r => r.Id)),
            Automatic = automatic,
            CreatedAtMs = report.CreatedAt.ToUnixTimeMilliseconds(),
            ModelJson = ReportJson.Serialize(report),
            PointsCsvGzip = PointsCsv.Compress(runs),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Report made for run(s) {Runs} ({Kind}{Automatic})", entity.RunIds, entity.Kind, automatic ? ", automatic" : "");
        return entity;
    }

    private static IReadOnlyList<long> ParseRunIds(string ids) =>
        [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>A row of `GET /api/reports` and of the reports page.</summary>
public sealed record ReportListItem(string Token, string Kind, string Title, IReadOnlyList<long> Runs, bool Automatic, DateTimeOffset CreatedAt, string Url);
