using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>What every scenario resource shares with its JS twin (tests/conformance-js/scenarios/common.js).</summary>
internal static class Shape
{
    public const string Version = "2.0.0";

    public static CustomResourceOptions WithVersion(CustomResourceOptions? options) =>
        ResourceOptions.Merge(new CustomResourceOptions { Version = Version }, options);
}
