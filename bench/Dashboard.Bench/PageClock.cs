using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// This process's clock and a page's, both in Unix milliseconds on the same machine: the page's is
/// <c>performance.timeOrigin + performance.now()</c>, which Chromium derives from a monotonic clock and
/// may drift from the system clock by a few milliseconds, so each page's offset is measured.
/// </summary>
public static class PageClock
{
    /// <summary>Now, Unix ms, as the bench's writers stamp their lines.</summary>
    public static double UnixMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>
    /// The page's clock minus this one (subtract it from a page time), from the read with the
    /// shortest round trip of <paramref name="tries"/>, and that round trip (the offset's uncertainty is half of it).
    /// </summary>
    public static async Task<(double Offset, double RoundTripMs)> OffsetAsync(IPage page, int tries = 15)
    {
        var best = (Offset: 0.0, RoundTripMs: double.PositiveInfinity);
        for (var i = 0; i < tries; i++)
        {
            var before = UnixMs();
            var pageTime = await page.EvaluateAsync<double>("() => performance.timeOrigin + performance.now()");
            var after = UnixMs();
            if (after - before < best.RoundTripMs)
                best = (pageTime - (before + after) / 2, after - before);
        }
        return best;
    }
}
