using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>An asset fetched from a URI (file://, http://, https://).</summary>
public sealed class RemoteAsset : Asset
{
    /// <summary>Creates the asset.</summary>
    public RemoteAsset(string uri)
        : base(Constants.AssetOrArchiveUriName, uri)
    {
        Uri = uri;
    }

    /// <summary>The URI.</summary>
    public string Uri { get; }
}
