namespace Dashboard.Configuration;

public sealed class AuthOptions
{
    /// <summary>When set, writes need <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.</summary>
    public string? ApiKey { get; set; }
}
