using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

public sealed class StaticAssetsTests
{
    // The interactive pages need Blazor's script and the packages' assets, served the normal way (static web assets).
    [Theory]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("/_content/Plotly.Blazor/plotly-interop-7.2.0.js")]
    [InlineData("/Components/Layout/ReconnectModal.razor.js")]
    [InlineData("/css/site.css")]
    [InlineData("/lib/bootstrap.min.css")]
    [InlineData("/js/report.js")]
    [InlineData("/_content/Plotly.Blazor/plotly-basic-3.7.0.min.js")]
    public async Task Assets_of_the_interactive_pages_are_served(string path)
    {
        await using var host = await TestHost.StartAsync();
        using var response = await host.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
    }
}
