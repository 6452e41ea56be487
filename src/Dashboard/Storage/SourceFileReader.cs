using System.Text.Json;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Dashboard.Configuration;

namespace Dashboard.Storage;

/// <summary>
/// Where reading a source stopped at the last commit, so a restart resumes there; and which file the
/// offset belongs to (<see cref="FileIdentityStore"/>, in the local data folder also with a PostgreSQL
/// store), so a file replaced or rotated while the service was down is read from its start instead of
/// from the old file's offset.
/// </summary>
public sealed class SourceFileReader(IDbContextFactory<DashboardDbContext> contexts, IOptions<DashboardOptions> options) : ISourcePositions, IDisposable
{
    private readonly FileIdentityStore _identities = new(Path.GetFullPath(options.Value.Data));

    public async Task<SourcePosition> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var file = await db.SourceFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Path == key, cancellationToken);
        if (file is null)
            return new SourcePosition(0, null);
        var state = file.ParserStateJson is null ? null : JsonSerializer.Deserialize<ParserState>(file.ParserStateJson);
        if (!Path.IsPathFullyQualified(key))
            return new SourcePosition(file.Offset, state);
        return new SourcePosition(file.Offset, state, await _identities.ReadAsync(key, cancellationToken));
    }

    /// <summary>Never raised: the store's positions move only by its own tailers' commits.</summary>
    public event Action<string>? Moved
    {
        add { }
        remove { }
    }

    public Task SaveIdentitiesAsync(IReadOnlyCollection<(string Key, StoredFileIdentity Identity)> identities, CancellationToken cancellationToken) =>
        _identities.SaveAsync(identities, cancellationToken);

    /// <summary>The full paths of the checkpoint files already recorded as events of file-backed runs.</summary>
    public async Task<HashSet<string>> GetRecordedCheckpointsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.RunEvents.AsNoTracking()
            .Where(e => e.Kind == RunEventKind.CheckpointSaved && e.Message.StartsWith(CheckpointScanner.MessagePrefix))
            .Join(db.Runs, e => e.RunId, r => r.Id, (e, r) => new { r.Source, e.Message })
            .ToListAsync(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (CheckpointScanner.PathFromMessage(row.Source, row.Message) is { } path)
                seen.Add(path);
        }
        return seen;
    }

    public void Dispose() => _identities.Dispose();
}
