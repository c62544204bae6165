namespace Boma.Pulumi;

/// <summary>An explicit provider instance: type <c>pulumi:providers:&lt;package&gt;</c>.</summary>
public class ProviderResource : CustomResource
{
    /// <summary>Registers the provider with its configuration as inputs.</summary>
    protected ProviderResource(string package, string name, ResourceArgs args, CustomResourceOptions? options = null)
        : base(Serialization.Constants.ProviderTypePrefix + package, name, args, options)
    {
    }

    /// <summary>The package this provider serves (first segment of its resources' type tokens).</summary>
    public string Package => GetResourceType()[Serialization.Constants.ProviderTypePrefix.Length..];

    /// <summary>The reference resources send: <c>&lt;urn&gt;::&lt;id&gt;</c>, with the unknown sentinel as ID while it is unknown.</summary>
    internal async Task<string> GetReferenceAsync()
    {
        var result = await Registration.ConfigureAwait(false);
        var id = string.IsNullOrEmpty(result.Id) ? Serialization.Constants.UnknownValue : result.Id;
        return $"{result.Urn}::{id}";
    }
}
