using System.Globalization;

namespace Dashboard.Tests.Support;

/// <summary>Log lines the way the seed trainers print them.</summary>
public static class LogLines
{
    public static string Iter(long step, double ce, long total = 50_000) =>
        string.Create(CultureInfo.InvariantCulture, $"Iter {step}/{total} | Loss_CE: {ce:0.000} | Loss_FM: 0.037 | Loss_ST: 0.000 | Loss_D: 0.184 | ST_Count: 2\n");

    public static string IterRange(long from, long to, long every = 100, long total = 50_000) =>
        string.Concat(Enumerable.Range(0, (int)((to - from) / every) + 1).Select(i => Iter(from + i * every, 4.0 - i * 0.001, total)));
}
