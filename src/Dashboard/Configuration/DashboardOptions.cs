using Dashboard.Core.Rules;

namespace Dashboard.Configuration;

/// <summary>The whole configuration tree, bound from the root of configuration (appsettings.json,
/// environment variables such as <c>Watch__Roots__0</c>, and the command line).</summary>
public sealed class DashboardOptions
{
    /// <summary>The SQLite file (unless <see cref="Store"/> names PostgreSQL) and everything else the service writes live here.</summary>
    public string Data { get; set; } = "data";

    public StoreOptions Store { get; set; } = new();

    /// <summary>
    /// This machine's name in a team deployment (<c>--node</c>): an agent's runs are stored as <c>NODE:/path/of/the.log</c>,
    /// and a worker runs the jobs on checkpoints of its node's runs. The machine's name by default.
    /// </summary>
    public string Node { get; set; } = Environment.MachineName;

    public WatchOptions Watch { get; set; } = new();

    public DemoOptions Demo { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public IngestOptions Ingest { get; set; } = new();

    public LiveOptions Live { get; set; } = new();

    /// <summary>The rules every run is watched with, by id: the monitoring guide's (see <see cref="GuideRulesSource"/>) and the deployment's own.</summary>
    public Dictionary<string, RuleDefinition> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public AlertsOptions Alerts { get; set; } = new();

    public JobsOptions Jobs { get; set; } = new();
}
