using System.Collections.Immutable;
using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>An archive made of named assets and archives.</summary>
public sealed class AssetArchive : Archive
{
    /// <summary>Creates the archive.</summary>
    public AssetArchive(IDictionary<string, AssetOrArchive> assets)
        : base(Constants.ArchiveAssetsName, assets.ToImmutableSortedDictionary(StringComparer.Ordinal))
    {
        Assets = (ImmutableSortedDictionary<string, AssetOrArchive>)Value;
    }

    /// <summary>The members by name.</summary>
    public ImmutableSortedDictionary<string, AssetOrArchive> Assets { get; }
}
