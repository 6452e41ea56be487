using Dashboard.Live;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

/// <summary>
/// Tags and notes users give runs. They live in tables of their own that the ingest writer never
/// touches, so saving one does not wait for a commit of points. Open pages of the run re-read after a change.
/// </summary>
public sealed class RunLabels(IDbContextFactory<DashboardDbContext> contexts, RunNotices notices, TimeProvider clock)
{
    /// <summary>Replaces the run's tags; false when there is no such run.</summary>
    public async Task<bool> SetTagsAsync(long runId, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken))
            return false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<RunTagEntity>().Where(t => t.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        db.Set<RunTagEntity>().AddRange(tags.Select(tag => new RunTagEntity { RunId = runId, Tag = tag }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        notices.Notify(runId);
        return true;
    }

    /// <summary>Sets the run's note (an empty one removes it); false when there is no such run.</summary>
    public async Task<bool> SetNoteAsync(long runId, string note, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken))
            return false;
        var existing = await db.Set<RunNoteEntity>().SingleOrDefaultAsync(n => n.RunId == runId, cancellationToken);
        if (note.Length == 0)
        {
            if (existing is not null)
                db.Remove(existing);
        }
        else if (existing is null)
            db.Add(new RunNoteEntity { RunId = runId, Text = note, UpdatedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        else
            (existing.Text, existing.UpdatedAtMs) = (note, clock.GetUtcNow().ToUnixTimeMilliseconds());
        await db.SaveChangesAsync(cancellationToken);
        notices.Notify(runId);
        return true;
    }
}
