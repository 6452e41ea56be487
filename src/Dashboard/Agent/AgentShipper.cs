using System.Net;
using Microsoft.Extensions.Options;

namespace Dashboard.Agent;

/// <summary>
/// Sends the spool's batches to the server in order, one at a time (a source's batches must arrive in the order
/// they were read), removing each once the server has it. A lost answer or a server away only delays: the same
/// batch is sent again, with a growing pause, until an answer comes; the server stores it once.
/// </summary>
public sealed class AgentShipper(AgentSpool spool, AgentServer server, IOptions<AgentOptions> options, ILogger<AgentShipper> logger) : BackgroundService
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BacklogReportEvery = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = new RetryDelay(TimeSpan.FromMilliseconds(options.Value.MaxRetryDelayMs));
        DateTime? failingSince = null;
        var lastReport = DateTime.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = await spool.NextAsync(stoppingToken);
                var problem = await TrySendAsync(batch, stoppingToken);
                if (problem is null)
                {
                    if (failingSince is { } since)
                        logger.LogInformation("{Server} answers again after {Seconds:0} s; {Count} more batches wait to be sent", server.Address, (DateTime.UtcNow - since).TotalSeconds, spool.Waiting.Batches);
                    failingSince = null;
                    delay.Reset();
                    ReportBacklog(batch.Body.Length);
                    continue;
                }
                failingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - lastReport > ReportEvery)
                {
                    var (count, bytes) = spool.Waiting;
                    logger.LogWarning("Cannot deliver to {Server}: {Problem}. {Count} batches ({Megabytes:0.0} MB) wait in the spool; trying again, at most every {Max} s",
                        server.Address, problem, count, bytes / 1e6, delay.Max.TotalSeconds);
                    lastReport = DateTime.UtcNow;
                }
                await delay.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private DateTime _backlogSince = DateTime.UtcNow;
    private long _sentBytes;

    /// <summary>While a backlog drains (a first read of big logs, a server back after a while), what went and what waits, every half minute.</summary>
    private void ReportBacklog(int bytes)
    {
        _sentBytes += bytes;
        var (count, waiting) = spool.Waiting;
        if (count == 0)
            (_backlogSince, _sentBytes) = (DateTime.UtcNow, 0);
        else if (DateTime.UtcNow - _backlogSince > BacklogReportEvery)
        {
            var seconds = (DateTime.UtcNow - _backlogSince).TotalSeconds;
            logger.LogInformation("Sent {Megabytes:0.0} MB to {Server} in {Seconds:0} s ({Rate:0.0} MB/s); {Count} batches ({Waiting:0.0} MB) still wait",
                _sentBytes / 1e6, server.Address, seconds, _sentBytes / 1e6 / seconds, count, waiting / 1e6);
            (_backlogSince, _sentBytes) = (DateTime.UtcNow, 0);
        }
    }

    /// <summary>Null once the batch has left the spool (taken, or refused for good); otherwise why it must be sent again.</summary>
    private async Task<string?> TrySendAsync(AgentSpool.Spooled batch, CancellationToken stoppingToken)
    {
        AgentServer.Answer answer;
        try
        {
            answer = await server.SendAsync(batch.Body, stoppingToken);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            return error.Message;
        }
        switch (answer.Status)
        {
            case HttpStatusCode.OK:
                await spool.RemoveAsync(batch, CancellationToken.None);
                return null;
            case HttpStatusCode.Conflict when answer.Stand is { } stand:
                logger.LogWarning("{Path}: the server stands at byte {Offset} of this log, not where the agent's batches were: reading it again from there", batch.Key, stand.Offset);
                await spool.MoveAsync(batch, stand.Offset, stand.ParserState, CancellationToken.None);
                return null;
            case HttpStatusCode.Conflict or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity:
                logger.LogError("{Path}: the server refused a batch ({Status}: {Detail}); it is kept in the spool's 'refused' table", batch.Key, (int)answer.Status, answer.Detail);
                await spool.RefuseAsync(batch, $"{(int)answer.Status}: {answer.Detail}", CancellationToken.None);
                return null;
            default:
                // 401/403 (the key), 404 (an older server), 5xx: nothing is dropped; a person or time fixes it.
                return $"{(int)answer.Status} {answer.Detail}";
        }
    }
}
