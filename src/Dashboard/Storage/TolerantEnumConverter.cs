using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dashboard.Storage;

/// <summary>
/// Stores an enum as its name and reads a name it does not know (a row edited by hand, or written by
/// a newer version) as <paramref name="fallback"/>: one odd row must not turn every page and answer
/// that lists it into a 500.
/// </summary>
public sealed class TolerantEnumConverter<TEnum>(TEnum fallback) : ValueConverter<TEnum, string>(
    value => value.ToString(),
    text => Read(text, fallback))
    where TEnum : struct, Enum
{
    private static TEnum Read(string text, TEnum fallback) =>
        Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : fallback;
}
