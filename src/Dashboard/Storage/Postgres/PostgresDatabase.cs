using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Storage.Postgres;

/// <summary>A PostgreSQL database shared by every instance of a team deployment, through one pooled data source.</summary>
public sealed class PostgresDatabase : IStoreDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Name = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    public string Name { get; }

    public NpgsqlDataSource Source => _source;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _source.OpenConnectionAsync(cancellationToken);

    public DbContextOptionsBuilder<DashboardDbContext> Configure(DbContextOptionsBuilder<DashboardDbContext> builder, DbConnection? connection = null) =>
        connection is null ? builder.UseNpgsql(_source) : builder.UseNpgsql(connection);

    /// <summary>Npgsql sends a stream parameter in pieces as it reads it.</summary>
    public async Task WriteStreamAsync(DbTransaction transaction, string table, string column, long id, Stream content, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE \"{table}\" SET \"{column}\" = @content WHERE \"Id\" = @id", (NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter("content", NpgsqlDbType.Bytea) { Value = content, Size = checked((int)content.Length) });
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Sequential access streams the value off the wire instead of buffering the row. The reader stays
    /// open with the stream; disposing the connection closes both.
    /// </summary>
    public async Task<Stream?> ReadStreamAsync(DbConnection connection, string table, string column, long id, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"SELECT \"{column}\" FROM \"{table}\" WHERE \"Id\" = @id", (NpgsqlConnection)connection);
        command.Parameters.AddWithValue("id", id);
        var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
            return await reader.GetStreamAsync(0, cancellationToken);
        await reader.DisposeAsync();
        await command.DisposeAsync();
        return null;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
