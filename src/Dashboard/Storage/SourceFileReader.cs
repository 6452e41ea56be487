using System.Data.Common;
using System.Text.Json;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

/// <summary>
/// Where reading a source stopped at the last commit, so a restart resumes there; and which file the
/// offset belongs to (its identity and first bytes), so a file replaced or rotated while the service
/// was down is read from its start instead of from the old file's offset. The identity lives in its
/// own table, written by the tailers (not by the single writer), created when missing so stores made
/// by earlier builds keep working.
/// </summary>
public sealed class SourceFileReader(IDbContextFactory<DashboardDbContext> contexts)
{
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private volatile bool _tableReady;

    public sealed record Position(long Offset, ParserState? State, StoredFileIdentity? Identity = null);

    /// <summary>The file an offset belongs to: its (device, inode) where known and its first bytes (up to <see cref="StoredFileIdentity.HeadBytes"/>).</summary>
    public sealed record StoredFileIdentity(FileIdentity? File, byte[] Head)
    {
        public const int HeadBytes = 1024;
    }

    public async Task<Position> GetAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var file = await db.SourceFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Path == key, cancellationToken);
        if (file is null)
            return new Position(0, null);
        var state = file.ParserStateJson is null ? null : JsonSerializer.Deserialize<ParserState>(file.ParserStateJson);
        return new Position(file.Offset, state, await ReadIdentityAsync(db.Database.GetDbConnection(), key, cancellationToken));
    }

    /// <summary>Stores the identities of several files in one transaction.</summary>
    public async Task SaveIdentitiesAsync(IReadOnlyCollection<(string Key, StoredFileIdentity Identity)> identities, CancellationToken cancellationToken)
    {
        if (identities.Count == 0)
            return;
        await EnsureTableAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (key, identity) in identities)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR REPLACE INTO source_file_identity (Path, Device, Inode, Head) VALUES ($path, $device, $inode, $head)";
            Add(command, "$path", key);
            Add(command, "$device", identity.File is { } f ? unchecked((long)f.Device) : DBNull.Value);
            Add(command, "$inode", identity.File is { } g ? unchecked((long)g.Inode) : DBNull.Value);
            Add(command, "$head", identity.Head);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

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

    private static async Task<StoredFileIdentity?> ReadIdentityAsync(DbConnection connection, string key, CancellationToken cancellationToken)
    {
        if (connection.State != System.Data.ConnectionState.Open)
            await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Device, Inode, Head FROM source_file_identity WHERE Path = $path";
        Add(command, "$path", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        FileIdentity? file = reader.IsDBNull(0) || reader.IsDBNull(1)
            ? null
            : new FileIdentity(unchecked((ulong)reader.GetInt64(0)), unchecked((ulong)reader.GetInt64(1)));
        return new StoredFileIdentity(file, (byte[])reader.GetValue(2));
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
            return;
        await _tableGate.WaitAsync(cancellationToken);
        try
        {
            if (_tableReady)
                return;
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TABLE IF NOT EXISTS source_file_identity (Path TEXT NOT NULL PRIMARY KEY, Device INTEGER, Inode INTEGER, Head BLOB NOT NULL)",
                cancellationToken);
            _tableReady = true;
        }
        finally
        {
            _tableGate.Release();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
