namespace Dashboard.Live;

/// <summary>
/// Payload-free "something of this run changed" notices for what the live bus does not carry (alerts
/// stored, acknowledged): pages re-read from the store. Handlers must only take note and return,
/// since they run on the notifier's thread.
/// </summary>
public sealed class RunNotices
{
    public event Action<long>? Changed;

    public void Notify(long runId) => Changed?.Invoke(runId);
}
