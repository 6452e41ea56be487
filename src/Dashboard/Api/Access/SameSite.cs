namespace Dashboard.Api.Access;

/// <summary>
/// Browsers say where a request comes from: <c>Origin</c> on every POST and WebSocket, and
/// <c>Sec-Fetch-Site</c>. Scripts and agents send neither and are not affected.
/// </summary>
public static class SameSite
{
    /// <summary>Why the request is refused as cross-site; null when it comes from this site or from no browser.</summary>
    /// <param name="publicUrl">The address users open when a proxy in front changes the Host header (<c>Alerts:PublicUrl</c>).</param>
    public static string? Refuses(HttpRequest request, Uri? publicUrl = null)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
            return "A page of another site may not write here or open the live hub.";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return null;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || from.Scheme is not ("http" or "https"))
            return $"Origin '{origin}' is not this site.";
        var host = request.Host;
        var port = host.Port ?? (request.IsHttps ? 443 : 80);
        if (SameHost(from.Host, host.Host) && from.Port == port)
            return null;
        if (publicUrl is not null && SameHost(from.Host, publicUrl.Host) && from.Port == publicUrl.Port && from.Scheme == publicUrl.Scheme)
            return null;
        return $"Origin '{origin}' is not this site ({request.Scheme}://{host}).";
    }

    private static bool SameHost(string a, string b) =>
        string.Equals(a.Trim('[', ']'), b.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
}
