using System.Globalization;

namespace Dashboard.Core.Tests.Rules;

/// <summary>
/// An S4GAN log following the guide's expected curves without noise (so a test knows each value),
/// with any curve replaced to plant one warning sign. Lines every 100 iterations, an evaluation
/// block every 500, as the guide shows them.
/// </summary>
internal sealed record GuideLog
{
    public int TotalSteps { get; init; } = 50_000;
    public Func<int, double> CrossEntropy { get; init; } = t => 0.35 + 3.9 * Math.Exp(-t / 6000.0);
    public Func<int, double> FeatureMatching { get; init; } = t => 0.004 + 0.02 * t / 50_000.0;
    public Func<int, double> SelfTraining { get; init; } = t => t <= 1000 ? 0 : 0.3 + 2.2 * Math.Exp(-(t - 1000) / 12_000.0);
    public Func<int, double> Discriminator { get; init; } = t => 0.3 + 0.39 * Math.Exp(-t / 4000.0);
    public Func<int, double> Count { get; init; } = t => Math.Round(1 + 14 * (1 - Math.Exp(-t / 15_000.0)));
    public Func<int, double> TrainIoU { get; init; } = t => 0.25 + 0.55 * (1 - Math.Exp(-t / 9000.0));
    public Func<int, double>? ValIoU { get; init; }

    /// <summary>Extra lines printed after the line of an iteration (a traceback, say).</summary>
    public Func<int, IEnumerable<string>> After { get; init; } = _ => [];

    public int LastStep { get; init; } = int.MaxValue;

    public IEnumerable<string> Lines()
    {
        var val = ValIoU ?? (t => TrainIoU(t) - 0.03);
        for (var t = 100; t <= Math.Min(TotalSteps, LastStep); t += 100)
        {
            yield return F($"Iter {t}/{TotalSteps} | Loss_CE: {CrossEntropy(t):0.000} | Loss_FM: {FeatureMatching(t):0.000} | Loss_ST: {SelfTraining(t):0.000} | Loss_D: {Discriminator(t):0.000} | ST_Count: {Count(t):0}");
            if (t % 500 == 0)
            {
                yield return new string('=', 60);
                yield return $"Evaluating at iteration {t}...";
                yield return new string('=', 60);
                yield return F($"Training mIoU: {TrainIoU(t):0.0000}");
                yield return F($"Validation mIoU: {val(t):0.0000}");
                yield return new string('=', 60);
            }
            foreach (var line in After(t))
                yield return line;
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
