using System.Globalization;
using System.Reflection;
using Dashboard.Core.Rules;

namespace Dashboard.Configuration;

/// <summary>
/// Checks the raw <c>Rules</c> settings the binder would skip in silence: keys no rule property
/// reads (a typo such as <c>Treshold</c>) and values that do not convert (<c>Kind: Abov</c>).
/// </summary>
public static class RuleKeys
{
    public static IEnumerable<string> Problems(IConfiguration configuration) =>
        configuration.GetSection("Rules").GetChildren().SelectMany(rule => Check(rule, typeof(RuleDefinition), "a rule"));

    private static IEnumerable<string> Check(IConfigurationSection section, Type type, string what)
    {
        var properties = type.GetProperties().Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                yield return $"{child.Path}: is not a setting of {what} (one of {string.Join(", ", properties.Keys.Order())}).";
                continue;
            }
            var valueType = property.PropertyType;
            var element = valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(List<>) ? valueType.GetGenericArguments()[0] : null;
            var entries = element is null ? [(child, valueType)] : child.GetChildren().Select(e => (e, element)).ToList();
            foreach (var (entry, entryType) in entries)
            {
                if (entryType == typeof(ExpectedBand))
                {
                    foreach (var problem in Check(entry, entryType, "a band"))
                        yield return problem;
                }
                else if (entry.Value is { } text && !Converts(text, entryType))
                {
                    yield return $"{entry.Path}: '{text}' is not {Describe(entryType)}.";
                }
            }
        }
    }

    private static bool Converts(string text, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
            return Enum.TryParse(type, text, ignoreCase: true, out var value) && Enum.IsDefined(type, value!);
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        if (type == typeof(long) || type == typeof(int))
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
        if (type == typeof(bool))
            return bool.TryParse(text, out _);
        return true;
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}" : $"a {type.Name.ToLowerInvariant()}";
    }
}
