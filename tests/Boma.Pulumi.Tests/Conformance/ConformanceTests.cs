using System.Text.Json;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>
/// Each scenario runs once with the official Node SDK and once with Boma.Pulumi, each against a fresh
/// loopback engine; after normalisation (docs/conformance.md) the engine must have seen the same thing.
/// </summary>
[TestFixture]
[Category("Conformance")]
[Parallelizable(ParallelScope.All)]
public sealed class ConformanceTests
{
    private static readonly bool[] Modes = [false, true];

    public static IEnumerable<TestCaseData> Cases() =>
        from scenario in ConformanceScenario.All
        from preview in Modes
        select new TestCaseData(scenario, preview).SetName($"{scenario.Name} ({(preview ? "preview" : "update")})");

    [TestCaseSource(nameof(Cases))]
    public async Task Boma_sends_what_the_node_sdk_sends(ConformanceScenario scenario, bool preview)
    {
        ScenarioRunner.RequireNodeSdk();
        var runs = await Task.WhenAll(ScenarioRunner.NodeAsync(scenario, preview), ScenarioRunner.BomaAsync(scenario, preview));
        var (node, boma) = (runs[0], runs[1]);

        // A scenario the official SDK itself fails on proves nothing.
        Assert.That(node.Result.ExitCode, Is.Zero, $"the Node program failed, fix the scenario\n{node.Result.Output}");

        var expected = RunNormalizer.Normalize(node.Calls);
        var actual = RunNormalizer.Normalize(boma.Calls);
        var differences = JsonDiff.Compare(expected, actual, "node", "boma");

        Assert.Multiple(() =>
        {
            Assert.That(boma.Result.ExitCode, Is.EqualTo(node.Result.ExitCode), $"exit codes differ\n{boma.Result.Output}");
            Assert.That(differences, Is.Empty, () =>
                $"{differences.Count} difference(s) between the Node SDK and Boma.Pulumi ({(preview ? "preview" : "update")}):\n  "
                + string.Join("\n  ", differences)
                + $"\n\nnode (normalised):\n{Pretty(expected)}\n\nboma (normalised):\n{Pretty(actual)}\n\nboma program output:\n{boma.Result.Output}");
        });
    }

    [Test]
    public async Task Every_scenario_exists_in_both_languages()
    {
        var jsScenarios = Directory.GetDirectories(Path.Combine(RepoPaths.ConformanceJs, "scenarios"))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();

        // The program prints its catalogue when called without a scenario.
        var usage = await LoopbackEngine.ProgramLauncher.RunAsync(
            new LoopbackEngine.ProgramSpec("dotnet", [RepoPaths.ProgramsDll], RepoPaths.Root, Environment.GetEnvironmentVariables()
                .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty)),
            ScenarioRunner.HangGuard);
        var csharpScenarios = usage.Stderr.Split("scenarios:", 2)[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(usage.ExitCode, Is.EqualTo(2), usage.Output);
            Assert.That(ConformanceScenario.All.Where(s => s.JsDirectory is null).Select(s => s.Name).Order(StringComparer.Ordinal), Is.EqualTo(jsScenarios),
                "the suite's scenario list and tests/conformance-js/scenarios differ");
            Assert.That(csharpScenarios, Is.SupersetOf(jsScenarios), "a JS scenario has no C# twin in Boma.Pulumi.Conformance.Programs");
        });
    }

    private static string Pretty(System.Text.Json.Nodes.JsonNode node) =>
        node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
