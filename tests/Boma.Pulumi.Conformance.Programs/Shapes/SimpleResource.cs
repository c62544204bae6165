using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>simple:index:Resource {value: bool}, the generic custom resource of the language tests.</summary>
public sealed class SimpleResource : CustomResource
{
    public SimpleResource(string name, SimpleResourceArgs args, CustomResourceOptions? options = null)
        : base("simple:index:Resource", name, args, Shape.WithVersion(options))
    {
    }

    [Output("value")]
    public Output<bool> Value { get; private set; } = null!;
}
