using Dashboard.Core.Jobs;

namespace Dashboard.Configuration;

/// <summary>Evaluation and sampling jobs on checkpoints (<c>Jobs:*</c>).</summary>
public sealed class JobsOptions
{
    public JobCommandOptions Evaluate { get; set; } = new();

    public JobCommandOptions Sample { get; set; } = new();

    /// <summary>Values for <c>CUDA_VISIBLE_DEVICES</c>, one job per slot; empty: one per GPU that <c>nvidia-smi -L</c> lists, else one slot "0".</summary>
    public List<string> GpuSlots { get; set; } = [];

    /// <summary>A job still running after this long is killed and failed (fractions allowed: 0.05 is 3 s).</summary>
    public double TimeoutMinutes { get; set; } = 60;

    /// <summary>
    /// On PostgreSQL: how long after its worker stops renewing it (the worker died) Hangfire gives a running job to
    /// another pick-up. Renewed every fifth of it while the worker lives, so a long job is never handed out twice.
    /// </summary>
    public int InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>How often a worker checks whether its running jobs were cancelled (from any instance).</summary>
    public int CancelCheckMs { get; set; } = 1000;

    /// <summary>Lines of a job's output kept with it (the last ones).</summary>
    public int OutputLines { get; set; } = 200;

    /// <summary>Jobs started by themselves when a watch root's runs save checkpoints.</summary>
    public List<AutoJobOptions> Auto { get; set; } = [];
}

public sealed class JobCommandOptions
{
    /// <summary>Program and arguments, with {checkpoint} {output} {run_dir} {step} {config}; started without a shell.</summary>
    public List<string> Command { get; set; } = [];
}

/// <summary>One policy: for runs under <see cref="Root"/>, a job of <see cref="Kind"/> on new checkpoints.</summary>
public sealed class AutoJobOptions
{
    /// <summary>A watch root (as in Watch:Roots), or <c>NODE:/folder</c>: a folder a training node's agent watches (its worker runs the jobs).</summary>
    public string Root { get; set; } = "";

    /// <summary>evaluate or sample.</summary>
    public string Kind { get; set; } = "evaluate";

    /// <summary>every (each new checkpoint), nth (every Nth of a run), best (best_model.* saved or replaced).</summary>
    public string When { get; set; } = "every";

    /// <summary>N for When = nth.</summary>
    public int N { get; set; } = 1;
}

/// <summary>The Jobs part of <see cref="DashboardOptionsValidator"/>: each bad key named.</summary>
public static class JobsOptionsValidation
{
    public static readonly string[] Kinds = ["evaluate", "sample"];
    public static readonly string[] Whens = ["every", "nth", "best"];

    public static void AddErrors(JobsOptions jobs, IReadOnlyList<string> watchRoots, List<string> errors)
    {
        Command("Jobs:Evaluate:Command", jobs.Evaluate.Command, errors);
        Command("Jobs:Sample:Command", jobs.Sample.Command, errors);
        if (jobs.GpuSlots.Any(string.IsNullOrWhiteSpace) || jobs.GpuSlots.Distinct(StringComparer.Ordinal).Count() != jobs.GpuSlots.Count)
            errors.Add("Jobs:GpuSlots: entries must be non-empty and distinct (e.g. [\"0\", \"1\"] or [\"0,1\"] for a two-GPU slot).");
        if (jobs.InvisibilityTimeoutSeconds is < 5 or > 86_400)
            errors.Add($"Jobs:InvisibilityTimeoutSeconds: {jobs.InvisibilityTimeoutSeconds} is outside 5..86400.");
        if (jobs.CancelCheckMs is < 100 or > 60_000)
            errors.Add($"Jobs:CancelCheckMs: {jobs.CancelCheckMs} is outside 100..60000.");
        if (!(jobs.TimeoutMinutes > 0 && jobs.TimeoutMinutes <= 7 * 24 * 60))
            errors.Add($"Jobs:TimeoutMinutes: {jobs.TimeoutMinutes} is outside (0, 10080].");
        if (jobs.OutputLines is < 1 or > 10_000)
            errors.Add($"Jobs:OutputLines: {jobs.OutputLines} is outside 1..10000.");
        var roots = watchRoots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Auto.Count; i++)
        {
            var auto = jobs.Auto[i];
            // A training node's folder: its worker has the commands, and this service never opens it.
            var onNode = Jobs.RunLocation.Of(auto.Root ?? "") is { Node: not null };
            if (string.IsNullOrWhiteSpace(auto.Root) || !onNode && !roots.Contains(Path.TrimEndingDirectorySeparator(Path.GetFullPath(auto.Root))))
                errors.Add($"Jobs:Auto:{i}:Root: '{auto.Root}' is not one of Watch:Roots (nor NODE:/folder, a training node's).");
            if (!Kinds.Contains(auto.Kind))
                errors.Add($"Jobs:Auto:{i}:Kind: '{auto.Kind}' is not evaluate or sample.");
            else if (!onNode && CommandOf(jobs, auto.Kind).Count == 0)
                errors.Add($"Jobs:Auto:{i}:Kind: {auto.Kind} jobs need Jobs:{(auto.Kind == "evaluate" ? "Evaluate" : "Sample")}:Command.");
            if (!Whens.Contains(auto.When))
                errors.Add($"Jobs:Auto:{i}:When: '{auto.When}' is not every, nth or best.");
            if (auto.N < 1)
                errors.Add($"Jobs:Auto:{i}:N: must be at least 1.");
        }
    }

    public static IReadOnlyList<string> CommandOf(JobsOptions jobs, string kind) => kind == "sample" ? jobs.Sample.Command : jobs.Evaluate.Command;

    private static void Command(string key, List<string> command, List<string> errors)
    {
        if (command.Count == 0)
            return;
        if (string.IsNullOrWhiteSpace(command[0]))
            errors.Add($"{key}: the first entry must name the program (e.g. python3).");
        if (command.Any(a => a is null))
            errors.Add($"{key}: has an empty entry.");
        foreach (var unknown in CommandTemplate.UnknownPlaceholders(command.Where(a => a is not null)))
            errors.Add($"{key}: unknown placeholder {{{unknown}}}; known: {string.Join(" ", CommandTemplate.Placeholders.Select(p => "{" + p + "}"))}.");
    }
}
