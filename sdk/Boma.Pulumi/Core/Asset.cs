using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>A blob of data handed to a provider.</summary>
public abstract class Asset : AssetOrArchive
{
    private protected Asset(string propertyName, string value)
        : base(Constants.AssetSig, propertyName, value)
    {
    }
}
