using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boma.Infra.Config;

/// <summary>
/// Reads the <c>boma</c> namespace through the SDK's <see cref="Pulumi.Config"/>. Plain values are
/// canonicalised before any loader sees them: surrounding whitespace is trimmed, also inside structured values,
/// so ' vm1' and 'vm1' are one name and '192.168.20.11 ' one address. Which keys are secret is not
/// part of the official SDK's Config API; the engine hands the list to the program in
/// PULUMI_CONFIG_SECRET_KEYS (a JSON array of full keys), so that is where it is read under `pulumi`.
/// </summary>
internal sealed class PulumiConfigSource(Pulumi.Config config, IReadOnlySet<string> secretKeys) : IConfigSource
{
    /// <summary>The variable the language host sets for the program (docs/design/pulumi-protocol.md, "What the language host gives the program").</summary>
    public const string SecretKeysVariable = "PULUMI_CONFIG_SECRET_KEYS";

    /// <summary>Under the engine: the secret keys come from the environment.</summary>
    public PulumiConfigSource()
        : this(EngineSecretKeys())
    {
    }

    /// <summary>Offline or in tests: the secret keys (full, <c>ns:key</c>) are given.</summary>
    public PulumiConfigSource(IEnumerable<string> secretKeys)
        : this(new Pulumi.Config(ConfigKeys.Namespace), secretKeys.ToHashSet(StringComparer.Ordinal))
    {
    }

    public string? Get(string key) => Canonical(config.Get(key));

    public bool IsSecret(string key) => secretKeys.Contains(ConfigKeys.Full(key));

    public Pulumi.Output<string>? GetSecret(string key) => config.GetSecret(key);

    /// <summary>The value trimmed; JSON objects and lists re-written with every string in them trimmed.</summary>
    public static string? Canonical(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var text = raw.Trim();
        if (text.Length == 0 || (text[0] != '{' && text[0] != '['))
        {
            return text;
        }

        try
        {
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            return node is null ? text : Trim(node)!.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return text; // not JSON after all (or keys that clash once trimmed): the loader reports the shape
        }
    }

    private static JsonNode? Trim(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key.Trim(), Trim(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Trim).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(v.GetValue<string>().Trim()),
        _ => node?.DeepClone(),
    };

    /// <summary>The secret keys the engine passed; none when the variable is unset (the host always sets it, <c>[]</c> when empty).</summary>
    public static IReadOnlySet<string> EngineSecretKeys()
    {
        var text = Environment.GetEnvironmentVariable(SecretKeysVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        try
        {
            return (JsonSerializer.Deserialize<string[]>(text) ?? []).ToHashSet(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new ConfigValidationException($"{SecretKeysVariable} is not a JSON array of config keys ({e.Message}); run the program under `pulumi up`/`pulumi preview`, which sets it.", e);
        }
    }
}
