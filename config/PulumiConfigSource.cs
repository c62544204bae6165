using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boma.Infra.Config;

/// <summary>
/// Reads the <c>boma</c> namespace through Boma.Pulumi's <see cref="Pulumi.Config"/>. Plain values are
/// canonicalised before any loader sees them: surrounding whitespace is trimmed, also inside structured values,
/// so ' vm1' and 'vm1' are one name and '192.168.20.11 ' one address.
/// </summary>
internal sealed class PulumiConfigSource(Pulumi.Config config) : IConfigSource
{
    public PulumiConfigSource()
        : this(new Pulumi.Config(ConfigKeys.Namespace))
    {
    }

    public string? Get(string key) => Canonical(config.Get(key));

    public bool IsSecret(string key) => config.IsSecret(key);

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
}
