using Boma.Pulumi.Serialization;

namespace Boma.Pulumi;

/// <summary>An asset whose content is the given text.</summary>
public sealed class StringAsset : Asset
{
    /// <summary>Creates the asset.</summary>
    public StringAsset(string text)
        : base(Constants.AssetTextName, text)
    {
        Text = text;
    }

    /// <summary>The text.</summary>
    public string Text { get; }
}
