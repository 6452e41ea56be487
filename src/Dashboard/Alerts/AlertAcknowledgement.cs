using Dashboard.Live;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Alerts;

/// <summary>
/// Marks an alert seen, from the API or a page alike, and tells everyone who shows it: hub clients
/// get the alert message, open pages re-read. It is stored, so it is told even if the caller left.
/// </summary>
public sealed class AlertAcknowledgement(AlertStore store, IHubContext<LiveHub> hub, RunNotices notices)
{
    /// <returns>The acknowledged alert, or null when there is no such alert.</returns>
    public async Task<AlertView?> AcknowledgeAsync(long id, CancellationToken cancellationToken)
    {
        if (await store.AcknowledgeAsync(id, cancellationToken) is not { } alert)
            return null;
        await hub.SendAlertAsync(alert, CancellationToken.None);
        notices.NotifyAlerts(alert.RunId);
        return alert;
    }
}
