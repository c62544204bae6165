using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boma.Infra.Hosts;
using Json.Schema;
using NUnit.Framework;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// The compose files, validated against the Compose Specification's JSON schema (HostFiles/compose-spec.json,
/// a copy of the spec's published schema). `docker compose config` needs Compose v2, which bookworm lacks.
/// </summary>
[TestFixture]
public sealed class ComposeTests
{
    // The spec names draft-07 as "https://json-schema.org/draft-07/schema"; JsonSchema.Net knows draft-07 by its
    // canonical id, so the reference is spelled canonically before building (the schema itself is unchanged).
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HostFiles", "compose-spec.json"))
            .Replace("\"https://json-schema.org/draft-07/schema\"", "\"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal)));

    public static IEnumerable<TestCaseData> ComposeFiles()
    {
        yield return new TestCaseData("caddy/compose.yaml", HostSamples.CaddyCompose).SetArgDisplayNames("caddy");
        yield return new TestCaseData("netbird/compose.yaml.tmpl", HostSamples.NetbirdCompose).SetArgDisplayNames("netbird");
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public void Compose_file_matches_the_compose_spec(string template, Dictionary<string, string> values)
    {
        var errors = Validate(HostTemplates.Render(template, values));
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Schema_check_really_rejects_a_bad_compose_file()
    {
        var broken = HostTemplates.Render("caddy/compose.yaml", HostSamples.CaddyCompose).Replace("restart: unless-stopped", "restart: [sometimes]", StringComparison.Ordinal);
        Assert.That(Validate(broken), Is.Not.Empty);
        var unknown = HostTemplates.Render("caddy/compose.yaml", HostSamples.CaddyCompose).Replace("    restart:", "    restrat:", StringComparison.Ordinal);
        Assert.That(Validate(unknown), Is.Not.Empty);
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public void Images_are_pinned_and_data_lives_on_named_volumes(string template, Dictionary<string, string> values)
    {
        var compose = ToJson(HostTemplates.Render(template, values))!;
        foreach (var (name, service) in compose["services"]!.AsObject())
        {
            var image = service!["image"]!.GetValue<string>();
            Assert.That(image, Does.Match(@"^[a-z0-9./-]+:v?[0-9]+\.[0-9]+\.[0-9]+$"), $"{name}: pin an exact version");
            Assert.That(service["restart"]!.GetValue<string>(), Is.EqualTo("unless-stopped"), name);
            foreach (var port in service["ports"]?.AsArray() ?? [])
            {
                var text = port!.GetValue<string>();
                Assert.That(text.StartsWith("127.0.0.1:", StringComparison.Ordinal) || text == "3478:3478/udp", Is.True,
                    $"{name}: {text} must be loopback-only (only STUN is public)");
            }
        }

        var named = compose["volumes"]!.AsObject().Select(v => v.Key).ToList();
        var mounts = compose["services"]!.AsObject().SelectMany(s => s.Value!["volumes"]?.AsArray() ?? []).Select(v => v!.GetValue<string>());
        foreach (var mount in mounts)
        {
            var source = mount.Split(':')[0];
            Assert.That(source.StartsWith("./", StringComparison.Ordinal) ? mount.EndsWith(":ro", StringComparison.Ordinal) : named.Contains(source), Is.True,
                $"{mount}: data on named volumes, config from read-only files");
        }
    }

    [Test]
    public void Netbird_images_are_the_roadmap_pins()
    {
        var compose = ToJson(HostTemplates.Render("netbird/compose.yaml.tmpl", HostSamples.NetbirdCompose))!;
        Assert.That(compose["services"]!["netbird-server"]!["image"]!.GetValue<string>(), Is.EqualTo("netbirdio/netbird-server:0.72.4"));
        Assert.That(compose["services"]!["netbird-dashboard"]!["image"]!.GetValue<string>(), Is.EqualTo("netbirdio/dashboard:v2.39.0"));
        var env = compose["services"]!["netbird-dashboard"]!["environment"]!;
        Assert.That(env["AUTH_AUTHORITY"]!.GetValue<string>(), Is.EqualTo("https://netbird.askari.example.org/oauth2"));
        Assert.That(env["LETSENCRYPT_DOMAIN"]!.GetValue<string>(), Is.EqualTo("none"));
    }

    private static List<string> Validate(string yaml)
    {
        using var document = JsonDocument.Parse(ToJson(yaml)!.ToJsonString());
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .DefaultIfEmpty("invalid (no detail)")];
    }

    /// <summary>YAML to JSON with YAML 1.2 core-schema typing of plain scalars (what Compose does).</summary>
    internal static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain } s => Plain(s.Value ?? string.Empty),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType}"),
    };

    private static JsonValue? Plain(string value)
    {
        if (value is "" or "~" or "null")
        {
            return null;
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}
