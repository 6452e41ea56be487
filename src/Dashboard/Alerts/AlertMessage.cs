using Dashboard.Live;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Alerts;

/// <summary>
/// The hub's <c>alert</c> message: an alert as it now stands, to its run's page and to every page
/// (the critical banner, the run list's counts, the alerts page), whatever changed it.
/// </summary>
public static class AlertMessage
{
    public static Task SendAlertAsync(this IHubContext<LiveHub> hub, AlertView alert, CancellationToken cancellationToken) =>
        hub.Clients.Groups(LiveHub.RunGroup(alert.RunId), LiveHub.AllGroup).SendAsync("alert", alert, cancellationToken);
}
