namespace Boma.Pulumi;

/// <summary>A resource managed by a provider plugin.</summary>
public class CustomResource : Resource
{
    /// <summary>Registers the resource. Checks required inputs and <see cref="ResourceArgs.Validate"/> first.</summary>
    protected CustomResource(string type, string name, ResourceArgs? args, CustomResourceOptions? options = null)
        : base(type, name, custom: true, args ?? ResourceArgs.Empty, options ?? new CustomResourceOptions())
    {
    }

    /// <summary>The provider-assigned ID (unknown during a preview of a create).</summary>
    [Output("id")]
    public Output<string> Id { get; private set; } = null!;
}
