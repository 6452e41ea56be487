namespace Dashboard.Ingestion;

/// <summary>The batch could not be committed and was set aside with this reason (see <see cref="BatchCommitter.QuarantineAsync"/>).</summary>
public sealed class BatchQuarantinedException(string reason) : Exception($"The batch could not be stored and was set aside: {reason}");
