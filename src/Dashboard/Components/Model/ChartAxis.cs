namespace Dashboard.Components.Model;

/// <summary>What a chart's x axis measures: the trainer's steps, wall time (UTC), or hours since the run started.</summary>
public enum ChartAxis
{
    Step,
    Wall,
    Relative,
}
