using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>An archive fetched from a URI.</summary>
public sealed class RemoteArchive : Archive
{
    /// <summary>Creates the archive.</summary>
    public RemoteArchive(string uri)
        : base(Constants.AssetOrArchiveUriName, uri)
    {
        Uri = uri;
    }

    /// <summary>The URI.</summary>
    public string Uri { get; }
}
