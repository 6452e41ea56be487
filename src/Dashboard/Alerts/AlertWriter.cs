using Dashboard.Core.Rules;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using System.Data;
using System.Data.Common;

namespace Dashboard.Alerts;

/// <summary>
/// Writes the engine's alert changes to the <c>alerts</c> table with prepared statements in one
/// transaction (new rows through <see cref="AlertInsert"/>). A run that goes bad raises and resolves
/// alerts at every few hundred steps; through EF's change tracking each of those writes cost a context,
/// two queries and a SaveChanges, more than evaluating the rules on the points themselves. The SQL runs
/// on SQLite and PostgreSQL alike: quoted column names (EF's, which PostgreSQL would otherwise fold to
/// lower case), @ parameters.
/// </summary>
public sealed class AlertWriter(IStoreDatabase database, TimeProvider clock)
{
    /// <summary>Stores one run's changes, and says how each stored alert changed.</summary>
    public async Task<IReadOnlyList<StoredChange>> ApplyAsync(long runId, IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
            return [];
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (project, name) = RunName(connection, transaction, runId);
        using var insert = AlertInsert.For(connection, transaction);
        using var read = Command(connection, transaction, """SELECT "Severity", "RaisedAtMs", "AcknowledgedAtMs" FROM alerts WHERE "Id" = @id""");
        using var update = Command(connection, transaction, """
            UPDATE alerts SET "Severity" = @severity, "LastStep" = @last, "Value" = @value, "ValueIsNaN" = @nan, "UpdatedAtMs" = @now,
            "ResolvedAtMs" = coalesce(@resolved, "ResolvedAtMs") WHERE "Id" = @id
            """);
        // One row write per alert, in its final state: a spike is raised and resolved in the same group of batches.
        var rows = new Dictionary<TrackedAlert, AlertEntity>(ReferenceEqualityComparer.Instance);
        var fresh = new HashSet<AlertEntity>(ReferenceEqualityComparer.Instance);
        var touched = new List<(AlertChangeKind Kind, AlertEntity Row, bool Escalated)>(changes.Count);
        foreach (var change in changes)
        {
            var alert = change.Alert;
            if (!rows.TryGetValue(alert, out var row))
            {
                row = new AlertEntity
                {
                    Id = alert.StoreId, RunId = runId, RuleId = alert.RuleId, Metric = alert.Metric, Message = alert.Message, Advice = alert.Advice,
                    FirstStep = alert.FirstStep, Severity = alert.Severity, RaisedAtMs = nowMs,
                };
                if (alert.StoreId == 0 || await ReadStoredAsync(read, row, cancellationToken) is null)
                    fresh.Add(row);
                rows[alert] = row;
            }
            var escalated = !fresh.Contains(row) && alert.Severity > row.Severity;
            row.Severity = alert.Severity;
            row.LastStep = alert.LastStep;
            row.Value = alert.Value;
            row.UpdatedAtMs = nowMs;
            if (change.Kind == AlertChangeKind.Resolved)
                row.ResolvedAtMs = nowMs;
            touched.Add((change.Kind, row, escalated));
        }
        foreach (var (alert, row) in rows)
        {
            if (fresh.Contains(row))
                alert.StoreId = row.Id = await insert.InsertAsync(runId, row, cancellationToken);
            else
            {
                Bind(update, row);
                update.Parameters["@id"].Value = row.Id;
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return [.. touched.Select(t => new StoredChange(t.Kind, AlertView.From(t.Row, project, name), t.Escalated))];
    }

    /// <summary>The stored row's severity, raise and acknowledgement times into <paramref name="row"/>; null when the row is gone.</summary>
    private static async Task<AlertSeverity?> ReadStoredAsync(DbCommand read, AlertEntity row, CancellationToken cancellationToken)
    {
        read.Parameters["@id"].Value = row.Id;
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        // A name no build wrote reads as a warning, as EF reads it (TolerantEnumConverter).
        row.Severity = Enum.TryParse<AlertSeverity>(reader.GetString(0), ignoreCase: true, out var severity) && Enum.IsDefined(severity) ? severity : AlertSeverity.Warning;
        row.RaisedAtMs = reader.GetInt64(1);
        row.AcknowledgedAtMs = reader.IsDBNull(2) ? null : reader.GetInt64(2);
        return row.Severity;
    }

    /// <summary>What inserts and updates share: severity, last step, value and the times.</summary>
    internal static void Bind(DbCommand command, AlertEntity row)
    {
        command.Parameters["@severity"].Value = row.Severity.ToString();
        command.Parameters["@last"].Value = (object?)row.LastStep ?? DBNull.Value;
        command.Parameters["@value"].Value = (object?)row.StoredValue ?? DBNull.Value;
        command.Parameters["@nan"].Value = row.ValueIsNaN;
        command.Parameters["@now"].Value = row.UpdatedAtMs;
        command.Parameters["@resolved"].Value = (object?)row.ResolvedAtMs ?? DBNull.Value;
    }

    private static (string Project, string Name) RunName(DbConnection connection, DbTransaction transaction, long runId)
    {
        using var command = Command(connection, transaction, """SELECT "Project", "Name" FROM runs WHERE "Id" = @id""");
        command.Parameters["@id"].Value = runId;
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : throw new InvalidOperationException($"Run {runId} is not stored.");
    }

    /// <summary>
    /// A statement with a parameter for each <c>@name</c> in it, prepared once for all the changes.
    /// Each parameter is typed, since PostgreSQL cannot tell the type of a null it is sent.
    /// </summary>
    internal static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, @"@\w+").Select(m => m.Value).Distinct())
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = ParameterTypes.GetValueOrDefault(name, DbType.Int64);
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static readonly Dictionary<string, DbType> ParameterTypes = new(StringComparer.Ordinal)
    {
        ["@rule"] = DbType.String, ["@metric"] = DbType.String, ["@severity"] = DbType.String,
        ["@message"] = DbType.String, ["@advice"] = DbType.String, ["@value"] = DbType.Double, ["@nan"] = DbType.Boolean,
    };
}
