using Hangfire.PostgreSql;
using Npgsql;

namespace Dashboard.Jobs;

/// <summary>
/// On a PostgreSQL store, creates or upgrades Hangfire's tables (schema <c>hangfire</c>) at start, before the
/// GPU workers start. Not left to Hangfire's storage: it would connect when it is constructed (at wiring,
/// before the options are validated), and several instances starting at once take turns here under an
/// advisory lock.
/// </summary>
public sealed class HangfireSchemaInstaller(string connectionString, ILogger<HangfireSchemaInstaller> logger) : IHostedService
{
    // Any constant no other user of the database picks: "dashboard hangfire".
    private const long InstallLock = 0x0da5_b0a7_4af1_0000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({InstallLock})", connection))
            await take.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            PostgreSqlObjectsInstaller.Install(connection, JobsServiceCollectionExtensions.HangfireSchema);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({InstallLock})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        logger.LogInformation("Hangfire's tables ready in schema {Schema}", JobsServiceCollectionExtensions.HangfireSchema);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
