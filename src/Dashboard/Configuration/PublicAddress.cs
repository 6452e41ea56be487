using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Dashboard.Configuration;

/// <summary>
/// The one address the service writes into absolute links (report Markdown, webhook messages):
/// <c>Alerts:PublicUrl</c> when set, else the first listening URL. Never the request's Host header,
/// which a client chooses.
/// </summary>
public sealed class PublicAddress(IOptions<DashboardOptions> options, IServer server)
{
    public Uri? Configured { get; } =
        Uri.TryCreate(options.Value.Alerts.PublicUrl, UriKind.Absolute, out var url) ? url : null;

    /// <summary>The base URL without a trailing slash.</summary>
    public string Base =>
        (options.Value.Alerts.PublicUrl
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://127.0.0.1:5000").TrimEnd('/');
}
