using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

public sealed class SimpleResourceArgs : ResourceArgs
{
    [Input("value", required: true)]
    public Input<bool> Value { get; set; } = null!;
}
