namespace Dashboard.Configuration;

public sealed class AuthOptions
{
    /// <summary>When set, writes need <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Lets the service listen beyond loopback without an API key, so that anyone who reaches it may
    /// write (<c>--allow-anonymous-writes</c>). Off: such a start is refused.
    /// </summary>
    public bool AllowAnonymousWrites { get; set; }
}
