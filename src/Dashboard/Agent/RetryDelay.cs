namespace Dashboard.Agent;

/// <summary>The agent's pause between tries to reach its server: 0.25 s, doubling up to <c>Agent:MaxRetryDelayMs</c>.</summary>
public sealed class RetryDelay(TimeSpan max)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);

    public TimeSpan Max => max;

    /// <summary>The pause to take now; the next one is twice as long, up to the most.</summary>
    public TimeSpan Current { get; private set; } = First;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var pause = Current;
        Current = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, max.Ticks));
        return Task.Delay(pause, cancellationToken);
    }

    public void Reset() => Current = First;
}
