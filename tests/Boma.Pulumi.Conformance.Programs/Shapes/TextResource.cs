using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>simple:index:Text {text: string}, used where a string input carries another resource's output.</summary>
public sealed class TextResource : CustomResource
{
    public TextResource(string name, TextResourceArgs args, CustomResourceOptions? options = null)
        : base("simple:index:Text", name, args, Shape.WithVersion(options))
    {
    }

    [Output("text")]
    public Output<string> Text { get; private set; } = null!;
}
