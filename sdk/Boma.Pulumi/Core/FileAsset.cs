using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>An asset read from a local file; the path is sent as given (relative paths resolve in the program directory).</summary>
public sealed class FileAsset : Asset
{
    /// <summary>Creates the asset.</summary>
    public FileAsset(string path)
        : base(Constants.AssetOrArchivePathName, path)
    {
        Path = path;
    }

    /// <summary>The path.</summary>
    public string Path { get; }
}
