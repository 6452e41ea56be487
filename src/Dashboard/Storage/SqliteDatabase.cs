using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

/// <summary>The SQLite file under the data folder, and connections to it set up the same way everywhere.</summary>
public sealed class SqliteDatabase(string filePath) : IStoreDatabase
{
    public string FilePath { get; } = filePath;

    public string Name => FilePath;

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

    async Task<DbConnection> IStoreDatabase.OpenAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    public DbContextOptionsBuilder<DashboardDbContext> Configure(DbContextOptionsBuilder<DashboardDbContext> builder, DbConnection? connection = null) =>
        connection is null ? builder.UseSqlite(ConnectionString) : builder.UseSqlite(connection);

    /// <summary>Through SQLite's incremental blob I/O: as a parameter of an UPDATE the value would be one byte array.</summary>
    public async Task WriteStreamAsync(DbTransaction transaction, string table, string column, long id, Stream content, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)transaction.Connection!;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = (SqliteTransaction)transaction;
            command.CommandText = $"UPDATE \"{table}\" SET \"{column}\" = zeroblob($length) WHERE \"Id\" = $id";
            command.Parameters.AddWithValue("$length", content.Length);
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var blob = new SqliteBlob(connection, table, column, id);
        await content.CopyToAsync(blob, cancellationToken);
    }

    public async Task<Stream?> ReadStreamAsync(DbConnection connection, string table, string column, long id, CancellationToken cancellationToken)
    {
        await using var exists = connection.CreateCommand();
        exists.CommandText = $"SELECT 1 FROM \"{table}\" WHERE \"Id\" = $id";
        exists.Parameters.Add(new SqliteParameter("$id", id));
        return await exists.ExecuteScalarAsync(cancellationToken) is null
            ? null
            : new SqliteBlob((SqliteConnection)connection, table, column, id, readOnly: true);
    }
}
