using Npgsql;

namespace Dashboard.Configuration;

/// <summary>The store's settings, checked at start so a typo fails with its key instead of at the first write.</summary>
public static class StoreOptionsValidation
{
    public static void AddErrors(StoreOptions store, List<string> errors)
    {
        if (!store.IsPostgres && !string.Equals(store.Provider, StoreOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Store:Provider: '{store.Provider}' is neither '{StoreOptions.Sqlite}' nor '{StoreOptions.Postgres}'.");
            return;
        }
        if (!store.IsPostgres)
        {
            if (!string.IsNullOrWhiteSpace(store.ConnectionString))
                errors.Add($"Store:ConnectionString: is set but Store:Provider is '{store.Provider}'; set Store:Provider to '{StoreOptions.Postgres}' (the command line --store does both).");
            return;
        }
        if (string.IsNullOrWhiteSpace(store.ConnectionString))
        {
            errors.Add("Store:ConnectionString: PostgreSQL needs one, e.g. --store \"Host=db;Database=dashboard;Username=dashboard;Password=…\".");
            return;
        }
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(store.ConnectionString);
        }
        catch (ArgumentException error)
        {
            // The message names the bad keyword; the string itself may hold a password, so it is not repeated.
            errors.Add($"Store:ConnectionString: not a valid PostgreSQL connection string ({error.Message}).");
            return;
        }
        if (string.IsNullOrWhiteSpace(parsed.Host))
            errors.Add("Store:ConnectionString: needs Host=….");
        if (string.IsNullOrWhiteSpace(parsed.Database))
            errors.Add("Store:ConnectionString: needs Database=… (the server's default database is not a place for the dashboard's tables).");
        if (string.IsNullOrWhiteSpace(parsed.Username))
            errors.Add("Store:ConnectionString: needs Username=….");
    }
}
