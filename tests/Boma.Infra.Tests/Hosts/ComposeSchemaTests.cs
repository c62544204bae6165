using System.Globalization;
using System.Text.Json.Nodes;
using Boma.Infra.Hosts;
using Json.Schema;
using YamlDotNet.RepresentationModel;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>The compose files against the Compose specification's JSON schema (a copy of it is HostFiles/compose-spec.json).</summary>
[TestFixture]
public sealed class ComposeSchemaTests
{
    // The spec file names draft-07 as "https://json-schema.org/draft-07/schema"; the library knows the canonical
    // id only, so the reference is normalised. Its $id is made unique so that no other test loading the same file
    // collides with it in the library's global registry (which refuses a second schema under one id).
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        File.ReadAllText(Tools.Repo("tests", "Boma.Infra.Tests", "HostFiles", "compose-spec.json"))
            .Replace("\"https://json-schema.org/draft-07/schema\"", "\"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal)
            .Replace("\"$id\": \"compose_spec.json\"", "\"$id\": \"boma-netbird-compose_spec.json\"", StringComparison.Ordinal)));

    public static IEnumerable<TestCaseData> ComposeFiles()
    {
        yield return new TestCaseData("netbird/compose.yaml.tmpl", Boma.Infra.Tests.HostFiles.HostSamples.Templates["netbird/compose.yaml.tmpl"]);
        yield return new TestCaseData("caddy/compose.yaml.tmpl", new Dictionary<string, string> { ["caddy_image"] = "caddy:2.10.2" });
        yield return new TestCaseData("caddy/compose.gandi.yaml.tmpl", new Dictionary<string, string> { ["caddy_image"] = "boma/caddy-gandi:2.9.1" });
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public void Compose_file_matches_the_compose_specification(string template, Dictionary<string, string> values)
    {
        var json = ToJson(HostTemplates.Render(template, values));
        var result = Schema.Value.Evaluate(Element(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.That(result.IsValid, Is.True, string.Join("\n", errors));
    }

    [Test]
    public void The_schema_rejects_a_broken_file()
    {
        // Proves the check can fail: a service with a misspelt key and a non-list ports value.
        var json = ToJson("services:\n  web:\n    imgae: nginx\n    ports: 80\n");
        Assert.That(Schema.Value.Evaluate(Element(json)).IsValid, Is.False);
    }

    /// <summary>
    /// What askari's firewalls let in, as "host:container[/udp]" mappings: a published Docker port bypasses an INPUT-only
    /// ruleset (DNAT + FORWARD), so every port a compose file publishes must be loopback-bound or allowed by the one
    /// <see cref="Boma.Infra.Components.FirewallPolicy"/> both firewalls are built from.
    /// </summary>
    private static readonly string[] PublicPorts = [.. Boma.Infra.Components.FirewallPolicy.Offsite(["203.0.113.7/32"]).PublicPorts
        .Select(p => p.Protocol == "tcp" ? $"{p.Port}:{p.Port}" : $"{p.Port}:{p.Port}/{p.Protocol}")];

    [Test]
    public void Every_published_port_of_every_compose_file_is_loopback_or_in_the_firewall_policy()
    {
        var published = ComposeFiles()
            .SelectMany(c => ToJson(HostTemplates.Render((string)c.Arguments[0]!, (Dictionary<string, string>)c.Arguments[1]!))["services"]!.AsObject()
                .SelectMany(s => (s.Value!["ports"]?.AsArray() ?? []).Select(p => (File: (string)c.Arguments[0]!, Port: p!.GetValue<string>()))))
            .ToList();
        Assert.That(published.Select(p => p.Port), Does.Contain("443:443").And.Contain("3478:3478/udp"), "the check sees the public ports");
        Assert.That(published.Where(p => !p.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal) && !PublicPorts.Contains(p.Port)), Is.Empty,
            "published but closed by the firewall policy (add the port to FirewallPolicy.Offsite or bind it to 127.0.0.1)");
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public void Images_are_pinned_ports_are_loopback_or_public_by_intent_and_data_lives_on_named_volumes(string template, Dictionary<string, string> values)
    {
        var compose = ToJson(HostTemplates.Render(template, values));
        var named = compose["volumes"]!.AsObject().Select(v => v.Key).ToList();
        foreach (var (name, service) in compose["services"]!.AsObject())
        {
            Assert.That(service!["image"]!.GetValue<string>(), Does.Match(@"^[a-z0-9./_-]+:v?[0-9]+\.[0-9]+\.[0-9]+$"), $"{name}: pin an exact version");
            Assert.That(service["restart"]!.GetValue<string>(), Is.EqualTo("unless-stopped"), name);
            foreach (var port in service["ports"]?.AsArray() ?? [])
            {
                var text = port!.GetValue<string>();
                Assert.That(text.StartsWith("127.0.0.1:", StringComparison.Ordinal) || PublicPorts.Contains(text), Is.True,
                    $"{name}: {text} must be loopback-only unless it is one of the public ports");
            }

            foreach (var mount in (service["volumes"]?.AsArray() ?? []).Select(v => v!.GetValue<string>()))
            {
                var source = mount.Split(':')[0];
                Assert.That(source.StartsWith("./", StringComparison.Ordinal) ? mount.EndsWith(":ro", StringComparison.Ordinal) : named.Contains(source), Is.True,
                    $"{name}: {mount}: data on named volumes, config from read-only files");
            }
        }
    }

    [Test]
    public void The_netbird_stack_pins_its_images_and_keeps_data_on_a_named_volume()
    {
        var json = ToJson(HostTemplates.Render("netbird/compose.yaml.tmpl", Boma.Infra.Tests.HostFiles.HostSamples.Templates["netbird/compose.yaml.tmpl"]));
        var services = json["services"]!;
        Assert.Multiple(() =>
        {
            Assert.That(services["netbird-server"]!["image"]!.GetValue<string>(), Is.EqualTo("netbirdio/netbird-server:0.72.4"));
            Assert.That(services["netbird-dashboard"]!["image"]!.GetValue<string>(), Is.EqualTo("netbirdio/dashboard:v2.39.0"));
            Assert.That(json["volumes"]!.AsObject().ContainsKey("netbird_data"), Is.True);
            Assert.That(services["netbird-server"]!["volumes"]!.AsArray().Select(v => v!.GetValue<string>()), Does.Contain("netbird_data:/var/lib/netbird"));
            Assert.That(services["netbird-server"]!["ports"]!.AsArray().Select(v => v!.GetValue<string>()), Does.Contain("127.0.0.1:8081:80"),
                "the API port is loopback-only: setup is claimed from askari");
            Assert.That(services["netbird-dashboard"]!["environment"]!["AUTH_AUTHORITY"]!.GetValue<string>(), Is.EqualTo("https://netbird.askari.example.org/oauth2"));
            // Geolocation off: no GeoLite download before the server listens (management/internals/server/modules.go, NB_DISABLE_GEOLOCATION).
            Assert.That(services["netbird-server"]!["environment"]!["NB_DISABLE_GEOLOCATION"]!.GetValue<string>(), Is.EqualTo("true"));
        });
    }

    /// <summary>YAML → JSON with YAML 1.2 core types for plain scalars (what Compose does), quoted ones stay strings.</summary>
    internal static JsonNode ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode s when s.Style is YamlDotNet.Core.ScalarStyle.Plain => Plain(s.Value),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static System.Text.Json.JsonElement Element(JsonNode node) => System.Text.Json.JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    private static JsonValue? Plain(string? value) => value switch
    {
        null or "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        _ => JsonValue.Create(value),
    };
}
