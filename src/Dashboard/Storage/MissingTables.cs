using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

/// <summary>
/// Creates every table and index of the model that the store lacks, so a store made by an older
/// build gains the tables of newer features (alerts, jobs, reports) without a version bump.
/// A new column on an existing table still needs one.
/// </summary>
public static partial class MissingTables
{
    public static async Task CreateAsync(IStoreDatabase database, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var db = new DashboardDbContext(database.Configure(new DbContextOptionsBuilder<DashboardDbContext>(), connection).Options);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = MissingOnly().Replace(db.Database.GenerateCreateScript(), "$1 IF NOT EXISTS ");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"^(CREATE (?:UNIQUE )?(?:TABLE|INDEX)) ", RegexOptions.Multiline)]
    private static partial Regex MissingOnly();
}
