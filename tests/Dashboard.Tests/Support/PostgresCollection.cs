namespace Dashboard.Tests.Support;

/// <summary>The tests that share one <see cref="PostgresServer"/>, each in a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
