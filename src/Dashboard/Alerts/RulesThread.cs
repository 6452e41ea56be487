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
    private readonly Inbox<Task> _tasks = new();
    private readonly Inbox<Action> _normal = new();
    private readonly Thread _thread;

    public RulesThread(int niceness)
    {
        _thread = new Thread(() => Run(niceness)) { IsBackground = true, Name = "Rules" };
        _thread.Start();
        // Started from here, at the service's priority: a thread inherits its creator's nice value, so work the rules'
        // thread handed to the pool itself could start pool threads at its priority, which would then run the ingest.
        new Thread(RunNormal) { IsBackground = true, Name = "Rules writes" }.Start();
    }

    /// <summary>Whether the OS took the lower priority (tests and the start-up log).</summary>
    public bool Lowered { get; private set; }

    /// <summary>
    /// <paramref name="work"/> at normal priority, one at a time, on a thread of its own: a low-priority thread holding a
    /// lock others wait for would make them wait for the CPU it cannot get. Reads need not (SQLite's readers do not hold
    /// its writer up).
    /// </summary>
    public Task Normal(Func<Task> work)
    {
        var done = new TaskCompletionSource();
        if (!_normal.TryAdd(() => Complete(work, done)))
            return Task.Run(work);
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> on this thread: its awaits come back here (they capture the scheduler). The caller's own continuation does not.</summary>
    public async Task Start(Func<Task> work) =>
        await Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap().ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task)
    {
        // Disposed while the service stops: what still comes back (a last flush) runs on the pool.
        if (!_tasks.TryAdd(task))
            ThreadPool.QueueUserWorkItem(_ => TryExecuteTask(task));
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.Snapshot();

    public void Dispose()
    {
        _tasks.Close();
        _normal.Close();
    }

    private void Run(int niceness)
    {
        Lowered = niceness > 0 && Lower(niceness);
        while (_tasks.Take() is { } task)
            TryExecuteTask(task);
    }

    private void RunNormal()
    {
        while (_normal.Take() is { } work)
            work();
    }

    /// <summary>Waits for the work here (its own awaits go to the pool): the rules' thread awaits <paramref name="done"/> meanwhile.</summary>
    private static void Complete(Func<Task> work, TaskCompletionSource done)
    {
        try
        {
            work().GetAwaiter().GetResult();
            done.SetResult();
        }
        catch (Exception error)
        {
            done.SetException(error);
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

    /// <summary>A queue one thread takes from, asleep while it is empty (a <c>BlockingCollection</c>'s take spun first, after every commit).</summary>
    private sealed class Inbox<T> where T : class
    {
        private readonly Queue<T> _items = [];
        private bool _closed;

        public bool TryAdd(T item)
        {
            lock (_items)
            {
                if (_closed)
                    return false;
                _items.Enqueue(item);
                Monitor.Pulse(_items);
                return true;
            }
        }

        /// <summary>The next item; null once closed and drained.</summary>
        public T? Take()
        {
            lock (_items)
            {
                while (_items.Count == 0 && !_closed)
                    Monitor.Wait(_items);
                return _items.TryDequeue(out var item) ? item : null;
            }
        }

        public void Close()
        {
            lock (_items)
            {
                _closed = true;
                Monitor.PulseAll(_items);
            }
        }

        public T[] Snapshot()
        {
            lock (_items)
                return [.. _items];
        }
    }
}
