using Dashboard.Alerts;

namespace Dashboard.Tests.Alerts;

public sealed class RulesThreadTests
{
    [Fact]
    public async Task Awaits_come_back_to_the_rules_thread_and_normal_work_and_the_caller_leave_it()
    {
        using var thread = new RulesThread(niceness: 10);
        var seen = new List<string?>();
        var normal = 0;

        await thread.Start(async () =>
        {
            seen.Add(Thread.CurrentThread.Name);
            await Task.Delay(10);
            seen.Add(Thread.CurrentThread.Name);
            await thread.Normal(() =>
            {
                normal = Environment.CurrentManagedThreadId;
                return Task.CompletedTask;
            });
            seen.Add(Thread.CurrentThread.Name);
            Assert.NotEqual(Environment.CurrentManagedThreadId, normal);
        });

        Assert.Equal(["Rules", "Rules", "Rules"], seen);
        Assert.NotEqual("Rules", Thread.CurrentThread.Name);
        Assert.NotEqual(0, normal);
    }

    [Fact]
    public async Task On_linux_the_rules_thread_runs_at_its_nice_value_and_normal_work_and_the_threads_it_starts_keep_the_services()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var thread = new RulesThread(niceness: 7);

        int rules = -1, startedByRules = -1, normal = -1, startedByNormal = -1;

        await thread.Start(async () =>
        {
            rules = Nice();
            startedByRules = NiceOfANewThread();
            await thread.Normal(() =>
            {
                (normal, startedByNormal) = (Nice(), NiceOfANewThread());
                return Task.CompletedTask;
            });
        });

        Assert.True(thread.Lowered);
        // A thread inherits its creator's nice value: why work for the pool is not handed over from the rules' thread.
        Assert.Equal((7, 7), (rules, startedByRules));
        var service = await Task.Run(Nice);
        Assert.Equal((service, service), (normal, startedByNormal));
        Assert.NotEqual(7, Nice());
    }

    [Fact]
    public async Task Work_queued_after_the_thread_is_disposed_still_runs()
    {
        var thread = new RulesThread(niceness: 0);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = thread.Start(async () =>
        {
            await release.Task;
            await Task.Yield();
        });

        thread.Dispose();
        release.SetResult();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(thread.Lowered);
    }

    private static int NiceOfANewThread()
    {
        var nice = -1;
        var thread = new Thread(() => nice = Nice());
        thread.Start();
        thread.Join();
        return nice;
    }

    /// <summary>The calling thread's nice value, field 19 of /proc/thread-self/stat (after the command's closing parenthesis, field 3 is the first).</summary>
    private static int Nice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
    }
}
