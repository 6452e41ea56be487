using Microsoft.Data.Sqlite;

namespace Dashboard.Storage;

/// <summary>The SQLite file under the data folder, and connections to it set up the same way everywhere.</summary>
public sealed class SqliteDatabase(string filePath)
{
    public string FilePath { get; } = filePath;

    public string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = filePath,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL lets pages read while the single writer commits; NORMAL keeps every commit across a
        // process kill (only a power cut can lose the last ones), without an fsync per batch.
        pragma.CommandText = "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
