using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

public sealed class TextResourceArgs : ResourceArgs
{
    [Input("text", required: true)]
    public Input<string> Text { get; set; } = null!;
}
