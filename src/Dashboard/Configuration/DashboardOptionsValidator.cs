using Dashboard.Core.Rules;
using Microsoft.Extensions.Options;

namespace Dashboard.Configuration;

/// <summary>Refuses a bad configuration at start, naming every bad key at once.</summary>
public sealed class DashboardOptionsValidator(IConfiguration configuration) : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Data))
            errors.Add("Data: must name a folder (command line --data DIR).");
        StoreOptionsValidation.AddErrors(options.Store, errors);
        if (options.Watch.Roots.Count == 0 || options.Watch.Roots.Any(string.IsNullOrWhiteSpace))
            errors.Add("Watch:Roots: needs at least one folder and no empty entry (command line --watch DIR).");
        if (options.Watch.Patterns.Count == 0)
            errors.Add("Watch:Patterns: needs at least one file pattern such as *.log.");
        if (options.Watch.PollIntervalMs is < 50 or > 600_000)
            errors.Add($"Watch:PollIntervalMs: {options.Watch.PollIntervalMs} is outside 50..600000.");
        if (options.Watch.StalledAfterSeconds < 1)
            errors.Add($"Watch:StalledAfterSeconds: {options.Watch.StalledAfterSeconds} must be at least 1.");
        if (options.Demo.LinesPerSecond is <= 0 or > 10_000)
            errors.Add($"Demo:LinesPerSecond: {options.Demo.LinesPerSecond} is outside (0, 10000].");
        if (options.Demo.TotalSteps < 100)
            errors.Add($"Demo:TotalSteps: {options.Demo.TotalSteps} must be at least 100.");
        if (options.Auth.ApiKey is { Length: > 0 and < 8 })
            errors.Add("Auth:ApiKey: must be at least 8 characters when set.");
        if (options.Ingest.BatchMaxPoints < 1)
            errors.Add("Ingest:BatchMaxPoints: must be at least 1.");
        if (options.Ingest.BatchDelayMs is < 0 or > 1000)
            errors.Add("Ingest:BatchDelayMs: must be within 0..1000.");
        if (options.Ingest.ReadChunkBytes < 4096)
            errors.Add("Ingest:ReadChunkBytes: must be at least 4096.");
        if (options.Ingest.WriteTimeoutSeconds is < 1 or > 3600)
            errors.Add("Ingest:WriteTimeoutSeconds: must be within 1..3600.");
        if (options.Ingest.MaxMetricsPerRun is < 1 or > 100_000)
            errors.Add("Ingest:MaxMetricsPerRun: must be within 1..100000.");
        if (options.Live.CoalesceMs is < 0 or > 5000)
            errors.Add("Live:CoalesceMs: must be within 0..5000.");
        if (options.Live.PageRefreshMs is < 10 or > 5000)
            errors.Add("Live:PageRefreshMs: must be within 10..5000.");
        if (options.Live.Redis is { Length: > 0 } redis && !Live.RedisAddress.IsValid(redis))
            // Only the address part: options after it may hold a password.
            errors.Add($"Live:Redis: '{redis.Split(',', 2)[0]}' is not HOST:PORT (command line --redis HOST:PORT).");
        errors.AddRange(RuleSetValidator.Validate(options.Rules));
        errors.AddRange(RuleKeys.Problems(configuration));
        for (var i = 0; i < options.Alerts.Webhooks.Count; i++)
        {
            if (!Uri.TryCreate(options.Alerts.Webhooks[i].Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add($"Alerts:Webhooks:{i}:Url: '{options.Alerts.Webhooks[i].Url}' is not an http(s) URL.");
        }
        if (options.Alerts.MaxQueuedPoints < 1)
            errors.Add($"Alerts:MaxQueuedPoints: {options.Alerts.MaxQueuedPoints} must be at least 1.");
        if (options.Alerts.Niceness is < 0 or > 19)
            errors.Add($"Alerts:Niceness: {options.Alerts.Niceness} must be within 0..19.");
        if (options.Alerts.RetryAttempts is < 1 or > 20)
            errors.Add("Alerts:RetryAttempts: must be within 1..20.");
        if (options.Alerts.RetryDelayMs is < 1 or > 600_000)
            errors.Add("Alerts:RetryDelayMs: must be within 1..600000.");
        JobsOptionsValidation.AddErrors(options.Jobs, options.Watch.Roots, errors);
        errors.AddRange(ExposureCheck.Problems(configuration["Urls"], configuration["AllowedHosts"], options.Auth));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
