using Boma.Pulumi;
using Boma.Pulumi.Conformance.Programs.Shapes;

namespace Boma.Pulumi.Conformance.Programs.Scenarios;

/// <summary>Level 3: components.</summary>
internal static class L3Scenarios
{
    public static Task<int> ComponentSimple() => Deployment.RunAsync(() =>
    {
        var comp = new MyComponent("comp", new MyComponentArgs { Input = true });
        return new Dictionary<string, object?> { ["result"] = comp.Value };
    });
}
