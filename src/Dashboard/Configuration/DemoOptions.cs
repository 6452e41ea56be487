namespace Dashboard.Configuration;

public sealed class DemoOptions
{
    /// <summary>Writes a simulated S4GAN training log into the first watch root.</summary>
    public bool Enabled { get; set; }

    public double LinesPerSecond { get; set; } = 2;

    public int TotalSteps { get; set; } = 50_000;
}
