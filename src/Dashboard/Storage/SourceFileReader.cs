using System.Text.Json;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Dashboard.Configuration;

namespace Dashboard.Storage;

/// <summary>
/// Where reading a source stopped at the last commit, so a restart resumes there; and which file the
/// offset belongs to (its identity and first bytes), so a file replaced or rotated while the service
/// was down is read from its start instead of from the old file's offset. Identities are written by
/// the tailers, not by the single writer, so they live in a small database of their own beside the
/// store (<c>file-identity.db</c>): they never wait for, or hold up, the writer's transactions. With
/// a PostgreSQL store it stays in the local data folder: an identity (device, inode) names a file of
/// this machine only.
/// </summary>
public sealed class SourceFileReader(IDbContextFactory<DashboardDbContext> contexts, IOptions<DashboardOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _identityGate = new(1, 1);
    private SqliteConnection? _identities;

    public sealed record Position(long Offset, ParserState? State, StoredFileIdentity? Identity = null);

    /// <summary>
    /// The file an offset belongs to: its (device, inode) where known, its first bytes (up to
    /// <see cref="HeadBytes"/>), and the bytes just before a position already read (up to
    /// <see cref="TailBytes"/>), which tell a file rewritten in place with the same beginning.
    /// </summary>
    public sealed record StoredFileIdentity(FileIdentity? File, byte[] Head, long TailOffset = 0, byte[]? Tail = null)
    {
        public const int HeadBytes = 1024;
        public const int TailBytes = 1024;
    }

    public async Task<Position> GetAsync(string key, CancellationToken cancellationToken)
    {
        StoredFileIdentity? identity;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var file = await db.SourceFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Path == key, cancellationToken);
            if (file is null)
                return new Position(0, null);
            var state = file.ParserStateJson is null ? null : JsonSerializer.Deserialize<ParserState>(file.ParserStateJson);
            if (!Path.IsPathFullyQualified(key))
                return new Position(file.Offset, state);
            identity = await ReadIdentityAsync(key, cancellationToken);
            return new Position(file.Offset, state, identity);
        }
    }

    /// <summary>Stores the identities of several files in one transaction.</summary>
    public async Task SaveIdentitiesAsync(IReadOnlyCollection<(string Key, StoredFileIdentity Identity)> identities, CancellationToken cancellationToken)
    {
        if (identities.Count == 0)
            return;
        await _identityGate.WaitAsync(cancellationToken);
        try
        {
            var connection = await IdentitiesAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR REPLACE INTO source_file_identity (Path, Device, Inode, Head, TailOffset, Tail) VALUES ($path, $device, $inode, $head, $tailOffset, $tail)";
            var path = command.Parameters.Add("$path", SqliteType.Text);
            var device = command.Parameters.Add("$device", SqliteType.Integer);
            var inode = command.Parameters.Add("$inode", SqliteType.Integer);
            var head = command.Parameters.Add("$head", SqliteType.Blob);
            var tailOffset = command.Parameters.Add("$tailOffset", SqliteType.Integer);
            var tail = command.Parameters.Add("$tail", SqliteType.Blob);
            foreach (var (key, identity) in identities)
            {
                path.Value = key;
                device.Value = identity.File is { } f ? unchecked((long)f.Device) : DBNull.Value;
                inode.Value = identity.File is { } g ? unchecked((long)g.Inode) : DBNull.Value;
                head.Value = identity.Head;
                tailOffset.Value = identity.TailOffset;
                tail.Value = identity.Tail ?? [];
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _identityGate.Release();
        }
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

    public void Dispose()
    {
        _identities?.Dispose();
        _identities = null;
    }

    private async Task<StoredFileIdentity?> ReadIdentityAsync(string key, CancellationToken cancellationToken)
    {
        await _identityGate.WaitAsync(cancellationToken);
        try
        {
            var connection = await IdentitiesAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Device, Inode, Head, TailOffset, Tail FROM source_file_identity WHERE Path = $path";
            command.Parameters.AddWithValue("$path", key);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            FileIdentity? file = reader.IsDBNull(0) || reader.IsDBNull(1)
                ? null
                : new FileIdentity(unchecked((ulong)reader.GetInt64(0)), unchecked((ulong)reader.GetInt64(1)));
            return new StoredFileIdentity(file, (byte[])reader.GetValue(2), reader.GetInt64(3), (byte[])reader.GetValue(4));
        }
        finally
        {
            _identityGate.Release();
        }
    }

    private async Task<SqliteConnection> IdentitiesAsync(CancellationToken cancellationToken)
    {
        if (_identities is not null)
            return _identities;
        var folder = Path.GetFullPath(options.Value.Data);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "file-identity.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;
                CREATE TABLE IF NOT EXISTS source_file_identity (
                    Path TEXT NOT NULL PRIMARY KEY, Device INTEGER, Inode INTEGER, Head BLOB NOT NULL, TailOffset INTEGER NOT NULL, Tail BLOB NOT NULL);
                """;
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }
        return _identities = connection;
    }
}
