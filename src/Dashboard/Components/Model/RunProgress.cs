using Dashboard.Storage;

namespace Dashboard.Components.Model;

/// <summary>Progress of a run: percentage of total steps and an ETA from the average pace so far.</summary>
public sealed record RunProgress(long? Step, long? TotalSteps, double? Percent, TimeSpan? Eta)
{
    public string StepText => ValueFormat.StepOfTotal(Step, TotalSteps);

    public string? PercentText => Percent is { } p ? p.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : null;

    public string EtaText => Eta is { } eta ? $"ETA {ValueFormat.Duration(eta)}" : "";

    public static RunProgress From(RunSummary run) =>
        Compute(run.Status, run.Step, run.TotalSteps, run.StartedAt, run.UpdatedAt);

    /// <summary>
    /// ETA = elapsed × (total − step) / step, with elapsed = updatedAt − startedAt; only for
    /// running or stalled runs that have made progress and are not done yet.
    /// </summary>
    public static RunProgress Compute(RunStatus status, long? step, long? total, DateTimeOffset startedAt, DateTimeOffset updatedAt)
    {
        double? percent = null;
        if (total is > 0 && step is { } s)
        {
            percent = Math.Clamp(100.0 * s / total.Value, 0, 100);
        }
        else if (status == RunStatus.Finished && total is > 0)
        {
            percent = 100;
        }

        TimeSpan? eta = null;
        var elapsed = updatedAt - startedAt;
        if (status is RunStatus.Running or RunStatus.Stalled
            && step is > 0 && total is { } t && t > step && elapsed > TimeSpan.Zero)
        {
            var seconds = elapsed.TotalSeconds * (t - step.Value) / step.Value;
            if (seconds < TimeSpan.MaxValue.TotalSeconds / 2) eta = TimeSpan.FromSeconds(seconds);
        }

        return new RunProgress(step, total, percent, eta);
    }
}
