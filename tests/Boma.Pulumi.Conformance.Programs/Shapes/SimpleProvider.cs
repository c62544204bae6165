using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>pulumi:providers:simple, an explicit provider for the "simple" package.</summary>
public sealed class SimpleProvider : ProviderResource
{
    public SimpleProvider(string name, CustomResourceOptions? options = null)
        : base("simple", name, ResourceArgs.Empty, Shape.WithVersion(options))
    {
    }
}
