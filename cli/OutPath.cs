using System.Runtime.InteropServices;

namespace Boma.Infra.Cli;

/// <summary>
/// What every verb checks before it writes an output path (plan --out, runbook --out, guard --summary), so a wrong
/// kind of target is one line and a non-zero exit: a directory where a file belongs, a file where a directory
/// belongs, a path under a file, or a device, pipe or socket. The last matters most: writing a runbook by rename
/// onto /dev/null or a service's socket would replace the node (boma often runs as root), and writing a summary
/// into a pipe nobody reads would hang.
/// </summary>
internal static class OutPath
{
    /// <summary>The kind of what is at a path (symlinks followed unless asked not to), or null when nothing is.</summary>
    internal enum Kind
    {
        File,
        Directory,
        Other,
    }

    /// <summary>Why <paramref name="fullPath"/> cannot be written as a file, or null. A missing parent is fine (it is created or reported on write).</summary>
    public static string? FileProblem(string fullPath, bool followFinalLink)
    {
        switch (KindOf(fullPath, followFinalLink))
        {
            case Kind.Directory:
                return "is a directory; give a file path";
            case Kind.Other:
                return "is a device, pipe or socket, not a file";
        }

        return UnderAFile(Path.GetDirectoryName(fullPath));
    }

    /// <summary>Why <paramref name="fullPath"/> cannot be used as an output directory, or null.</summary>
    public static string? DirectoryProblem(string fullPath) => KindOf(fullPath, followFinalLink: true) switch
    {
        Kind.File => "is a file; give a directory",
        Kind.Other => "is a device, pipe or socket, not a directory",
        _ => UnderAFile(Path.GetDirectoryName(fullPath)),
    };

    private static string? UnderAFile(string? parent)
    {
        for (var p = parent; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
        {
            switch (KindOf(p, followFinalLink: true))
            {
                case Kind.Directory:
                    return null;
                case Kind.File:
                    return $"{p} is a file, so nothing can be written under it";
                case Kind.Other:
                    return $"{p} is a device, pipe or socket, so nothing can be written under it";
            }
        }

        return null;
    }

    /// <summary>The kind of entry at a path; null when there is none (or it cannot be looked at).</summary>
    public static Kind? KindOf(string path, bool followFinalLink)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(path) ? Kind.Directory : File.Exists(path) ? Kind.File : null;
        }

        // statx's buffer has the same layout on every Linux architecture; stx_mode is the u16 at offset 0x1c.
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, followFinalLink ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            return null;
        }

        return (BitConverter.ToUInt16(buffer, 0x1c) & 0xF000) switch
        {
            0x8000 => Kind.File,
            0x4000 => Kind.Directory,
            0xA000 => Kind.File, // a link not followed: replacing it by rename is what the runbook does
            _ => Kind.Other,
        };
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;

    [DllImport("libc", EntryPoint = "statx", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
