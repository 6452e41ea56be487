using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Core.Tests.Parsing;

/// <summary>Feeds lines to a parser the way the tailer does, dated at a fixed "now".</summary>
internal static class ParserHarness
{
    public const long Now = 1_755_000_000_000;

    /// <summary>The first line of a RadioDiff VAE trainer's log: its configuration as a Python dict.</summary>
    public const string TrainerConfig =
        "{'model': {'embed_dim': 3, 'ddconfig': {'double_z': True, 'z_channels': 3, 'resolution': [320, 320], 'ch_mult': (1, 2, 4), 'attn_resolutions': []}, "
        + "'lossconfig': {'disc_start': 50001, 'kl_weight': 1e-06}}, 'trainer': {'batch_size': 2, 'lr': 5e-06, 'min_lr': 5e-07, 'train_num_steps': 150000, "
        + "'save_and_sample_every': 5000, 'log_freq': 100, 'amp': False, 'results_folder': '/home/x/radiodiff_Vae', 'ckpt_path': None}}";

    public static ParsedRecords Parse(params string[] lines) => Parse(new TextLogParser(), lines);

    public static ParsedRecords Parse(TextLogParser parser, params string[] lines)
    {
        var records = new ParsedRecords();
        Feed(parser, records, lines);
        return records;
    }

    public static void Feed(TextLogParser parser, ParsedRecords into, IEnumerable<string> lines)
    {
        foreach (var line in lines)
            parser.ParseLine(line, Now, into);
    }
}
