using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boma.Infra.Config;

namespace Boma.Infra.Cli;

/// <summary>
/// A stack's config read from <c>Pulumi.&lt;stack&gt;.yaml</c> for the offline plan, in the form the engine
/// hands a program: full keys (<c>boma:domain</c>), strings, structured values as JSON text.
/// Encrypted <c>secure:</c> values cannot be decrypted offline; they, and required secrets that are not
/// set at all, become marked placeholders (<c>&lt;offline-placeholder:KEY&gt;</c>) that are flagged secret.
/// </summary>
internal sealed class StackConfigFile
{
    private StackConfigFile(Dictionary<string, string> values, HashSet<string> secretKeys, List<string> placeholders)
    {
        Values = values;
        SecretKeys = secretKeys;
        Placeholders = placeholders;
    }

    public Dictionary<string, string> Values { get; }

    public HashSet<string> SecretKeys { get; }

    /// <summary>Keys whose value is an offline placeholder, in file order then required-secret order.</summary>
    public List<string> Placeholders { get; }

    /// <summary>Config handed over directly (as the engine would, secrets decrypted and flagged); used by tests.</summary>
    public static StackConfigFile FromValues(Dictionary<string, string> values, HashSet<string> secretKeys) =>
        new(values, secretKeys, []);

    public static string Placeholder(string key) => $"{Config.ConfigKeys.OfflinePlaceholderPrefix}{key}>";

    /// <summary>
    /// Reads the file strictly (<see cref="StrictYaml"/>), checks every <c>boma:</c> key against the stack's
    /// declarations (<see cref="ConfigSchema"/>), and puts placeholders in for required secrets that are missing.
    /// Throws <see cref="InvalidDataException"/> (unreadable file) or <see cref="ConfigValidationException"/>.
    /// </summary>
    public static StackConfigFile Load(string path, IEnumerable<string> requiredSecrets, string? stack = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(requiredSecrets);
        stack ??= StackFromPath(path);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var placeholders = new List<string>();

        string text;
        try
        {
            if (new FileInfo(path).Length > StrictYaml.MaxBytes)
            {
                throw new InvalidDataException($"{path}: is larger than {StrictYaml.MaxBytes / 1024} KiB; a stack config is a few KB");
            }

            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{path}: is not UTF-8 text; save the file as UTF-8");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read the file: {e.Message}", e);
        }

        var root = StrictYaml.Parse(text, path);
        if (root is not null and not JsonObject)
        {
            throw new InvalidDataException($"{path}: must be a mapping with a 'config:' section");
        }

        if (root is JsonObject doc && doc.TryGetPropertyValue("config", out var configNode) && configNode is not null)
        {
            if (configNode is not JsonObject config)
            {
                throw new InvalidDataException($"{path}: 'config' must be a mapping of keys to values");
            }

            foreach (var (key, valueNode) in config)
            {
                if (!key.Contains(':', StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{path}: config key '{Addresses.Show(key)}' has no namespace; write it as 'boma:{Addresses.Show(key)}'");
                }

                var hasSecure = false;
                var json = Secure(valueNode, key, ref hasSecure);
                if (hasSecure)
                {
                    secrets.Add(key);
                    placeholders.Add(key);
                }

                values[key] = json is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
                    : json is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? (b.GetValue<bool>() ? "true" : "false")
                    : json?.ToJsonString() ?? "";
            }
        }

        var errors = ConfigSchema.Check(stack, values, secrets);
        if (errors.Count > 0)
        {
            throw new ConfigValidationException(stack, errors);
        }

        foreach (var key in requiredSecrets.Where(k => !values.ContainsKey(k)))
        {
            values[key] = Placeholder(key);
            secrets.Add(key);
            placeholders.Add(key);
        }

        return new StackConfigFile(values, secrets, placeholders);
    }

    /// <summary><c>Pulumi.cluster.yaml</c> → <c>cluster</c>.</summary>
    public static string StackFromPath(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith("Pulumi.", StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal) && name.Length > 12
            ? name[7..^5]
            : "";
    }

    // A `secure:` mapping anywhere in a value marks the whole key secret; its ciphertext becomes a placeholder.
    private static JsonNode? Secure(JsonNode? node, string key, ref bool hasSecure)
    {
        switch (node)
        {
            case JsonObject map when map.Count == 1 && map.ContainsKey("secure"):
                hasSecure = true;
                return JsonValue.Create(Placeholder(key));
            case JsonObject map:
                var obj = new JsonObject();
                foreach (var (k, v) in map)
                {
                    obj[k] = Secure(v, key, ref hasSecure);
                }

                return obj;
            case JsonArray seq:
                var array = new JsonArray();
                foreach (var item in seq)
                {
                    array.Add(Secure(item, key, ref hasSecure));
                }

                return array;
            default:
                return node?.DeepClone();
        }
    }
}
