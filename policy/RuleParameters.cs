using System.Globalization;
using System.Text.Json.Nodes;

namespace Boma.Infra.Policy;

/// <summary>Typed reads of one rule's "parameters" object; errors name the rule and the key.</summary>
public sealed class RuleParameters(string ruleId, JsonObject values)
{
    public string RuleId { get; } = ruleId;

    private PolicyFileException Bad(string key, string expected) =>
        new($"rule '{RuleId}': parameter '{key}' must be {expected}");

    public string String(string key) =>
        values[key] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : throw Bad(key, "a non-empty string");

    public string? OptionalString(string key) =>
        values.ContainsKey(key) ? String(key) : null;

    public bool Bool(string key, bool fallback) =>
        !values.ContainsKey(key) ? fallback
        : values[key] is JsonValue v && v.TryGetValue(out bool b) ? b : throw Bad(key, "true or false");

    public int Int(string key) =>
        values[key] is JsonValue v && v.TryGetValue(out int i) ? i : throw Bad(key, "an integer");

    public IReadOnlyList<string> Strings(string key) =>
        values[key] is JsonArray a && a.All(e => e is JsonValue ev && ev.TryGetValue(out string? _))
            ? a.Select(e => e!.GetValue<string>()).ToList()
            : throw Bad(key, "a list of strings");

    public IReadOnlyList<int> Ints(string key) =>
        values[key] is JsonArray a && a.All(e => e is JsonValue ev && ev.TryGetValue(out int _))
            ? a.Select(e => e!.GetValue<int>()).ToList()
            : throw Bad(key, "a list of integers");

    public IReadOnlyDictionary<string, IReadOnlyList<string>> StringLists(string key)
    {
        if (values[key] is not JsonObject o)
        {
            throw Bad(key, "an object of lists of strings");
        }

        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, node) in o)
        {
            result[name] = node is JsonArray a && a.All(e => e is JsonValue ev && ev.TryGetValue(out string? _))
                ? a.Select(e => e!.GetValue<string>()).ToList()
                : throw Bad($"{key}.{name}", "a list of strings");
        }

        return result;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RuleId}: {values.ToJsonString()}");
}
