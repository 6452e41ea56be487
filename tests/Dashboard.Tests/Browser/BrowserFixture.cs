using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium) shared by every test in the "browser" collection.
/// Playwright's node driver ships inside the Microsoft.Playwright NuGet package (copied to .playwright/
/// in the build output); browsers cannot be downloaded here, so <see cref="ChromiumLaunch"/> points it at
/// the system Chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const float DefaultTimeoutMs = 20_000;

    /// <summary>
    /// A page's load (several megabytes of scripts, and a circuit on interactive pages) took over
    /// Playwright's 30 s beside the rest of the suite on 2 cores.
    /// </summary>
    public static readonly PageGotoOptions Navigation = new() { Timeout = 60_000 };
    // A page load pulls several megabytes of Plotly: on a loaded 2-core machine that alone can take seconds.
    public const float NavigationTimeoutMs = 30_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IPlaywright Playwright => _playwright ?? throw new InvalidOperationException("BrowserFixture is not initialized.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("BrowserFixture is not initialized.");

    public async Task InitializeAsync()
    {
        // Expectations wait as long as actions do: an interactive page first starts its circuit, slow on a loaded machine.
        Assertions.SetDefaultExpectTimeout(DefaultTimeoutMs);
        (_playwright, _browser) = await ChromiumLaunch.StartAsync();
    }

    /// <summary>A page in its own fresh context, with ~10 s default timeouts.</summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(DefaultTimeoutMs);
        context.SetDefaultNavigationTimeout(NavigationTimeoutMs);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(DefaultTimeoutMs);
        page.SetDefaultNavigationTimeout(NavigationTimeoutMs);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            await _browser.DisposeAsync();
            _browser = null;
        }

        _playwright?.Dispose();
        _playwright = null;
    }
}

/// <summary>Browser tests share one Chromium: mark them <c>[Collection("browser")]</c>.</summary>
[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
