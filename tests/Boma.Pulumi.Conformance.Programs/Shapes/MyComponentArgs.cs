using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

public sealed class MyComponentArgs : ResourceArgs
{
    [Input("input", required: true)]
    public Input<bool> Input { get; set; } = null!;
}
