using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

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

    /// <summary>Reads the file; every key in <paramref name="requiredSecrets"/> that is missing gets a placeholder.</summary>
    public static StackConfigFile Load(string path, IEnumerable<string> requiredSecrets)
    {
        ArgumentNullException.ThrowIfNull(requiredSecrets);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var placeholders = new List<string>();

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{path}: not valid YAML ({e.Start}): {e.Message}", e);
        }

        if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode))
        {
            if (configNode is not YamlMappingNode config)
            {
                if (configNode is not YamlScalarNode { Value: null or "" })
                {
                    throw new InvalidDataException($"{path}: 'config' must be a mapping of keys to values");
                }

                config = new YamlMappingNode();
            }

            foreach (var (keyNode, valueNode) in config.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                if (!key.Contains(':', StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{path}: config key '{key}' has no namespace; write it as 'boma:{key}'");
                }

                var hasSecure = false;
                var json = ToJson(valueNode, key, ref hasSecure);
                if (hasSecure)
                {
                    secrets.Add(key);
                    placeholders.Add(key);
                }

                values[key] = json is JsonValue v && v.TryGetValue(out string? s) ? s : json?.ToJsonString() ?? "";
            }
        }

        foreach (var key in requiredSecrets.Where(k => !values.ContainsKey(k)))
        {
            values[key] = Placeholder(key);
            secrets.Add(key);
            placeholders.Add(key);
        }

        return new StackConfigFile(values, secrets, placeholders);
    }

    private static JsonNode? ToJson(YamlNode node, string key, ref bool hasSecure)
    {
        switch (node)
        {
            case YamlMappingNode map when map.Children.Count == 1 && map.Children.ContainsKey(new YamlScalarNode("secure")):
                hasSecure = true;
                return JsonValue.Create(Placeholder(key));
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    obj[((YamlScalarNode)k).Value ?? ""] = ToJson(v, key, ref hasSecure);
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children)
                {
                    array.Add(ToJson(item, key, ref hasSecure));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    // Plain (unquoted) YAML scalars keep their type in structured config, as the Pulumi CLI does.
    private static JsonValue Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.Plain)
        {
            if (text is "true" or "false")
            {
                return JsonValue.Create(text == "true");
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return JsonValue.Create(n);
            }
        }

        return JsonValue.Create(text);
    }
}
