using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dashboard.Storage;

/// <summary>
/// A statement prepared on a connection's own handle and bound by position, for statements run thousands of times in a
/// row: <c>Microsoft.Data.Sqlite</c> looks every parameter up by name and goes through a data reader at each execution,
/// which cost more than the work itself there. It runs in whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement), raw.SQLITE_OK);
        Handle = statement;
    }

    public sqlite3_stmt Handle { get; }

    /// <summary>The rowid the connection's last insert gave.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    public void Bind(int index, long value) => raw.sqlite3_bind_int64(Handle, index, value);

    /// <summary>A blob column of the current row, in SQLite's own buffer: valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(Handle, column);

    /// <summary>Steps once: true on a row, false when done; an error as SQLite words it.</summary>
    public bool Step()
    {
        var result = raw.sqlite3_step(Handle);
        if (result == raw.SQLITE_ROW)
            return true;
        Check(result, raw.SQLITE_DONE);
        return false;
    }

    /// <summary>Ready to bind and run again.</summary>
    public void Reset() => raw.sqlite3_reset(Handle);

    public void Dispose() => Handle.Dispose();

    private void Check(int result, int expected)
    {
        if (result != expected)
            throw new SqliteException($"SQLite Error {result}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", result);
    }
}
