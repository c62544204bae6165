using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>An archive from a local directory or archive file; the path is sent as given.</summary>
public sealed class FileArchive : Archive
{
    /// <summary>Creates the archive.</summary>
    public FileArchive(string path)
        : base(Constants.AssetOrArchivePathName, path)
    {
        Path = path;
    }

    /// <summary>The path.</summary>
    public string Path { get; }
}
