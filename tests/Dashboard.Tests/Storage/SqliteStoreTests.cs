using Dashboard.Tests.Support;

namespace Dashboard.Tests.Storage;

public sealed class SqliteStoreTests() : StoreContract(StoreEngine.Sqlite);
