using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Jobs;

public sealed class JobsConfigurationTests
{
    [Fact]
    public async Task Bad_jobs_configuration_is_refused_at_start_naming_each_key()
    {
        var root = Directory.CreateTempSubdirectory("dashboard-jobs-config-").FullName;
        try
        {
            await using var app = DashboardHost.Build(
                ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(root, "data"), "--watch", Path.Combine(root, "runs")],
                new Dictionary<string, string?>
                {
                    ["Jobs:Evaluate:Command:0"] = "python3",
                    ["Jobs:Evaluate:Command:1"] = "{chekpoint}",
                    ["Jobs:Sample:Command:0"] = " ",
                    ["Jobs:GpuSlots:0"] = "0",
                    ["Jobs:GpuSlots:1"] = "0",
                    ["Jobs:TimeoutMinutes"] = "0",
                    ["Jobs:Auto:0:Root"] = Path.Combine(root, "elsewhere"),
                    ["Jobs:Auto:0:Kind"] = "train",
                    ["Jobs:Auto:0:When"] = "sometimes",
                    ["Jobs:Auto:0:N"] = "0",
                });
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("Jobs:Evaluate:Command: unknown placeholder {chekpoint}", error.Message);
            Assert.Contains("Jobs:Sample:Command: the first entry must name the program", error.Message);
            Assert.Contains("Jobs:GpuSlots", error.Message);
            Assert.Contains("Jobs:TimeoutMinutes", error.Message);
            Assert.Contains("Jobs:Auto:0:Root", error.Message);
            Assert.Contains("Jobs:Auto:0:Kind", error.Message);
            Assert.Contains("Jobs:Auto:0:When", error.Message);
            Assert.Contains("Jobs:Auto:0:N", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task An_automatic_policy_needs_the_command_of_its_kind()
    {
        var root = Directory.CreateTempSubdirectory("dashboard-jobs-config-").FullName;
        try
        {
            var runs = Path.Combine(root, "runs");
            await using var app = DashboardHost.Build(
                ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(root, "data"), "--watch", runs],
                new Dictionary<string, string?> { ["Jobs:Auto:0:Root"] = runs, ["Jobs:Auto:0:Kind"] = "sample" });
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("Jobs:Auto:0:Kind: sample jobs need Jobs:Sample:Command", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
