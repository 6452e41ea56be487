using System.Globalization;

namespace Dashboard.Core.Simulation;

/// <summary>
/// Writes a realistic S4GAN training log (the monitoring guide's format and its expected curves:
/// losses settling, the self-training loss switching on after iteration 1,000, ST_Count rising, train
/// and validation mIoU climbing with a small gap). Deterministic for a seed, so tests and benchmarks
/// can regenerate the same log. <paramref name="evaluateEvery"/> 0 writes no evaluation blocks;
/// <paramref name="learningRates"/> false leaves the LR columns out (the guide's five-metric lines).
/// With <paramref name="unstableFrom"/>, the training goes wrong from that step the way the guide
/// warns: the discriminator loss climbs above 1.0, and 1,000 steps later the losses turn NaN and the
/// trainer dies with a traceback.
/// </summary>
public sealed class S4GanLogSimulator(int totalSteps = 50_000, int logEvery = 100, int evaluateEvery = 500, int seed = 7, bool learningRates = true, int? unstableFrom = null)
{
    public int TotalSteps => totalSteps;

    public string ConfigLine =>
        $"{{'model': 'DeepLab-v2', 'dataset': 'S4GAN demo', 'batch_size': 4, 'num_steps': {totalSteps}, " +
        "'learning_rate': 0.00025, 'learning_rate_D': 0.0001, 'lambda_fm': 0.1, 'lambda_st': 1.0, 'threshold_st': 0.2}";

    /// <summary>The log, in chunks that a trainer prints at once (one line, or one evaluation block).</summary>
    public IEnumerable<string[]> Chunks()
    {
        var random = new Random(seed);
        var best = double.NegativeInfinity;
        yield return [ConfigLine];
        for (var step = logEvery; step <= totalSteps; step += logEvery)
        {
            if (step >= unstableFrom + 1000)
            {
                yield return [F($"Iter {step}/{totalSteps} | Loss_CE: nan | Loss_FM: nan | Loss_ST: nan | Loss_D: nan | ST_Count: 0")];
                yield return
                [
                    "Traceback (most recent call last):",
                    "  File \"train_s4gan.py\", line 412, in <module>",
                    "    loss.backward()",
                    "RuntimeError: Function 'LogSoftmaxBackward0' returned nan values in its 0th output.",
                ];
                yield break;
            }
            yield return [IterLine(step, random)];
            if (evaluateEvery <= 0 || step % evaluateEvery != 0)
                continue;
            var (train, validation) = MeanIoU(step, random);
            var block = new List<string>
            {
                new('=', 60),
                $"Evaluating at iteration {step}...",
                new('=', 60),
                F($"Training mIoU: {train:0.0000}"),
                F($"Validation mIoU: {validation:0.0000}"),
            };
            if (validation > best)
            {
                block.Add(double.IsNegativeInfinity(best)
                    ? F($"✓ New best validation mIoU: {validation:0.0000}")
                    : F($"✓ New best validation mIoU: {validation:0.0000} (previous: {best:0.0000})"));
                best = validation;
            }
            block.Add(new('=', 60));
            yield return [.. block];
        }
        yield return ["Training finished."];
    }

    public IEnumerable<string> Lines() => Chunks().SelectMany(chunk => chunk);

    private string IterLine(int step, Random random)
    {
        double t = step, progress = t / totalSteps;
        var ce = 0.35 + 3.9 * Math.Exp(-t / 6000) + Noise(random, 0.06);
        var fm = Math.Max(0.001, 0.004 + 0.02 * progress + Noise(random, 0.002));
        var st = step <= 1000 ? 0 : Math.Max(0.05, 0.3 + 2.2 * Math.Exp(-(t - 1000) / 12000) + Noise(random, 0.08));
        var d = Math.Clamp(0.3 + 0.39 * Math.Exp(-t / 4000) + Noise(random, 0.03), 0.05, 0.95);
        if (step >= unstableFrom)
        {
            d = 1.1 + 0.002 * (step - unstableFrom.Value) + Noise(random, 0.05);
            ce *= 1 + (step - unstableFrom.Value) / 400.0;
        }
        var count = (int)Math.Clamp(Math.Round(1 + 14 * (1 - Math.Exp(-t / 15000)) + Noise(random, 1.2)), 0, 16);
        if (!learningRates)
            return F($"Iter {step}/{totalSteps} | Loss_CE: {ce:0.000} | Loss_FM: {fm:0.000} | Loss_ST: {st:0.000} | Loss_D: {d:0.000} | ST_Count: {count}");
        var decay = Math.Pow(Math.Max(0, 1 - progress), 0.9);
        return F($"Iter {step}/{totalSteps} | Loss_CE: {ce:0.000} | Loss_FM: {fm:0.000} | Loss_ST: {st:0.000} | Loss_D: {d:0.000} | ST_Count: {count} | LR_G: {2.5e-4 * decay:0.000e+00} | LR_D: {1e-4 * decay:0.000e+00}");
    }

    private (double Train, double Validation) MeanIoU(int step, Random random)
    {
        var train = 0.25 + 0.55 * (1 - Math.Exp(-step / 9000.0)) + Noise(random, 0.01);
        var validation = train - 0.03 - 0.03 * step / totalSteps + Noise(random, 0.01);
        return (Math.Clamp(train, 0, 1), Math.Clamp(validation, 0, 1));
    }

    private static double Noise(Random random, double scale) => (random.NextDouble() * 2 - 1) * scale;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
