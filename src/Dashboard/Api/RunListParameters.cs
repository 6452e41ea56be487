using System.Globalization;
using Dashboard.Storage;

namespace Dashboard.Api;

/// <summary>
/// `GET /api/runs`'s query string: `limit` (1..1000, default 100), `offset`, `sort` (`updated`,
/// `started`, `name`, `project`, `status`, `step`, or `last:KEY` for a metric's last value; a leading `-`
/// for descending, default `-updated`),
/// `q`, `project`, `status`, `tag`, `alerts` (true/false), `from`/`to` (start time, ISO 8601).
/// </summary>
public static class RunListParameters
{
    public const string LastPrefix = "last:";

    /// <summary>The query, or a problem naming the parameter that could not be read.</summary>
    public static (RunQuery? Query, string? Problem) Parse(IQueryCollection values)
    {
        var query = new RunQuery();
        if (values.TryGetValue("limit", out var limit))
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > RunQuery.MaxLimit)
                return (null, $"limit must be a whole number from 1 to {RunQuery.MaxLimit}; it was '{limit}'.");
            query = query with { Limit = n };
        }
        if (values.TryGetValue("offset", out var offset))
        {
            if (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return (null, $"offset must be a whole number, 0 or more; it was '{offset}'.");
            query = query with { Offset = n };
        }
        if (values.TryGetValue("sort", out var sortValue))
        {
            var sort = sortValue.ToString();
            var descending = sort.StartsWith('-');
            var by = sort.TrimStart('-', '+');
            if (by.StartsWith(LastPrefix, StringComparison.OrdinalIgnoreCase) && by.Length > LastPrefix.Length)
                query = query with { SortKey = by[LastPrefix.Length..], Descending = descending };
            else if (!Enum.TryParse<RunSort>(by, ignoreCase: true, out var column) || !Enum.IsDefined(column) || int.TryParse(by, out _))
                return (null, $"sort must be one of {string.Join(", ", Enum.GetNames<RunSort>().Select(n => n.ToLowerInvariant()))} or {LastPrefix}KEY (a metric's last value), with a leading '-' for descending; it was '{sort}'.");
            else
                query = query with { Sort = column, Descending = descending };
        }
        if (values.TryGetValue("status", out var status))
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
                return (null, $"status must be one of {string.Join(", ", Enum.GetNames<RunStatus>().Select(n => n.ToLowerInvariant()))}; it was '{status}'.");
            query = query with { Status = parsed };
        }
        if (values.TryGetValue("alerts", out var alerts))
        {
            if (!bool.TryParse(alerts, out var parsed))
                return (null, $"alerts must be true or false; it was '{alerts}'.");
            query = query with { HasActiveAlerts = parsed };
        }
        foreach (var (name, apply) in new (string, Func<RunQuery, DateTimeOffset, RunQuery>)[]
                 {
                     ("from", (q, at) => q with { StartedFrom = at }),
                     ("to", (q, at) => q with { StartedBefore = at }),
                 })
        {
            if (!values.TryGetValue(name, out var text))
                continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return (null, $"{name} must be a date or time in ISO 8601 (2026-12-05 or 2026-12-05T10:00:00Z); it was '{text}'.");
            query = apply(query, at);
        }
        return (query with
        {
            Text = NonEmpty(values["q"]),
            Project = NonEmpty(values["project"]),
            Tag = NonEmpty(values["tag"]),
        }, null);
    }

    /// <summary>
    /// The query string that <see cref="Parse"/> reads back as <paramref name="query"/>, defaults left
    /// out (`?q=gan&amp;status=running`, or empty): the run list page keeps its filters in its address.
    /// </summary>
    public static string Format(RunQuery query)
    {
        var defaults = new RunQuery();
        var values = new List<KeyValuePair<string, string?>>();
        void Add(string name, string? value)
        {
            if (value is not null)
                values.Add(new(name, value));
        }
        Add("q", query.Text);
        Add("project", query.Project);
        Add("status", query.Status?.ToString().ToLowerInvariant());
        Add("tag", query.Tag);
        Add("alerts", query.HasActiveAlerts?.ToString().ToLowerInvariant());
        Add("from", query.StartedFrom?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Add("to", query.StartedBefore?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (query.SortKey is not null || query.Sort != defaults.Sort || query.Descending != defaults.Descending)
            Add("sort", (query.Descending ? "-" : "") + (query.SortKey is { } key ? LastPrefix + key : query.Sort.ToString().ToLowerInvariant()));
        if (query.Limit != defaults.Limit)
            Add("limit", query.Limit.ToString(CultureInfo.InvariantCulture));
        if (query.Offset != 0)
            Add("offset", query.Offset.ToString(CultureInfo.InvariantCulture));
        return Microsoft.AspNetCore.Http.QueryString.Create(values).ToString();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
