using System.Text.Json;
using Dashboard.Configuration;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Dashboard.Agent;

/// <summary>
/// The agent's disk buffer (<c>agent-spool.db</c> in its data folder): each batch the tailers read is written,
/// serialized as it will be sent, in one transaction with the source's new offset and parser state, so the
/// agent survives its own restart with nothing read twice or skipped; <see cref="AgentShipper"/> sends the
/// batches in order and removes each once the server has it. Bounded: past <c>Agent:MaxSpoolMegabytes</c> the
/// tailers wait, and the logs themselves hold what is not read yet.
/// </summary>
public sealed class AgentSpool : IBatchSink, ISourcePositions, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileIdentityStore _identities;
    private readonly AgentServer _server;
    private readonly ILogger<AgentSpool> _logger;
    private readonly string _node;
    private readonly long _maxBytes;
    private readonly TimeSpan _maxRetryDelay;
    private readonly string _file;
    // Where each source's last spooled batch ends: the next one's start (only under _gate).
    private readonly Dictionary<string, long> _spooledTo = new(StringComparer.Ordinal);
    private readonly Lock _countsGate = new();
    // Sources moved to where the server stands: their old tailer's batches are dropped until the watcher opens them again.
    private readonly HashSet<string> _moved = new(StringComparer.Ordinal);
    private SqliteConnection? _connection;
    private bool _fresh;
    private long _bytes;
    private long _count;
    private TaskCompletionSource _added = NewSignal();
    private TaskCompletionSource _removed = NewSignal();

    public AgentSpool(IOptions<DashboardOptions> options, IOptions<AgentOptions> agent, AgentServer server, ILogger<AgentSpool> logger)
    {
        var folder = Path.GetFullPath(options.Value.Data);
        _file = Path.Combine(folder, "agent-spool.db");
        _identities = new FileIdentityStore(folder);
        _server = server;
        _logger = logger;
        _node = options.Value.Node;
        _maxBytes = agent.Value.MaxSpoolMegabytes * 1024L * 1024L;
        _maxRetryDelay = TimeSpan.FromMilliseconds(agent.Value.MaxRetryDelayMs);
    }

    /// <summary>A batch waiting to be sent.</summary>
    public sealed record Spooled(long Seq, string Key, byte[] Body);

    public (long Batches, long Bytes) Waiting
    {
        get
        {
            lock (_countsGate)
                return (_count, _bytes);
        }
    }

    public event Action<string>? Moved;

    public async ValueTask SubmitAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var warned = false;
        while (true)
        {
            Task removed;
            lock (_countsGate)
            {
                if (_bytes < _maxBytes || _count == 0)
                    break;
                removed = _removed.Task;
            }
            if (!warned)
                _logger.LogWarning("The spool is full ({Megabytes} MB waiting for {Server}): reading stops until the server takes some", _maxBytes >> 20, _server.Address);
            warned = true;
            await removed.WaitAsync(cancellationToken);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            var key = batch.Source.Key;
            if (_moved.Contains(key))
            {
                batch.Committed?.TrySetResult();
                return;
            }
            var from = _spooledTo.TryGetValue(key, out var at) ? at : 0;
            var body = JsonSerializer.SerializeToUtf8Bytes(AgentBatch.Of(_node, from, batch), AgentBatch.Json);
            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO batch (Key, Body) VALUES ($key, $body)", cancellationToken, ("$key", key), ("$body", body));
                await SavePositionAsync(connection, transaction, key, batch.Offset, JsonSerializer.Serialize(batch.ParserState), cancellationToken);
                foreach (var told in batch.Events.Where(e => e.Kind == RunEventKind.CheckpointSaved))
                {
                    if (CheckpointScanner.PathFromMessage(key, told.Message) is { } path)
                        await ExecuteAsync(connection, transaction, "INSERT OR IGNORE INTO checkpoint (Path) VALUES ($path)", cancellationToken, ("$path", path));
                }
                await transaction.CommitAsync(cancellationToken);
            }
            _spooledTo[key] = batch.Offset;
            lock (_countsGate)
            {
                _count++;
                _bytes += body.Length;
                _added.TrySetResult();
            }
        }
        finally
        {
            _gate.Release();
        }
        batch.Committed?.TrySetResult();
    }

    public async Task<SourcePosition> GetAsync(string key, CancellationToken cancellationToken)
    {
        SourcePosition position;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Offset, State FROM position WHERE Key = $key";
            command.Parameters.AddWithValue("$key", key);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                position = await reader.ReadAsync(cancellationToken)
                    ? new SourcePosition(reader.GetInt64(0), reader.IsDBNull(1) ? null : JsonSerializer.Deserialize<ParserState>(reader.GetString(1)))
                    : _fresh ? await FromServerAsync(connection, key, cancellationToken) : new SourcePosition(0, null);
            }
            _spooledTo[key] = position.Offset;
            _moved.Remove(key);
        }
        finally
        {
            _gate.Release();
        }
        return position with { Identity = await _identities.ReadAsync(key, cancellationToken) };
    }

    public Task SaveIdentitiesAsync(IReadOnlyCollection<(string Key, StoredFileIdentity Identity)> identities, CancellationToken cancellationToken) =>
        _identities.SaveAsync(identities, cancellationToken);

    public async Task<HashSet<string>> GetRecordedCheckpointsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Path FROM checkpoint";
            var paths = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                paths.Add(reader.GetString(0));
            return paths;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The oldest batch waiting; waits for one when none is.</summary>
    public async Task<Spooled> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task added;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var connection = await OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT Seq, Key, Body FROM batch ORDER BY Seq LIMIT 1";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                    return new Spooled(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2));
                lock (_countsGate)
                {
                    if (_added.Task.IsCompleted)
                        _added = NewSignal();
                    added = _added.Task;
                }
            }
            finally
            {
                _gate.Release();
            }
            await added.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The server has the batch: it leaves the spool.</summary>
    public Task RemoveAsync(Spooled batch, CancellationToken cancellationToken) =>
        TakeOutAsync(batch, null, cancellationToken);

    /// <summary>
    /// The server refused the batch for good (malformed, too large): it
    /// moves to the <c>refused</c> table with the reason, kept for a person to look at, and the rest go on.
    /// </summary>
    public Task RefuseAsync(Spooled batch, string reason, CancellationToken cancellationToken) =>
        TakeOutAsync(batch, reason, cancellationToken);

    /// <summary>
    /// The server stands elsewhere for the batch's source (its store was restored from an older backup, or another
    /// agent used this node's name): every spooled batch of the source goes, the source's position becomes the
    /// server's, and the watcher reads the log again from there.
    /// </summary>
    public async Task MoveAsync(Spooled batch, long offset, string? parserState, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var (count, bytes) = await WaitingAsync(connection, transaction, batch.Key, cancellationToken);
            await ExecuteAsync(connection, transaction, "DELETE FROM batch WHERE Key = $key", cancellationToken, ("$key", batch.Key));
            await SavePositionAsync(connection, transaction, batch.Key, offset, parserState, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _spooledTo[batch.Key] = offset;
            _moved.Add(batch.Key);
            TakenOut(count, bytes);
        }
        finally
        {
            _gate.Release();
        }
        Moved?.Invoke(batch.Key);
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _identities.Dispose();
    }

    private async Task TakeOutAsync(Spooled batch, string? refusal, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (refusal is not null)
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO refused (Seq, Key, Body, Reason, AtMs) VALUES ($seq, $key, $body, $reason, $at)", cancellationToken,
                    ("$seq", batch.Seq), ("$key", batch.Key), ("$body", batch.Body), ("$reason", refusal), ("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            }
            await ExecuteAsync(connection, transaction, "DELETE FROM batch WHERE Seq = $seq", cancellationToken, ("$seq", batch.Seq));
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
        TakenOut(1, batch.Body.Length);
    }

    /// <summary>Batches left the spool: counted out, and tailers waiting for room are woken.</summary>
    private void TakenOut(long count, long bytes)
    {
        lock (_countsGate)
        {
            _count -= count;
            _bytes -= bytes;
            _removed.TrySetResult();
            _removed = NewSignal();
        }
    }

    /// <summary>
    /// A spool made just now knows nothing, but the server may: this node's agent ran before with another data
    /// folder. Its offset is where this agent goes on (kept at once, so a restart does not ask again).
    /// </summary>
    private async Task<SourcePosition> FromServerAsync(SqliteConnection connection, string key, CancellationToken cancellationToken)
    {
        var delay = new RetryDelay(_maxRetryDelay);
        while (true)
        {
            try
            {
                var stand = await _server.PositionAsync(key, cancellationToken);
                await SavePositionAsync(connection, null, key, stand.Offset, stand.ParserState, cancellationToken);
                if (stand.Offset > 0)
                    _logger.LogInformation("{Path}: the server has it up to byte {Offset}; going on from there", key, stand.Offset);
                return new SourcePosition(stand.Offset, stand.ParserState is null ? null : JsonSerializer.Deserialize<ParserState>(stand.ParserState));
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("A new spool must learn from {Server} where it stands for {Path} before reading it, and cannot: {Error}; trying again in {Delay}",
                    _server.Address, key, error.Message, delay.Current);
                await delay.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
            return _connection;
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        _fresh = !File.Exists(_file);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _file, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;
            CREATE TABLE IF NOT EXISTS position (Key TEXT NOT NULL PRIMARY KEY, Offset INTEGER NOT NULL, State TEXT);
            CREATE TABLE IF NOT EXISTS batch (Seq INTEGER PRIMARY KEY AUTOINCREMENT, Key TEXT NOT NULL, Body BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS checkpoint (Path TEXT NOT NULL PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS refused (Seq INTEGER NOT NULL PRIMARY KEY, Key TEXT NOT NULL, Body BLOB NOT NULL, Reason TEXT NOT NULL, AtMs INTEGER NOT NULL);
            """, cancellationToken);
        var waiting = await WaitingAsync(connection, null, null, cancellationToken);
        lock (_countsGate)
            (_count, _bytes) = waiting;
        if (_count > 0)
            _logger.LogInformation("{Count} batches ({Megabytes:0.0} MB) left in the spool from the last run go to {Server} first", _count, _bytes / 1e6, _server.Address);
        return _connection = connection;
    }

    /// <summary>The batches waiting, and their bytes: of one source, or of all.</summary>
    private static async Task<(long Count, long Bytes)> WaitingAsync(SqliteConnection connection, SqliteTransaction? transaction, string? key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(Body)), 0) FROM batch WHERE $key IS NULL OR Key = $key";
        command.Parameters.AddWithValue("$key", (object?)key ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static Task SavePositionAsync(SqliteConnection connection, SqliteTransaction? transaction, string key, long offset, string? parserState, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "INSERT OR REPLACE INTO position (Key, Offset, State) VALUES ($key, $offset, $state)", cancellationToken,
            ("$key", key), ("$offset", offset), ("$state", parserState));

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
