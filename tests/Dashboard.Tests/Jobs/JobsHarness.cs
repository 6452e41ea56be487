using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Dashboard.Jobs;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Jobs;

/// <summary>
/// A host whose evaluate and sample commands run the stand-in evaluator beside this file (standard-library
/// Python); each checkpoint file's text tells the stand-in what to do ("ok", "slow 3", "crash", "hang", ...).
/// </summary>
public static class JobsHarness
{
    public static string StandIn([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "stand_in_evaluator.py");

    // Two minutes: no test waits for this default to end a job (hung ones are cancelled, or pass their own), and a
    // good stand-in once took past 30 s on a CI machine whose Kestrel warned of a starved heartbeat.
    public static Dictionary<string, string?> Settings(string? slots = "0", double timeoutMinutes = 2)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:TimeoutMinutes"] = timeoutMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A cancel reaches a running job at the workers' next check: soon, on a loaded test machine too.
            ["Jobs:CancelCheckMs"] = "200",
        };
        foreach (var kind in new[] { "Evaluate", "Sample" })
        {
            string[] command = ["python3", StandIn(), "{checkpoint}", "{output}", "{step}"];
            for (var i = 0; i < command.Length; i++)
                settings[$"Jobs:{kind}:Command:{i}"] = command[i];
        }
        if (slots is not null)
            settings["Jobs:GpuSlots:0"] = slots;
        return settings;
    }

    /// <summary>A run with a log under the watch folder; returns its id and folder.</summary>
    public static async Task<(long RunId, string Folder)> RunAsync(TestHost host, string project = "seg")
    {
        var (log, run) = await host.WriteRunAsync(project, "train.log", LogLines.IterRange(100, 500), untilStep: 500);
        return (run.Id, Path.GetDirectoryName(log)!);
    }

    /// <summary>Writes a checkpoint whose text is the stand-in's instruction, and waits until the run lists it.</summary>
    public static async Task<CheckpointView> CheckpointAsync(TestHost host, long runId, string folder, string name, string instruction)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, instruction);
        // The API lists checkpoints by their path relative to the run's folder, never the host path.
        var list = await TestHost.EventuallyAsync(
            () => host.GetJsonAsync<List<CheckpointView>>($"/api/runs/{runId}/checkpoints"),
            l => l.Any(c => c.Path == name), $"checkpoint {name} listed");
        return list.Single(c => c.Path == name);
    }

    public static async Task<long> StartAsync(TestHost host, long runId, string checkpoint, string kind = "evaluate")
    {
        var response = await host.Http.PostAsJsonAsync($"/api/runs/{runId}/jobs", new { kind, checkpoint });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<Dashboard.Api.JobsEndpoints.JobAccepted>(TestHost.Json);
        Assert.Equal($"/api/jobs/{accepted!.Id}", response.Headers.Location?.OriginalString);
        return accepted.Id;
    }

    // A minute: with the whole suite on two cores an evaluator's Python took over 20 s to start and finish twice in one run.
    public static Task<JobView> WaitAsync(TestHost host, long jobId, Func<JobView, bool> done, string what, int timeoutMs = 60_000) =>
        TestHost.EventuallyAsync(() => host.GetJsonAsync<JobView>($"/api/jobs/{jobId}"), done, $"job {jobId} {what}", timeoutMs);

    public static Task<JobView> FinishedAsync(TestHost host, long jobId, int timeoutMs = 60_000) =>
        WaitAsync(host, jobId, j => j.Status is not (JobStatus.Queued or JobStatus.Running), "finished", timeoutMs);

    public static async Task<MetricSeries> SeriesAsync(TestHost host, long runId, string key) =>
        await host.GetJsonAsync<MetricSeries>($"/api/runs/{runId}/metrics/{Uri.EscapeDataString(key)}");
}
