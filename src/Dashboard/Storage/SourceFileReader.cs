using System.Text.Json;
using Dashboard.Core.Parsing;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

/// <summary>Where reading a source stopped at the last commit, so a restart resumes there.</summary>
public sealed class SourceFileReader(IDbContextFactory<DashboardDbContext> contexts)
{
    public sealed record Position(long Offset, ParserState? State);

    public async Task<Position> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var file = await db.SourceFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Path == key, cancellationToken);
        return file is null
            ? new Position(0, null)
            : new Position(file.Offset, file.ParserStateJson is null ? null : JsonSerializer.Deserialize<ParserState>(file.ParserStateJson));
    }
}
