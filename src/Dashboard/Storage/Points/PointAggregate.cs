namespace Dashboard.Storage.Points;

/// <summary>A metric's summary recomputed from its stored points (after a resume rewrote some of them).</summary>
public sealed record PointAggregate(long Count, StepValue? First, StepValue? Last, StepValue? Min, StepValue? Max);
