using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Support;

/// <summary>
/// A client of the public live hub (<c>/hubs/live</c>) as scripts use it: the .NET SignalR client
/// (<see cref="HubConnection"/>) subscribed to every message the hub documents, each one queued in
/// <see cref="Messages"/> with the moment it arrived, so a test awaits the message it expects (with a
/// timeout) instead of sleeping.
/// </summary>
/// <remarks>
/// The hub needs no API key. It refuses a browser's request from another site (an <c>Origin</c> or
/// <c>Sec-Fetch-Site</c> that is not the service's own, see <c>AccessGuard</c>); a script sends neither
/// header, and so does this client unless <c>configure</c> adds them.
/// </remarks>
public sealed class LiveHubClient : IAsyncDisposable
{
    /// <summary>The server's messages, as the README's "Live hub" section lists them; each has one argument.</summary>
    public static readonly string[] ServerMessages = ["points", "run", "alert", "job"];

    private readonly HubConnection _connection;
    private readonly Channel<HubMessage> _messages = Channel.CreateUnbounded<HubMessage>();

    /// <param name="Target">The message's name (<c>points</c>, <c>run</c>, ...).</param>
    /// <param name="Body">Its argument, as the server wrote it.</param>
    /// <param name="ReceivedTimestamp">When it arrived, in <see cref="Stopwatch.GetTimestamp"/> ticks.</param>
    public sealed record HubMessage(string Target, JsonElement Body, long ReceivedTimestamp);

    private LiveHubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var target in ServerMessages)
            _connection.On<JsonElement>(target, body => _messages.Writer.TryWrite(new HubMessage(target, body, Stopwatch.GetTimestamp())));
        _connection.Closed += _ =>
        {
            _messages.Writer.TryComplete();
            return Task.CompletedTask;
        };
    }

    public ChannelReader<HubMessage> Messages => _messages.Reader;

    public HubConnection Connection => _connection;

    /// <summary>Connects to the hub of the service at <paramref name="baseAddress"/>.</summary>
    /// <param name="configure">Headers and transport options (<c>options.Headers["Origin"]</c> to act as a page).</param>
    public static async Task<LiveHubClient> ConnectAsync(Uri baseAddress, Action<HttpConnectionOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/live"), options => configure?.Invoke(options))
            .Build();
        var client = new LiveHubClient(connection);
        try
        {
            await connection.StartAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return client;
    }

    /// <summary>Calls a hub method (<c>Subscribe</c>, <c>SubscribeAll</c>, <c>Unsubscribe</c>) and waits for its completion.</summary>
    public Task InvokeAsync(string method, params object?[] arguments) =>
        _connection.InvokeCoreAsync(method, arguments).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>The next message with this target, skipping others, or a timeout.</summary>
    public Task<HubMessage> NextAsync(string target, TimeSpan timeout) => NextAsync(target, _ => true, timeout);

    /// <summary>The next message with this target that matches, skipping others, or a timeout.</summary>
    public async Task<HubMessage> NextAsync(string target, Func<HubMessage, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(cancel.Token);
                if (message.Target == target && match(message))
                    return message;
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching '{target}' message from the live hub within {timeout.TotalSeconds:0.#} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _messages.Writer.TryComplete();
    }
}
