using System.Globalization;
using Boma.Pulumi;
using Boma.Pulumi.Conformance.Programs.Shapes;

namespace Boma.Pulumi.Conformance.Programs.Scenarios;

/// <summary>Programs with many resources, sized by BOMA_SCENARIO_RESOURCES (default 2000).</summary>
internal static class LoadScenarios
{
    private static int Size()
    {
        var text = Environment.GetEnvironmentVariable("BOMA_SCENARIO_RESOURCES");
        return string.IsNullOrEmpty(text) ? 2000 : int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>N independent resources registered concurrently; the stack output counts their URNs, so it
    /// can only be sent after every registration was answered.</summary>
    public static Task<int> Many() => Deployment.RunAsync(() =>
    {
        var n = Size();
        var resources = Enumerable.Range(0, n)
            .Select(i => new SimpleResource($"r{i}", new SimpleResourceArgs { Value = i % 2 == 0 }))
            .ToList();
        return new Dictionary<string, object?>
        {
            ["count"] = Output.All(resources.Select(r => (Input<string>)r.Urn).ToArray()).Apply(urns => urns.Length),
        };
    });

    /// <summary>
    /// The benchmark's shape (twin of tests/conformance-js/bench/index.js): groups of ten chained text
    /// resources in components, every fifth group starting a new component parent chain.
    /// </summary>
    public static Task<int> Bench() => Deployment.RunAsync(() =>
    {
        var n = Size();
        BenchGroup? parent = null;
        for (var g = 0; g * 10 < n; g++)
        {
            var options = g % 5 == 0 ? null : new ComponentResourceOptions { Parent = parent };
            parent = new BenchGroup($"g{g}", Math.Min(10, n - (g * 10)), options);
        }

        return new Dictionary<string, object?> { ["count"] = n };
    });
}
