using System.Text.Json.Nodes;
using Boma.Pulumi.LoopbackEngine;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>The harness itself: the comparison can fail, the normalisation rules do what docs/conformance.md says.</summary>
[TestFixture]
[Category("Conformance")]
[Parallelizable(ParallelScope.All)]
public sealed class HarnessTests
{
    [Test]
    public async Task The_comparison_catches_a_program_that_differs()
    {
        ScenarioRunner.RequireNodeSdk();
        // Node runs the protect scenario, Boma the plain one: the protect options must show up as differences.
        var runs = await Task.WhenAll(
            ScenarioRunner.NodeAsync(new ConformanceScenario("l2-resource-option-protect"), preview: false),
            ScenarioRunner.BomaAsync(new ConformanceScenario("l2-resource-simple"), preview: false));

        var differences = JsonDiff.Compare(RunNormalizer.Normalize(runs[0].Calls), RunNormalizer.Normalize(runs[1].Calls), "node", "boma");

        Assert.That(differences, Has.Some.Contains("simple:index:Resource::protected").And.Contains("boma=(absent)"));
        Assert.That(differences, Has.Some.Contains("simple:index:Resource::res").And.Contains("node=(absent)"));
    }

    [Test]
    public void Urns_carry_the_parent_type_chain_but_never_the_stack_type()
    {
        var stack = Urns.Create("test", "proj", string.Empty, Urns.StackType, "proj-test");
        var comp = Urns.Create("test", "proj", stack, "pkg:index:Comp", "c");
        var child = Urns.Create("test", "proj", comp, "pkg:index:Res", "r");

        Assert.Multiple(() =>
        {
            Assert.That(stack, Is.EqualTo("urn:pulumi:test::proj::pulumi:pulumi:Stack::proj-test"));
            Assert.That(comp, Is.EqualTo("urn:pulumi:test::proj::pkg:index:Comp::c"));
            Assert.That(child, Is.EqualTo("urn:pulumi:test::proj::pkg:index:Comp$pkg:index:Res::r"));
        });
    }

    [TestCase("5m", "300000ms")]
    [TestCase("300s", "300000ms")]
    [TestCase("1h30m", "5400000ms")]
    [TestCase("1.5h", "5400000ms")]
    [TestCase("250ms", "250ms")]
    [TestCase("soon", "unparsable:soon")]
    public void Timeouts_compare_as_durations(string goDuration, string expected) =>
        Assert.That(RunNormalizer.GoDurationMilliseconds(goDuration), Is.EqualTo(expected));

    [Test]
    public void Only_the_documented_noise_is_removed_from_a_registration()
    {
        var request = JsonNode.Parse("""
            {
              "type": "simple:index:Resource", "name": "r", "protect": false,
              "dependencies": ["urn:b", "urn:a"],
              "propertyDependencies": {"value": {"urns": ["urn:b", "urn:a"]}},
              "customTimeouts": {"create": "", "update": ""},
              "deleteBeforeReplaceDefined": false, "replaceWith": [],
              "sourcePosition": {"uri": "file:///x.js", "line": 3},
              "_unknownFields": {"35": "AAAA", "40": "BBBB"}
            }
            """)!.AsObject();

        var normalized = RunNormalizer.NormalizeRegistration(request, ["29", "35", "36"]);

        Assert.That(normalized.ToJsonString(), Is.EqualTo(JsonNode.Parse("""
            {
              "type": "simple:index:Resource", "name": "r", "protect": false,
              "dependencies": ["urn:a", "urn:b"],
              "propertyDependencies": {"value": {"urns": ["urn:a", "urn:b"]}},
              "_unknownFields": {"40": "BBBB"}
            }
            """)!.ToJsonString()));
    }

    private static readonly string[] ExpectedDifferences =
    [
        "RegisterResource › urn:x › protect: node=true  boma=(absent)",
        "RegisterResource › urn:x › version: node=\"2.0.0\"  boma=\"2.0.1\"",
    ];

    [Test]
    public void Differences_name_the_resource_the_field_and_both_values()
    {
        var node = JsonNode.Parse("""{"RegisterResource": {"urn:x": {"protect": true, "version": "2.0.0"}}}""");
        var boma = JsonNode.Parse("""{"RegisterResource": {"urn:x": {"version": "2.0.1"}}}""");

        var differences = JsonDiff.Compare(node, boma, "node", "boma");

        Assert.That(differences, Is.EqualTo(ExpectedDifferences));
    }
}
