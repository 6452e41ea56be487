namespace Dashboard.Components.Model;

/// <summary>Where the sign-in page sends the browser back to: a path on this site, never another host.</summary>
public static class ReturnPath
{
    /// <summary>
    /// <paramref name="requested"/> when it is a local path; "/" otherwise. "//host" and "/\host" leave the site,
    /// and browsers drop tabs and newlines from URLs ("/\t/host" is "//host"), so any control character refuses it.
    /// </summary>
    public static string Local(string? requested) =>
        requested is "/" or ['/', not '/' and not '\\', ..] && !requested.Any(char.IsControl) ? requested : "/";
}
