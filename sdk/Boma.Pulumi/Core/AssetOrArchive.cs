namespace Boma.Pulumi;

/// <summary>Base of assets and archives: a signature plus exactly one payload property on the wire.</summary>
public abstract class AssetOrArchive
{
    private protected AssetOrArchive(string sig, string propertyName, object value)
    {
        Sig = sig;
        PropertyName = propertyName;
        Value = value;
    }

    /// <summary>The asset or archive signature (see <see cref="Serialization.Constants"/>).</summary>
    internal string Sig { get; }

    /// <summary>The payload key: text/path/uri for assets, assets/path/uri for archives.</summary>
    internal string PropertyName { get; }

    /// <summary>The payload: a string, or for <see cref="AssetArchive"/> the map of members.</summary>
    internal object Value { get; }
}
