namespace Dashboard.Ingestion;

/// <summary>
/// The file an offset belongs to: its (device, inode) where known, its first bytes (up to
/// <see cref="HeadBytes"/>), and the bytes just before a position already read (up to
/// <see cref="TailBytes"/>), which tell a file rewritten in place with the same beginning.
/// </summary>
public sealed record StoredFileIdentity(FileIdentity? File, byte[] Head, long TailOffset = 0, byte[]? Tail = null)
{
    public const int HeadBytes = 1024;
    public const int TailBytes = 1024;
}
