using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>l1-stack-class: a Stack subclass whose [Output] properties are the stack outputs.</summary>
public sealed class OutputsStack : Stack
{
    public OutputsStack()
    {
        var text = new TextResource("text", new TextResourceArgs { Text = "from a stack class" });
        Greeting = Output.Create("hello");
        Text = text.Text;
        Secret = Output.CreateSecret("fake-secret-from-stack-class");
    }

    [Output("greeting")]
    public Output<string> Greeting { get; private set; }

    [Output("text")]
    public Output<string> Text { get; private set; }

    [Output("secret")]
    public Output<string> Secret { get; private set; }
}
