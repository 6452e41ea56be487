namespace Dashboard.Components.Model;

/// <summary>
/// Whether this browser may act from the pages (acknowledge, start jobs, make reports): no key is set, or
/// the request that opened the page carried the API key's session cookie. Decided on that request, since a
/// circuit has no cookies of its own.
/// </summary>
public sealed record WriteAccess(bool Allowed)
{
    public const string Why = "Sign in with the service's API key to act from the pages";
}
