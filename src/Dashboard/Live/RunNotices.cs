namespace Dashboard.Live;

/// <summary>
/// Payload-free "something of this run changed" notices for what the live bus does not carry (alerts
/// stored, acknowledged; jobs queued, progressing, ended; tags and notes set): pages re-read from the store. Handlers must
/// only take note and return, since they run on the notifier's thread.
/// </summary>
public sealed class RunNotices
{
    public event Action<long>? Changed;

    /// <summary>Only job changes: the jobs page hears these without every run's points and alerts.</summary>
    public event Action<long>? JobChanged;

    /// <summary>Only alert changes (stored, acknowledged): the critical banner of every page hears these without every run's points.</summary>
    public event Action<long>? AlertChanged;

    public void Notify(long runId) => Changed?.Invoke(runId);

    /// <summary>An alert of the run changed: its run's page hears it as any change of the run, the banner as an alert's.</summary>
    public void NotifyAlerts(long runId)
    {
        Changed?.Invoke(runId);
        AlertChanged?.Invoke(runId);
    }

    /// <summary>A job of the run changed: its run's page hears it as any change of the run, the jobs page as a job's.</summary>
    public void NotifyJob(long runId)
    {
        Changed?.Invoke(runId);
        JobChanged?.Invoke(runId);
    }
}
