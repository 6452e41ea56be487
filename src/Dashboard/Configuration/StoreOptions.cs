namespace Dashboard.Configuration;

/// <summary>Where runs, metrics, points, alerts, reports, jobs and file offsets live.</summary>
public sealed class StoreOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (a file under <see cref="DashboardOptions.Data"/>, the default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The PostgreSQL connection string (command line <c>--store</c>); unused with SQLite.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
