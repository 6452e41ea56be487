using Dashboard.Tests.Support;

namespace Dashboard.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : StoreContract(StoreEngine.Postgres(server));
