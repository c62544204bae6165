using System.Text.Json.Nodes;
using Boma.Infra.Policy;

namespace Boma.Infra.Tests.Policy;

/// <summary>Resources as the recording monitor would capture them (wire form), built through the registration adapter.</summary>
internal static class Views
{
    public const string Root = "urn:pulumi:test::boma::pulumi:pulumi:Stack::boma-test";
    public const string Component = "urn:pulumi:test::boma::boma:test:Host::host";

    /// <summary>A secret the way the SDK puts it on the wire: the signature object around the value.</summary>
    public static JsonObject Secret(JsonNode? value) => new()
    {
        [WireValue.SignatureKey] = WireValue.SecretSignature,
        ["value"] = value,
    };

    public static string Urn(string type, string name, string parentType = "boma:test:Host") =>
        $"urn:pulumi:test::boma::{parentType}${type}::{name}";

    public static ResourceView Custom(
        string type,
        string name,
        JsonObject? inputs = null,
        string? parent = Component,
        bool protect = false,
        string[]? ignoreChanges = null,
        string[]? secretOutputs = null,
        bool retainOnDelete = false) =>
        RegistrationAdapter.FromRequest(
            Urn(type, name), type, name, parent, custom: true, protect, inputs ?? [],
            ignoreChanges, secretOutputs, retainOnDelete);

    public static JsonObject FirewallRule(string port, string description, params string[] sources) => new()
    {
        ["description"] = description,
        ["direction"] = "in",
        ["protocol"] = "tcp",
        ["port"] = port,
        ["sourceIps"] = new JsonArray(sources.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
    };

    public static ResourceView Firewall(string name, params JsonObject[] rules) =>
        Custom("hcloud:index/firewall:Firewall", name, new JsonObject { ["rules"] = new JsonArray(rules.Cast<JsonNode?>().ToArray()) });
}
