using Microsoft.Data.Sqlite;

namespace Dashboard.Ingestion;

/// <summary>
/// Which file each source's offset belongs to, in a small SQLite database of its own in a local folder
/// (<c>file-identity.db</c>): an identity (device, inode) names a file of this machine only, and identities are
/// written by the tailers, so they never wait for, or hold up, the store's transactions.
/// </summary>
public sealed class FileIdentityStore(string folder) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    public async Task<StoredFileIdentity?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
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
            _gate.Release();
        }
    }

    public async Task SaveAsync(IReadOnlyCollection<(string Key, StoredFileIdentity Identity)> identities, CancellationToken cancellationToken)
    {
        if (identities.Count == 0)
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
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
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
            return _connection;
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
        return _connection = connection;
    }
}
