using System.Globalization;

namespace Dashboard.Live;

/// <summary>
/// A <c>--redis</c> value: HOST:PORT, optionally followed by StackExchange.Redis options
/// (<c>HOST:PORT,password=…</c>). Checked here because the client accepts almost any string and
/// would only fail, over and over, once it tries to connect.
/// </summary>
public static class RedisAddress
{
    public static bool IsValid(string value)
    {
        var endpoint = value.Split(',', 2)[0].Trim();
        var colon = endpoint.LastIndexOf(':');
        return colon > 0
            && int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }
}
