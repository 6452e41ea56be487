using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Core.Reports;
using static Dashboard.Core.Tests.Reports.ReportData;

namespace Dashboard.Core.Tests.Reports;

public sealed class ReportSamplesTests
{
    private static SampleJob Job(long id, long? step, int pairs) =>
        new(id, step, $"checkpoint_{step}.pth", [.. Enumerable.Range(0, pairs).Select(i => new SamplePair($"{i}", $"{i}_gt.png", $"{i}_gen.png", $"{i}_diff.png"))]);

    /// <summary>Each image's bytes say which job and file they came from.</summary>
    private static byte[] Bytes(long job, string name) => System.Text.Encoding.UTF8.GetBytes($"{job}/{name}");

    [Fact]
    public void Earliest_and_latest_jobs_by_step_become_early_and_late_sets_of_at_most_four_samples()
    {
        var (section, files) = ReportSamples.Freeze([Job(7, 9000, 6), Job(5, 3000, 2), Job(6, 6000, 1)], Bytes, ReportSamples.DefaultMaxBytes, "/r/T/samples/");

        Assert.NotNull(section);
        Assert.Equal([("early", 5L, (long?)3000), ("late", 7L, 9000)], section.Sets.Select(s => (s.Label, s.JobId, s.Step)));
        Assert.Equal([2, 4], section.Sets.Select(s => s.Samples.Count));
        var late = section.Sets[1].Samples[0];
        Assert.Equal(["ground truth", "generated", "difference"], late.Images.Select(i => i.Label));
        Assert.Equal("job7-0_gt.png", late.Images[0].File);
        Assert.Equal("/r/T/samples/job7-0_gt.png", late.Images[0].Url);
        Assert.Equal((2 + 4) * 3, files.Count);
        Assert.All(files, f => Assert.Equal(Bytes(long.Parse(f.Name[3..f.Name.IndexOf('-')]), f.Name[(f.Name.IndexOf('-') + 1)..]), f.Bytes));
        Assert.Empty(section.Notes);
    }

    [Fact]
    public void One_job_is_the_only_set_and_no_job_no_section()
    {
        var (section, _) = ReportSamples.Freeze([Job(3, 500, 1), new SampleJob(4, 900, "c.pth", [])], Bytes, ReportSamples.DefaultMaxBytes, "/s/");
        Assert.Equal(["only"], section!.Sets.Select(s => s.Label));

        var (none, files) = ReportSamples.Freeze([], Bytes, ReportSamples.DefaultMaxBytes, "/s/");
        Assert.Null(none);
        Assert.Empty(files);
    }

    [Theory]
    [InlineData("../1/0_gt.png")]
    [InlineData("/etc/passwd.png")]
    [InlineData("..\\secret.png")]
    [InlineData("notes.txt")]
    public void A_hostile_image_name_is_refused_and_never_read(string hostile)
    {
        var read = new List<string>();
        var job = new SampleJob(2, 100, "c.pth", [new SamplePair("bad", null, hostile, null), new SamplePair("good", null, "ok.png", null)]);

        var (section, files) = ReportSamples.Freeze([job], (id, name) => { read.Add(name); return Bytes(id, name); }, ReportSamples.DefaultMaxBytes, "/s/");

        Assert.Equal(["ok.png"], read);
        Assert.Equal(["job2-ok.png"], files.Select(f => f.Name));
        Assert.Equal(["good"], section!.Sets[0].Samples.Select(s => s.Name));
        Assert.Contains(section.Notes, n => n.Contains("Sample bad of job 2 refused") && n.Contains(hostile));
    }

    [Fact]
    public void Samples_beyond_the_byte_budget_or_unreadable_are_left_out_and_said_so()
    {
        // Each sample is three images of 16 bytes: a budget of 100 bytes holds two.
        var (section, files) = ReportSamples.Freeze([Job(2, 100, 4)], (id, name) => name == "3_gen.png" ? null : new byte[16], 100, "/s/");

        Assert.Equal(["0", "1"], section!.Sets[0].Samples.Select(s => s.Name));
        Assert.Equal(6, files.Count);
        Assert.Contains("Sample 3 of job 2 left out: 3_gen.png could not be read from the job's output folder.", section.Notes);
        Assert.Contains(section.Notes, n => n.StartsWith("1 sample(s) left out: a report keeps at most", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_shows_samples_as_images_at_absolute_urls_under_the_report()
    {
        var (section, _) = ReportSamples.Freeze([Job(5, 3000, 1), Job(7, 9000, 1)], Bytes, ReportSamples.DefaultMaxBytes, "/r/TOKEN/samples/");
        var report = ReportBuilder.ForRun(Run("r", [Metric("train/loss", s => 1.0 / s)]) with { Samples = section }, T0);

        var md = MarkdownWriter.Write(report, "https://dash.example/r/TOKEN");

        Assert.Contains("### Samples", md);
        Assert.Contains("**Early: step 3000**, checkpoint checkpoint\\_3000.pth, job 5", md);
        Assert.Contains("**Late: step 9000**", md);
        Assert.Contains("![ground truth](https://dash.example/r/TOKEN/samples/job5-0_gt.png)", md);
        Assert.Contains("![difference](https://dash.example/r/TOKEN/samples/job7-0_diff.png)", md);
    }

    [Fact]
    public void Metrics_an_evaluation_job_wrote_at_checkpoint_steps_choose_the_best_evaluation_and_the_checkpoint()
    {
        RunEvent Saved(long step) => new(RunEventKind.CheckpointSaved, step, T0.ToUnixTimeMilliseconds(), $"Checkpoint saved: checkpoint_{step}.pth");
        var run = Run("seg", [Metric("train/loss", s => 1.0 / s), Points("eval/mIoU", (3000, 0.41), (6000, 0.57), (9000, 0.52)),
            Points("eval/IoU_road", (3000, 0.90), (6000, 0.88), (9000, 0.93))],
            events: [Saved(3000), Saved(6000), Saved(9000)]);

        var described = ReportBuilder.Describe(run);

        Assert.Equal(new BestResult("eval/mIoU", MetricKinds.HigherIsBetter, new ReportPoint(6000, 0.57), new ReportPoint(9000, 0.52), 3), described.BestEvaluation);
        Assert.Equal("checkpoint_6000.pth", described.Checkpoint!.Name);
        Assert.Equal(6000, described.Checkpoint.Step);
    }
}
