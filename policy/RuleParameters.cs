using System.Globalization;
using System.Text.Json.Nodes;

namespace Boma.Infra.Policy;

/// <summary>Typed reads of one rule's "parameters" object; errors name the rule and the key.</summary>
public sealed class RuleParameters(string ruleId, JsonObject values)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public string RuleId { get; } = ruleId;

    /// <summary>Parameters the rule never asked for: misspelt or stale, so the rule file is refused.</summary>
    public IEnumerable<string> Unread => values.Select(p => p.Key).Where(k => !_read.Contains(k));

    private JsonNode? Get(string key)
    {
        _read.Add(key);
        return values[key];
    }

    private PolicyFileException Bad(string key, string expected) =>
        new($"rule '{RuleId}': parameter '{key}' must be {expected}");

    public string String(string key) =>
        Get(key) is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : throw Bad(key, "a non-empty string");

    public string? OptionalString(string key) =>
        Has(key) ? String(key) : null;

    public bool Bool(string key, bool fallback) =>
        !Has(key) ? fallback
        : Get(key) is JsonValue v && v.TryGetValue(out bool b) ? b : throw Bad(key, "true or false");

    public int Int(string key) =>
        Get(key) is JsonValue v && v.TryGetValue(out int i) ? i : throw Bad(key, "an integer");

    public IReadOnlyList<string> Strings(string key) =>
        Get(key) is JsonArray a && a.All(e => e is JsonValue ev && ev.TryGetValue(out string? _))
            ? a.Select(e => e!.GetValue<string>()).ToList()
            : throw Bad(key, "a list of strings");

    public IReadOnlyList<int> Ints(string key) =>
        Get(key) is JsonArray a && a.All(e => e is JsonValue ev && ev.TryGetValue(out int _))
            ? a.Select(e => e!.GetValue<int>()).ToList()
            : throw Bad(key, "a list of integers");

    public IReadOnlyDictionary<string, IReadOnlyList<string>> StringLists(string key)
    {
        if (Get(key) is not JsonObject o)
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

    private bool Has(string key)
    {
        _read.Add(key);
        return values.ContainsKey(key);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RuleId}: {values.ToJsonString()}");
}
