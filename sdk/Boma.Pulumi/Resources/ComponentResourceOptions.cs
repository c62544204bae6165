namespace Boma.Pulumi;

/// <summary>Options of component resources.</summary>
public sealed class ComponentResourceOptions : ResourceOptions
{
    /// <summary>Providers the children use, one per package.</summary>
    public List<ProviderResource> Providers { get; set; } = [];

    private protected override void MergeExtraInto(ResourceOptions target)
    {
        if (target is ComponentResourceOptions t)
        {
            t.Providers.AddRange(Providers);
        }
    }
}
