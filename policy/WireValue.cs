using System.Text.Json.Nodes;
using Boma.Pulumi.Serialization;

namespace Boma.Infra.Policy;

/// <summary>
/// Reads property values in the wire forms the rules meet: a preview document replaces secrets with the
/// string "[secret]", a recorded registration keeps the secret signature object; both use the unknown sentinel.
/// </summary>
public static class WireValue
{
    /// <summary>The key of Pulumi's special-value signature in a serialized property value.</summary>
    public const string SignatureKey = Constants.SpecialSigKey;

    /// <summary>The signature value that marks a secret.</summary>
    public const string SecretSignature = Constants.SecretSig;

    /// <summary>The value that stands for "not known until the resource exists" (preview).</summary>
    public const string UnknownSentinel = Constants.UnknownValue;

    /// <summary>What `pulumi preview --json` writes in place of a secret value.</summary>
    public const string PreviewSecretMarker = "[secret]";

    /// <summary>True when the value itself is a secret (either wire form).</summary>
    public static bool IsSecret(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s == PreviewSecretMarker,
        JsonObject o => o.TryGetPropertyValue(SignatureKey, out var sig)
                        && sig is JsonValue sv && sv.TryGetValue(out string? sigText) && sigText == SecretSignature,
        _ => false,
    };

    /// <summary>The signature of a special value (secret, resource reference, asset, …), or null for a plain object.</summary>
    public static string? Signature(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.TryGetPropertyValue(SignatureKey, out var sig) && sig is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    }

    /// <summary>True when the value is the unknown sentinel (a preview value not computed yet).</summary>
    public static bool IsUnknown(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue(out string? s) && s == UnknownSentinel;

    /// <summary>True when the value is a secret or holds one anywhere inside it.</summary>
    public static bool ContainsSecret(JsonNode? value) => value switch
    {
        _ when IsSecret(value) => true,
        JsonObject o => o.Any(p => ContainsSecret(p.Value)),
        JsonArray a => a.Any(ContainsSecret),
        _ => false,
    };

    /// <summary>
    /// The plain value behind a recorded secret (sig object with a "value"); the value itself otherwise.
    /// A preview "[secret]" has nothing behind it and stays as it is.
    /// </summary>
    public static JsonNode? Unwrap(JsonNode? value) =>
        value is JsonObject o && IsSecret(o) && o.TryGetPropertyValue("value", out var inner) ? inner : value;

    /// <summary>The string in a value, or null when it is absent, not a string, unknown or secret.</summary>
    public static string? AsString(JsonNode? value)
    {
        var plain = Unwrap(value);
        return plain is JsonValue v && v.TryGetValue(out string? s) && s != UnknownSentinel && s != PreviewSecretMarker
            ? s
            : null;
    }

    /// <summary>The number in a value (JSON number, or a numeric string), or null.</summary>
    public static double? AsNumber(JsonNode? value)
    {
        var plain = Unwrap(value);
        if (plain is not JsonValue v)
        {
            return null;
        }

        // A value built in C# keeps its CLR type (int, long, …) and a parsed one is a JsonElement; the JSON text reads both.
        if (v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return double.Parse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        }

        return v.TryGetValue(out string? s)
               && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }
}
