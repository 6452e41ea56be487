using System.Net.Http.Json;
using System.Threading.Channels;
using Dashboard.Configuration;
using Dashboard.Core.Rules;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Dashboard.Alerts;

/// <summary>
/// Tells the configured webhooks once when an alert is raised and once when it clears, with a
/// Slack-compatible body. Sending happens here, off the rules' path: a slow or failing webhook is
/// retried with doubling delays and never holds up ingestion; the queue is bounded and says what it drops.
/// </summary>
public sealed class AlertNotifier(
    IOptions<DashboardOptions> options,
    IHttpClientFactory clients,
    PublicAddress address,
    ILogger<AlertNotifier> logger) : BackgroundService
{
    private readonly Channel<(AlertChangeKind Kind, AlertView Alert)> _queue = Channel.CreateBounded<(AlertChangeKind, AlertView)>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Enqueue(AlertChangeKind kind, AlertView alert)
    {
        if (kind == AlertChangeKind.Updated || options.Value.Alerts.Webhooks.Count == 0)
            return;
        if (!_queue.Writer.TryWrite((kind, alert)))
            logger.LogWarning("Webhook queue is full; alert {AlertId} was not sent", alert.Id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Alerts;
        try
        {
            await foreach (var (kind, alert) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                var body = WebhookMessage.For(kind, alert, address.Base);
                foreach (var webhook in settings.Webhooks.Where(w => alert.Severity >= w.MinSeverity))
                    await SendAsync(webhook.Url, body, settings, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(string url, WebhookMessage body, AlertsOptions settings, CancellationToken stoppingToken)
    {
        var client = clients.CreateClient(nameof(AlertNotifier));
        for (var attempt = 1; attempt <= settings.RetryAttempts; attempt++)
        {
            try
            {
                using var response = await client.PostAsJsonAsync(url, body, Api.WireFormat.Options, stoppingToken);
                if (response.IsSuccessStatusCode)
                    return;
                logger.LogWarning("Webhook {Url} answered {Status} (attempt {Attempt} of {Attempts})", url, (int)response.StatusCode, attempt, settings.RetryAttempts);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Webhook {Url} failed: {Error} (attempt {Attempt} of {Attempts})", url, error.Message, attempt, settings.RetryAttempts);
            }
            if (attempt < settings.RetryAttempts)
                await Task.Delay(TimeSpan.FromMilliseconds(settings.RetryDelayMs * Math.Pow(2, attempt - 1)), stoppingToken);
        }
        logger.LogError("Webhook {Url} gave up after {Attempts} attempts: {Text}", url, settings.RetryAttempts, body.Text);
    }

}
