using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Dashboard.Tests.Support;

/// <summary>
/// A small SignalR client speaking the JSON hub protocol over a WebSocket (the .NET SignalR client
/// does not restore here): handshake, invocations with completions, and server messages.
/// </summary>
public sealed class HubTestClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<HubMessage> _messages = Channel.CreateUnbounded<HubMessage>();
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _calls = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _pending = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    public sealed record HubMessage(string Target, JsonElement[] Arguments, long ReceivedTimestamp);

    public ChannelReader<HubMessage> Messages => _messages.Reader;

    public static async Task<HubTestClient> ConnectAsync(Uri baseAddress, CancellationToken cancellationToken = default)
    {
        var client = new HubTestClient();
        var uri = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = "/hubs/live" }.Uri;
        await client._socket.ConnectAsync(uri, cancellationToken);
        await client.SendAsync("""{"protocol":"json","version":1}""", cancellationToken);
        var handshake = await client.ReceiveRecordsAsync(cancellationToken);
        if (handshake.Count == 0 || handshake[0] != "{}")
            throw new InvalidOperationException($"Hub handshake failed: {string.Join(" ", handshake)}");
        client._receiving = client.ReceiveLoopAsync();
        return client;
    }

    public async Task<JsonElement> InvokeAsync(string method, params object[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString();
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_calls)
            _calls[id] = completion;
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments }), _stop.Token);
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The next server message with this target, or a timeout.</summary>
    public Task<HubMessage> NextAsync(string target, TimeSpan timeout) => NextAsync(target, _ => true, timeout);

    /// <summary>The next server message with this target that matches, skipping others, or a timeout.</summary>
    public async Task<HubMessage> NextAsync(string target, Func<HubMessage, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var message = await _messages.Reader.ReadAsync(cancel.Token);
            if (message.Target == target && match(message))
                return message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close our side first: cancelling a pending receive aborts the socket, and a close after that fails.
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _stop.Cancel();
        try
        {
            await _receiving;
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _stop.Dispose();
    }

    private Task SendAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, cancellationToken);

    private async Task ReceiveLoopAsync()
    {
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            foreach (var record in await ReceiveRecordsAsync(_stop.Token))
                Dispatch(record, Stopwatch.GetTimestamp());
        }
        _messages.Writer.TryComplete();
    }

    private void Dispatch(string record, long receivedTimestamp)
    {
        using var document = JsonDocument.Parse(record);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                var arguments = root.GetProperty("arguments").EnumerateArray().Select(a => a.Clone()).ToArray();
                _messages.Writer.TryWrite(new HubMessage(root.GetProperty("target").GetString()!, arguments, receivedTimestamp));
                break;
            case 3:
                TaskCompletionSource<JsonElement>? call;
                lock (_calls)
                    _calls.Remove(root.GetProperty("invocationId").GetString()!, out call);
                if (root.TryGetProperty("error", out var error))
                    call?.TrySetException(new InvalidOperationException(error.GetString()));
                else
                    call?.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                break;
        }
    }

    private async Task<List<string>> ReceiveRecordsAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return [];
            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (!result.EndOfMessage)
                continue;
            var text = _pending.ToString();
            var last = text.LastIndexOf(RecordSeparator);
            if (last < 0)
                continue;
            _pending.Clear().Append(text[(last + 1)..]);
            return [.. text[..last].Split(RecordSeparator)];
        }
    }
}
