using Dashboard.Storage;
using Dashboard.Storage.Points;
using Dashboard.Storage.Postgres;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPointStoreTests(PostgresServer server) : PointStoreContract
{
    private PostgresDatabase? _database;

    protected override async Task<(IStoreDatabase Database, ChunkedPointStore Store)> CreateAsync()
    {
        _database = new PostgresDatabase(await server.CreateDatabaseAsync());
        return (_database, new PostgresPointStore(_database));
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
