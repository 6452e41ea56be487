using System.Globalization;
using System.Text;

namespace Dashboard.Tests.Reports;

/// <summary>
/// A latent-diffusion VAE trainer log like report 002's (timestamps, a config dict first, `lr` printed
/// with 5 decimals, the discriminator switching on part-way, a total loss that goes negative).
/// </summary>
internal static class VaeLog
{
    public const long Every = 100;
    public const double SecondsPerLine = 2.5;
    public static readonly DateTime Start = new(2025, 8, 15, 20, 41, 7, 123);

    public static string Text(long totalSteps = 20_000, long discStart = 10_001, int batchSize = 2, long from = Every, long? to = null)
    {
        var text = new StringBuilder();
        if (from == Every)
            text.Append(CultureInfo.InvariantCulture,
                $"{{'model': {{'embed_dim': 3, 'double_z': True}}, 'trainer': {{'batch_size': {batchSize}, 'lr': 5e-06, 'min_lr': 5e-07, 'train_num_steps': {totalSteps}}}, 'loss': {{'disc_start': {discStart}, 'kl_weight': 1e-06}}}}\n");
        for (var step = from; step <= (to ?? totalSteps); step += Every)
        {
            var time = Start.AddSeconds((step / Every - 1) * SecondsPerLine);
            var disc = step >= discStart ? 1.0 : 0.0;
            var total = 2000 * Math.Exp(-step / 4000.0) + 37 * Math.Sin(step / 700.0) - 900 * disc;
            var rec = 0.03 * Math.Exp(-step / 9000.0) + 0.002 * Math.Cos(step / 300.0);
            text.Append(CultureInfo.InvariantCulture,
                $"{time:yyyy-MM-dd HH:mm:ss,fff} [Train Step] {step}/{totalSteps}: train/total_loss: {total:0.00000}, train/rec_loss: {rec:0.00000}, train/disc_factor: {disc:0.00000}, lr: 0.00000, \n");
        }
        return text.ToString();
    }
}
