using System.Globalization;

namespace Dashboard.Bench;

/// <summary>
/// An S4GAN log of a run that goes bad over and over: random losses (so bands and spikes fire
/// often), bursts of NaN, spikes of 20 to 100 times the level, and resumes from an earlier
/// checkpoint that write a stretch of steps again. A step's values depend on the step alone, so a
/// resumed stretch writes the values it wrote before and the stored points are one per step, the
/// same points as the CSV.
/// </summary>
internal static class UnhealthyLog
{
    /// <summary>A resume every this many steps, going back up to <see cref="ResumeBack"/> steps.</summary>
    private const int ResumeEvery = 200_000;
    private const int ResumeBack = 5_000;

    /// <summary>The log's lines, steps 1 to <paramref name="steps"/> in order but for the resumes' repeats.</summary>
    public static IEnumerable<(string Line, bool Repeat)> Lines(int steps)
    {
        var resumes = new Random(11);
        var step = 1L;
        var highest = 0L;
        while (step <= steps)
        {
            var repeat = step <= highest;
            yield return (Line(step, steps), repeat);
            highest = Math.Max(highest, step);
            if (step % ResumeEvery == 0 && !repeat && step < steps)
                step -= resumes.Next(100, ResumeBack);
            step++;
        }
    }

    private static string Line(long step, int steps)
    {
        // One generator per step: the same step always gets the same values.
        var random = new Random(unchecked((int)(step * 2654435761L)));
        var nanBurst = step / 50 * 7919 % 211 == 0;
        double Loss(double level)
        {
            if (nanBurst)
                return double.NaN;
            var value = level * Math.Exp(random.NextDouble() * 2 - 1);
            return random.Next(400) == 0 ? value * (20 + random.Next(80)) : value;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"Iter {step}/{steps} | Loss_CE: {F(Loss(1.0))} | Loss_FM: {F(Loss(0.02))} | Loss_ST: {F(Loss(0.6))} | Loss_D: {F(Loss(0.35))} | ST_Count: {random.Next(0, 14)}");
    }

    private static string F(double value) => double.IsNaN(value) ? "nan" : value.ToString("0.00000", CultureInfo.InvariantCulture);
}
