namespace Dashboard.Tests.Browser;

/// <summary>Proves the browser toolchain (Playwright driver + Debian Chromium) works, independent of the app.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChromiumSmokeTests(BrowserFixture browser)
{
    [Fact]
    public async Task Chromium_runs_page_scripts()
    {
        var page = await browser.NewPageAsync();
        try
        {
            await page.SetContentAsync(
                "<!doctype html><html><head><title>smoke</title></head><body>" +
                "<p id=\"msg\">hello</p>" +
                "<script>document.body.dataset.ok = 'yes'; document.getElementById('msg').textContent = 'ran';</script>" +
                "</body></html>");

            await page.WaitForSelectorAsync("body[data-ok='yes']");

            Assert.Equal("yes", await page.EvaluateAsync<string>("() => document.body.dataset.ok"));
            Assert.Equal("ran", await page.TextContentAsync("#msg"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
