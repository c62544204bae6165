using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>A collection of assets handed to a provider.</summary>
public abstract class Archive : AssetOrArchive
{
    private protected Archive(string propertyName, object value)
        : base(Constants.ArchiveSig, propertyName, value)
    {
    }
}
