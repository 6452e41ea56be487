using Hangfire.Logging;

namespace Dashboard.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide: AddHangfire points it at the host's logger factory, which a
/// stopped host disposes while another host in the process (the tests) still runs jobs. Hangfire's own
/// chatter is not needed: every job's story (status, reason, output) is in the jobs table and our logs.
/// </summary>
public sealed class SilentLogProvider : ILogProvider
{
    public ILog GetLogger(string name) => new Silent();

    private sealed class Silent : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception exception) => false;
    }
}
