using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dashboard.Ingestion;

/// <summary>
/// Which file a path or an open handle is: (device, inode) where the OS tells it (Linux <c>statx</c>,
/// whose layout is the same on every architecture), else unknown. A rename keeps it; a file
/// replaced under the same name, or a copy, gets a new one.
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>The identity of an open file, or null where the OS cannot tell.</summary>
    public static FileIdentity? Of(SafeFileHandle handle)
    {
        if (s_unavailable || handle.IsInvalid)
            return null;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    /// <summary>The identity of the file at a path , or null.</summary>
    public static FileIdentity? Of(string path) => s_unavailable ? null : Statx(AtFdCwd, path, 0);

    private static FileIdentity? Statx(int dirFd, string path, int flags)
    {
        // struct statx is 256 bytes; stx_ino at 32, stx_dev_major at 136, stx_dev_minor at 140.
        var buffer = new byte[256];
        try
        {
            if (statx(dirFd, path, flags, StatxIno, buffer) != 0)
                return null;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return null;
        }
        if ((BitConverter.ToUInt32(buffer, 0) & StatxIno) == 0)
            return null;
        var inode = BitConverter.ToUInt64(buffer, 32);
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return new FileIdentity(device, inode);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, [Out] byte[] statxbuf);
}
