using System.Net;

namespace Dashboard.Configuration;

/// <summary>
/// A service that other machines can reach must not take anonymous writes by accident, nor answer
/// to any Host header (DNS rebinding): listening beyond loopback needs an API key (or an explicit
/// <c>--allow-anonymous-writes</c>) and the host names people use in <c>AllowedHosts</c>.
/// </summary>
public static class ExposureCheck
{
    /// <summary>appsettings.json's default: the names of this machine's loopback.</summary>
    public const string LoopbackHosts = "localhost;127.0.0.1;[::1]";

    public static IEnumerable<string> Problems(string? urls, string? allowedHosts, AuthOptions auth)
    {
        var exposed = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count == 0)
            yield break;
        if (string.IsNullOrEmpty(auth.ApiKey) && !auth.AllowAnonymousWrites)
            yield return $"Urls: {string.Join(", ", exposed)} can be reached from other machines, and no API key is set: anyone could write. " +
                         "Set Auth:ApiKey (--api-key KEY), or pass --allow-anonymous-writes to accept that.";
        if (string.Equals(allowedHosts?.Trim(), LoopbackHosts, StringComparison.OrdinalIgnoreCase))
            yield return $"AllowedHosts: {string.Join(", ", exposed)} can be reached from other machines, but only the loopback names are allowed. " +
                         "Set the names people open it by (--AllowedHosts=dash.example.com;localhost), or '*' behind a proxy that checks the Host header.";
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards (http://*:5000, http://+:5000) are no URIs .NET parses as such.
        var host = url.Contains("://*", StringComparison.Ordinal) || url.Contains("://+", StringComparison.Ordinal)
            ? "*"
            : Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed.Host.Trim('[', ']') : url;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
