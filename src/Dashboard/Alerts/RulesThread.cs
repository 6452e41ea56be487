using System.Runtime.InteropServices;

namespace Dashboard.Alerts;

/// <summary>
/// The rules' own thread, at a lower OS priority than the rest of the service (a nice value on Linux, a thread
/// priority on Windows): the rules run after the commit and never hold the ingest up, and on a busy machine this
/// keeps them from taking its CPU as well. A cold ingest of a bad run on two cores spent a third of its time
/// waiting for the CPU the rules took; at this priority the rules use what the parser and the writer leave, and
/// fall behind by a queue's worth of points at most (the rest they read from the store). When the machine is not
/// busy, as with live trainings, the priority changes nothing. Work the ingest may wait for (a write taking
/// SQLite's lock) must not run here: see <see cref="Normal"/>.
/// </summary>
public sealed class RulesThread : TaskScheduler, IDisposable
{
    // A queue under a lock rather than a BlockingCollection: its take spun before it slept, after every commit.
    private readonly Queue<Task> _tasks = [];
    private bool _disposed;
    private readonly Thread _thread;

    public RulesThread(int niceness)
    {
        _thread = new Thread(() => Run(niceness)) { IsBackground = true, Name = "Rules" };
        _thread.Start();
    }

    /// <summary>Whether the OS took the lower priority (tests and the start-up log).</summary>
    public bool Lowered { get; private set; }

    /// <summary>
    /// <paramref name="work"/> on the thread pool, at normal priority: a low-priority thread holding a lock others wait for
    /// would make them wait for the CPU it cannot get. Reads need not (SQLite's readers do not hold its writer up).
    /// </summary>
    public static Task Normal(Func<Task> work) => Task.Run(work);

    /// <summary>Runs <paramref name="work"/> on this thread: its awaits come back here (they capture the scheduler). The caller's own continuation does not.</summary>
    public async Task Start(Func<Task> work) =>
        await Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap().ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task)
    {
        lock (_tasks)
        {
            if (!_disposed)
            {
                _tasks.Enqueue(task);
                Monitor.Pulse(_tasks);
                return;
            }
        }
        // Disposed while the service stops: what still comes back (a last flush) runs on the pool.
        ThreadPool.QueueUserWorkItem(_ => TryExecuteTask(task));
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_tasks)
            return _tasks.ToArray();
    }

    public void Dispose()
    {
        lock (_tasks)
        {
            _disposed = true;
            Monitor.Pulse(_tasks);
        }
    }

    private void Run(int niceness)
    {
        Lowered = niceness > 0 && Lower(niceness);
        while (Next() is { } task)
            TryExecuteTask(task);
    }

    /// <summary>The next task, or null once disposed and drained.</summary>
    private Task? Next()
    {
        lock (_tasks)
        {
            while (_tasks.Count == 0 && !_disposed)
                Monitor.Wait(_tasks);
            return _tasks.TryDequeue(out var task) ? task : null;
        }
    }

    private static bool Lower(int niceness)
    {
        if (OperatingSystem.IsWindows())
        {
            Thread.CurrentThread.Priority = niceness >= 10 ? ThreadPriority.Lowest : ThreadPriority.BelowNormal;
            return true;
        }
        // Thread.Priority does nothing on Linux (SCHED_OTHER ignores it); the nice value is per thread there.
        return OperatingSystem.IsLinux() && setpriority(PrioProcess, gettid(), niceness) == 0;
    }

    private const int PrioProcess = 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
