namespace Dashboard.Storage;

/// <summary>Another run of the same training: a stdout log and the structured logs in folders below its own.</summary>
public sealed record RelatedRun(long Id, string Name, string Source);
