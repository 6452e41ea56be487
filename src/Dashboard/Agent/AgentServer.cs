using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Api;
using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Agent;

/// <summary>The agent's side of <see cref="AgentEndpoints"/>: one HTTP client to the web instance, with the API key.</summary>
public sealed class AgentServer : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _node;

    public AgentServer(IOptions<AgentOptions> agent, IOptions<DashboardOptions> options)
    {
        _node = options.Value.Node;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = new Uri(agent.Value.Server!),
            // Longer than the server's own wait on its store (Ingest:WriteTimeoutSeconds), which answers 503 first.
            Timeout = TimeSpan.FromMinutes(2),
        };
        // A proxy in front of several web instances routes by it, so one node's runs are ingested, and judged by the rules, in one place.
        _http.DefaultRequestHeaders.Add(NodeHeader, _node);
        if (!string.IsNullOrEmpty(options.Value.Auth.ApiKey))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Auth.ApiKey);
    }

    public const string NodeHeader = "X-Dashboard-Node";

    public Uri Address => _http.BaseAddress!;

    /// <summary>The server's answer to a batch: where it stands for the source now, or why it refused.</summary>
    public sealed record Answer(HttpStatusCode Status, AgentEndpoints.SourceStand? Stand, string? Detail);

    /// <summary>Sends a serialized batch; network failures throw (<see cref="HttpRequestException"/>, a timeout).</summary>
    public async Task<Answer> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(AgentEndpoints.BatchesPath, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict)
            return new Answer(response.StatusCode, JsonSerializer.Deserialize<AgentEndpoints.SourceStand>(text, AgentBatch.Json), null);
        return new Answer(response.StatusCode, null, ProblemDetail(text));
    }

    /// <summary>Where the store stands for a log of this node.</summary>
    public async Task<AgentEndpoints.SourceStand> PositionAsync(string path, CancellationToken cancellationToken)
    {
        var url = $"{AgentEndpoints.PositionPath}?node={Uri.EscapeDataString(_node)}&key={Uri.EscapeDataString(path)}";
        using var response = await _http.GetAsync(url, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{url}: {(int)response.StatusCode} {ProblemDetail(await response.Content.ReadAsStringAsync(cancellationToken))}", null, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AgentEndpoints.SourceStand>(AgentBatch.Json, cancellationToken))!;
    }

    public void Dispose() => _http.Dispose();

    private static string ProblemDetail(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var detail))
                return detail.ToString();
        }
        catch (JsonException)
        {
        }
        return body.Length > 300 ? body[..300] : body;
    }
}
