using Dashboard.Storage;
using Dashboard.Storage.Points;
using Microsoft.Data.Sqlite;

namespace Dashboard.Tests.Storage;

public sealed class SqlitePointStoreTests : PointStoreContract
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dashboard-store-");

    protected override Task<(IStoreDatabase Database, ChunkedPointStore Store)> CreateAsync()
    {
        var database = new SqliteDatabase(Path.Combine(_folder.FullName, "points.db"));
        return Task.FromResult<(IStoreDatabase, ChunkedPointStore)>((database, new SqlitePointStore(database)));
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
