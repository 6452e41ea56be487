using System.Globalization;

namespace Dashboard.Tests.Alerts;

/// <summary>S4GAN lines with the discriminator loss chosen per step (the other losses healthy).</summary>
internal static class AlertLog
{
    public static string Lines(long from, long to, Func<long, double> discriminator, int every = 100)
    {
        var text = new System.Text.StringBuilder();
        for (var step = from; step <= to; step += every)
            text.Append(CultureInfo.InvariantCulture, $"Iter {step}/50000 | Loss_CE: 1.200 | Loss_FM: 0.010 | Loss_ST: 0.800 | Loss_D: {discriminator(step):0.000} | ST_Count: 6\n");
        return text.ToString();
    }
}
