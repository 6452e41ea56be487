using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Live;

/// <summary>
/// Clients subscribe to one run (its points and status) or to everything (every run's status, for
/// the run list). Server messages: <c>points</c> {run, points: {key: [[step, value, unixMs]...]}} and
/// <c>run</c> (a run summary).
/// </summary>
public sealed class LiveHub : Hub
{
    public const string Path = "/hubs/live";
    public const string AllGroup = "all";

    public static string RunGroup(long runId) => $"run:{runId}";

    public Task Subscribe(long runId) => Groups.AddToGroupAsync(Context.ConnectionId, RunGroup(runId));

    public Task Unsubscribe(long runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroup(runId));

    public Task SubscribeAll() => Groups.AddToGroupAsync(Context.ConnectionId, AllGroup);
}
