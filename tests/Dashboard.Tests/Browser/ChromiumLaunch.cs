using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>
/// How Playwright starts Debian's Chromium here (/usr/bin/chromium; <c>playwright install</c> cannot
/// download browsers): the browser tests' fixture and the <c>pages</c> benchmark (linked into
/// bench/Dashboard.Bench) launch it the same way.
/// </summary>
public static class ChromiumLaunch
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    /// <summary>Headless Chromium with the arguments above; the first launch on a cold 2-core machine can be slow (font cache, profile).</summary>
    public static BrowserTypeLaunchOptions Options() => new()
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args = Args,
        Timeout = 60_000,
    };

    /// <summary>Playwright with the system Chromium, or a message saying how to install it when it is missing.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> StartAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is needed at {ChromiumPath}, which is missing. Install it with " +
                "`apt-get update && apt-get install -y --no-install-recommends chromium` (as root), or run " +
                "./test.sh as root, which installs it via .ci/install-deps. (`playwright install` cannot download browsers here.)");
        }

        // Never try to fetch Playwright's own browser builds; the system Chromium is used instead.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            return (playwright, await playwright.Chromium.LaunchAsync(Options()));
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
