using System.Diagnostics;
using System.Globalization;
using Dashboard.Tests.Support;

namespace Dashboard.Bench;

/// <summary>
/// Newline written → hub <c>points</c> message received, one line at a time (20–60 ms apart): the loop the
/// latency benchmarks share. The first line (step 0) makes the run; its id is what the client follows.
/// </summary>
public static class LineLatency
{
    private const int Warmup = 20;

    public static string Line(int step) => string.Create(CultureInfo.InvariantCulture, $"Iter {step}/1000000 | loss: {1.0 / (step + 1):0.00000}\n");

    /// <summary>Writes lines 1..count (after a warm-up) and returns each one's latency in ms.</summary>
    public static async Task<List<double>> MeasureAsync(StreamWriter writer, LiveHubClient client, int count)
    {
        var latencies = new List<double>(count);
        for (var i = 1; i <= count + Warmup; i++)
        {
            await writer.WriteAsync(Line(i));
            await writer.FlushAsync();
            var written = Stopwatch.GetTimestamp();
            while (true)
            {
                var message = await client.NextAsync("points", TimeSpan.FromSeconds(10));
                var points = message.Body.GetProperty("points").GetProperty("loss");
                if (points[points.GetArrayLength() - 1][0].GetInt64() != i)
                    continue;
                if (i > Warmup)
                    latencies.Add(Stopwatch.GetElapsedTime(written, message.ReceivedTimestamp).TotalMilliseconds);
                break;
            }
            await Task.Delay(Random.Shared.Next(20, 60));
        }
        return latencies;
    }
}
