namespace Dashboard.Configuration;

/// <summary>
/// Maps the friendly flags (<c>--watch</c> repeatable, <c>--demo</c> without a value) onto configuration keys;
/// anything else (<c>--urls</c>, <c>--Live:CoalesceMs=10</c>) passes through to the standard parser.
/// </summary>
public static class CommandLine
{
    /// <param name="RuleFiles">JSON files of rules (<c>{"Rules": {id: rule}}</c>) from <c>--rules FILE</c>, read after appsettings.json.</param>
    public sealed record Parsed(Dictionary<string, string?> Settings, string[] Remaining, IReadOnlyList<string> RuleFiles);

    public static Parsed Parse(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var remaining = new List<string>();
        var ruleFiles = new List<string>();
        var watchCount = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inlineValue) = Split(args[i]);
            switch (flag)
            {
                case "--watch":
                    settings[$"Watch:Roots:{watchCount++}"] = ValueOf(args, ref i, flag, inlineValue);
                    break;
                case "--data":
                    settings["Data"] = ValueOf(args, ref i, flag, inlineValue);
                    break;
                case "--store":
                    settings["Store:Provider"] = StoreOptions.Postgres;
                    settings["Store:ConnectionString"] = ValueOf(args, ref i, flag, inlineValue);
                    break;
                case "--redis":
                    settings["Live:Redis"] = ValueOf(args, ref i, flag, inlineValue);
                    break;
                case "--server":
                    settings["Agent:Server"] = ValueOf(args, ref i, flag, inlineValue);
                    break;
                case "--node":
                    settings["Node"] = ValueOf(args, ref i, flag, inlineValue);
                    break;
                case "--gpus":
                    var gpus = ValueOf(args, ref i, flag, inlineValue).Split(',', StringSplitOptions.TrimEntries);
                    for (var g = 0; g < gpus.Length; g++)
                        settings[$"Jobs:GpuSlots:{g}"] = gpus[g];
                    break;
                case "--api-key":
                    settings["Auth:ApiKey"] = ValueOf(args, ref i, flag, inlineValue);
                    break;
                case "--rules":
                    ruleFiles.Add(Path.GetFullPath(ValueOf(args, ref i, flag, inlineValue)));
                    break;
                case "--allow-anonymous-writes":
                    settings["Auth:AllowAnonymousWrites"] = inlineValue ?? "true";
                    break;
                case "--demo":
                    settings["Demo:Enabled"] = inlineValue ?? "true";
                    break;
                default:
                    remaining.Add(args[i]);
                    break;
            }
        }
        return new Parsed(settings, [.. remaining], ruleFiles);
    }

    private static (string Flag, string? Value) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i, string flag, string? inlineValue)
    {
        if (inlineValue is not null)
            return inlineValue;
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"{flag} needs a value, e.g. {flag} /path/to/folder.");
        return args[++i];
    }
}
