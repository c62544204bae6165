using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Boma.Infra.Policy;
using Boma.Pulumi.Serialization;

namespace Boma.Infra.Cli;

/// <summary>Turns wire-form values into what the plan shows: secrets masked, unknowns marked.</summary>
internal static class PlanValues
{
    public const string SecretSignature = WireValue.SecretSignature;
    public const string ResourceReferenceSignature = Constants.ResourceSig;
    public const string UnknownSentinel = WireValue.UnknownSentinel;

    /// <summary>What `pulumi preview --json` writes for a secret (the same marker guard reads back).</summary>
    public const string SecretMarker = WireValue.PreviewSecretMarker;

    public const string KnownAfterApply = "(known after apply)";

    /// <summary>A deep copy with every secret (at any depth) replaced by <see cref="SecretMarker"/>.</summary>
    public static JsonNode? Mask(JsonNode? value) => value switch
    {
        JsonObject o when WireValue.Signature(o) == SecretSignature => JsonValue.Create(SecretMarker),
        JsonObject o when WireValue.Signature(o) == ResourceReferenceSignature => o["urn"]?.DeepClone(),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Mask(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Mask).ToArray()),
        _ => value?.DeepClone(),
    };

    public static JsonObject MaskObject(JsonObject value) => (JsonObject)Mask(value)!;

    /// <summary>One-line text for a masked value; long or multi-line strings are summarised by size and hash.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue(out string? s) => StringText(s),
        JsonValue v => v.ToJsonString(),
        JsonArray a => "[" + string.Join(", ", a.Select(Text)) + "]",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"{p.Key}: {Text(p.Value)}")) + "}",
        _ => value.ToJsonString(),
    };

    private static string StringText(string s)
    {
        if (s == UnknownSentinel)
        {
            return KnownAfterApply;
        }

        if (s == SecretMarker)
        {
            return SecretMarker;
        }

        if (s.Contains('\n', StringComparison.Ordinal) || s.Length > 120)
        {
            var lines = s.TrimEnd('\n').Split('\n');
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..12];
            return string.Create(CultureInfo.InvariantCulture, $"<{Quote(lines[0].Length > 60 ? lines[0][..60] + "…" : lines[0])} … {lines.Length} lines, sha256 {hash}…>");
        }

        return Quote(s);
    }

    private static string Quote(string s) => JsonValue.Create(s).ToJsonString(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
