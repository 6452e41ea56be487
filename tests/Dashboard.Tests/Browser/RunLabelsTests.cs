using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class RunLabelsTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_signed_in_user_tags_and_notes_a_run_and_a_reader_sees_it_live_without_the_controls()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKey"] = "s3cret-key" });
        var (_, run) = await host.WriteRunAsync("gan", "labelled.log", LogLines.IterRange(100, 300), untilStep: 300);

        var reader = await AlertBannerTests.OpenAsync(browser, host, $"/runs/{run.Id}");
        await Assertions.Expect(reader.Locator("#run-labels [data-role='no-tags']")).ToBeVisibleAsync();
        await Assertions.Expect(reader.Locator("#run-labels [data-role='labels-read-only']")).ToBeVisibleAsync();
        await Assertions.Expect(reader.Locator("#run-labels [data-role='add-tag']")).ToHaveCountAsync(0);
        await Assertions.Expect(reader.Locator("#run-labels [data-role='edit-note']")).ToHaveCountAsync(0);

        var writer = await browser.NewPageAsync();
        await writer.GotoAsync(new Uri(host.BaseAddress, $"/signin?returnUrl=/runs/{run.Id}").ToString(), BrowserFixture.Navigation);
        await writer.Locator("#api-key").FillAsync("s3cret-key");
        await writer.Locator("[data-role='sign-in']").ClickAsync();
        await Assertions.Expect(writer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs/{run.Id}$"));
        await writer.WaitForSelectorAsync("[data-live='connected']");

        // Markup in a tag is text, on the page that wrote it and on the one that reads it.
        const string odd = "<b>lr</b> & sweep";
        foreach (var tag in new[] { "best", odd })
        {
            await writer.Locator("#new-tag").FillAsync(tag);
            await writer.Locator("#new-tag").PressAsync("Enter");
            await Assertions.Expect(writer.Locator("#new-tag")).ToHaveValueAsync("");
        }
        foreach (var page in new[] { writer, reader })
            await Assertions.Expect(page.Locator("#run-labels [data-tag]")).ToHaveTextAsync(["<b>lr</b> & sweep", "best"]);
        Assert.Equal(["<b>lr</b> & sweep", "best"], (await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}")).Run.Tags);
        Assert.Equal(0, await reader.Locator("#run-labels b").CountAsync());

        // A tag links to the run list filtered by it; a button beside it removes it.
        Assert.Equal("/?tag=best", await reader.Locator("#run-labels [data-tag='best']").GetAttributeAsync("href"));
        await writer.Locator("#run-labels [data-remove-tag='best']").ClickAsync();
        await Assertions.Expect(reader.Locator("#run-labels [data-tag]")).ToHaveTextAsync([odd]);

        await writer.Locator("#run-labels [data-role='edit-note']").ClickAsync();
        await writer.Locator("#note-text").FillAsync("Diverged after the lr bump.\nCompare with run 3.");
        await writer.Locator("#run-labels [data-role='save-note']").ClickAsync();
        await Assertions.Expect(reader.Locator("#run-labels [data-role='note-text']")).ToHaveTextAsync("Diverged after the lr bump.\nCompare with run 3.");
        Assert.Equal("Diverged after the lr bump.\nCompare with run 3.", (await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}")).Note);
    }
}
