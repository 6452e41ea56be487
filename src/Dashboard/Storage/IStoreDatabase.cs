using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

/// <summary>
/// The store's database engine (SQLite or PostgreSQL): how to connect, how EF talks to it, and the
/// one thing the engines do differently enough to matter, large values written and read as streams.
/// </summary>
public interface IStoreDatabase
{
    /// <summary>For logs and errors: the file, or host and database (never the password).</summary>
    string Name { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>On an open connection when given (the single writer keeps one), else the engine's pool.</summary>
    DbContextOptionsBuilder<DashboardDbContext> Configure(DbContextOptionsBuilder<DashboardDbContext> builder, DbConnection? connection = null);

    /// <summary>Writes a large value into an existing row's column without holding it whole in memory.</summary>
    Task WriteStreamAsync(DbTransaction transaction, string table, string column, long id, Stream content, CancellationToken cancellationToken);

    /// <summary>Reads a row's large value as it streams; valid until the connection is disposed. Null when the row is gone.</summary>
    Task<Stream?> ReadStreamAsync(DbConnection connection, string table, string column, long id, CancellationToken cancellationToken);
}
