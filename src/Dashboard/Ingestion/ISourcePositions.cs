namespace Dashboard.Ingestion;

/// <summary>What the tailers need to resume: each source's committed position, the files' identities, the checkpoints already told.</summary>
public interface ISourcePositions
{
    Task<SourcePosition> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores the identities of several files in one transaction.</summary>
    Task SaveIdentitiesAsync(IReadOnlyCollection<(string Key, StoredFileIdentity Identity)> identities, CancellationToken cancellationToken);

    /// <summary>The full paths of the checkpoint files already recorded as run events.</summary>
    Task<HashSet<string>> GetRecordedCheckpointsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Raised with a source's key when its position moved under the tailers (an agent's server stands elsewhere
    /// for the source): the watcher drops the source's tailer, and the next one resumes from <see cref="GetAsync"/>.
    /// </summary>
    event Action<string>? Moved;
}
