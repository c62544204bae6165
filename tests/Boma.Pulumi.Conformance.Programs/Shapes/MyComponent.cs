using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>l3-component-simple's component: an input, a child with Parent = this, one registered output.</summary>
public sealed class MyComponent : ComponentResource
{
    public MyComponent(string name, MyComponentArgs args, ComponentResourceOptions? options = null)
        : base("components:index:MyComponent", name, options)
    {
        var res = new SimpleResource($"{name}-res", new SimpleResourceArgs { Value = args.Input }, new CustomResourceOptions { Parent = this });
        Value = res.Value;
        RegisterOutputs(new Dictionary<string, object?> { ["output"] = Value });
    }

    [Output("output")]
    public Output<bool> Value { get; private set; }
}
