namespace Dashboard.Tests.Support;

/// <summary>The store a contract test runs its hosts on: the command-line arguments that choose it.</summary>
public sealed record StoreEngine(string Name, Func<Task<string[]>> ArgumentsAsync)
{
    public static readonly StoreEngine Sqlite = new("sqlite", () => Task.FromResult<string[]>([]));

    /// <summary>A fresh database on the shared server for every host the test starts.</summary>
    public static StoreEngine Postgres(PostgresServer server) =>
        new("postgres", async () => ["--store", await server.CreateDatabaseAsync()]);

    public async Task<TestHost> StartHostAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        await TestHost.StartAsync(settings, await ArgumentsAsync());
}
