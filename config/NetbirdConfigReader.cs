using System.Text.Json;

namespace Boma.Infra.Config;

/// <summary>
/// Reads one structured config key (e.g. <c>boma:netbird</c>, set with <c>pulumi config set --path</c>) field by
/// field, collecting every problem as a <see cref="ConfigError"/> whose key is the full path
/// (<c>boma:netbird.policies[1].protocol</c>) and whose fix is the command that sets it right.
/// </summary>
internal sealed class NetbirdConfigReader
{
    private readonly IConfigSource _source;
    private readonly string _stack;

    public NetbirdConfigReader(IConfigSource source, string stack)
    {
        _source = source;
        _stack = stack;
    }

    public List<ConfigError> Errors { get; } = [];

    public void Error(string path, string problem, string fix) => Errors.Add(new ConfigError(ConfigKeys.Full(path), problem, fix));

    /// <summary>The fix command that sets <paramref name="path"/> (see <see cref="ConfigFix"/>).</summary>
    public string SetPath(string path, string example) => ConfigFix.Set(_stack, path, example);

    public string Rm(string path) => ConfigFix.Rm(_stack, path);

    public string SetSecret(string key, string example) => ConfigFix.SetSecret(_stack, key, example);

    /// <summary>The object stored at <paramref name="key"/>, or an empty object when unset (all fields default).</summary>
    public JsonElement Object(string key)
    {
        if (_source.IsSecret(key))
        {
            Error(key, "is stored as a secret but holds plain settings", $"{Rm(key)}, then set its fields without --secret: {SetPath(key + ".<field>", "<value>")}");
            return Empty();
        }

        var raw = _source.Get(key);
        if (raw is null)
        {
            return Empty();
        }

        try
        {
            var root = JsonDocument.Parse(raw).RootElement.Clone();
            if (root.ValueKind == JsonValueKind.Object)
            {
                return root;
            }
        }
        catch (JsonException)
        {
            // Reported below: a plain string where an object was expected.
        }

        Error(key, "must be an object of settings", $"{Rm(key)} && {SetPath(key + ".<field>", "<value>")}");
        return Empty();
    }

    private static JsonElement Empty() => JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Looks a field up (and tells the source, see <see cref="IConfigSource.Touched"/>).</summary>
    public bool Field(JsonElement obj, string path, string field, out JsonElement value)
    {
        _source.Touched($"{path}.{field}");
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public string? String(JsonElement obj, string path, string field, string? fallback, Func<string, string?> rule, string example)
    {
        var full = $"{path}.{field}";
        if (!Field(obj, path, field, out var value))
        {
            if (fallback is null)
            {
                Error(full, "is required and not set", SetPath(full, example));
            }

            return fallback;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(full, $"must be a string, got {value.GetRawText()}", SetPath(full, example));
            return null;
        }

        var text = value.GetString()!;
        var problem = rule(text);
        if (problem is not null)
        {
            Error(full, problem, SetPath(full, example));
            return null;
        }

        return text;
    }

    public int Int(JsonElement obj, string path, string field, int fallback, int min, int max)
    {
        var full = $"{path}.{field}";
        if (!Field(obj, path, field, out var value))
        {
            return fallback;
        }

        // `pulumi config set --path` stores numbers as numbers, a hand-edited file may quote them.
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out var n) ? n : (int?)null,
            JsonValueKind.String => int.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null,
            _ => null,
        };
        if (ok is null || ok < min || ok > max)
        {
            Error(full, $"must be a whole number from {min} to {max}, got {value.GetRawText()}", SetPath(full, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return fallback;
        }

        return ok.Value;
    }

    public bool Bool(JsonElement obj, string path, string field, bool fallback)
    {
        var full = $"{path}.{field}";
        if (!Field(obj, path, field, out var value))
        {
            return fallback;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed):
                return parsed;
            default:
                Error(full, $"must be true or false, got {value.GetRawText()}", SetPath(full, fallback ? "true" : "false"));
                return fallback;
        }
    }

    public List<string>? Strings(JsonElement obj, string path, string field, IReadOnlyList<string>? fallback, Func<string, string?> rule, string example)
    {
        var full = $"{path}.{field}";
        if (!Field(obj, path, field, out var value))
        {
            if (fallback is null)
            {
                Error(full, "is required and not set", SetPath(full + "[0]", example));
            }

            return fallback?.ToList();
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(full, $"must be a list, got {value.GetRawText()}", SetPath(full + "[0]", example));
            return null;
        }

        var result = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var problem = item.ValueKind == JsonValueKind.String ? rule(item.GetString()!) : $"must be a string, got {item.GetRawText()}";
            if (problem is not null)
            {
                Error($"{full}[{i}]", problem, SetPath($"{full}[{i}]", example));
            }
            else
            {
                result.Add(item.GetString()!);
            }

            i++;
        }

        return result;
    }

    /// <summary>A list of objects, or null (and the fallback is used) when unset.</summary>
    public List<JsonElement>? Objects(JsonElement obj, string path, string field, string example)
    {
        var full = $"{path}.{field}";
        if (!Field(obj, path, field, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            Error(full, "must be a list of objects", SetPath(full + "[0]." + example, "<value>"));
            return [];
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>A secret key; when <paramref name="required"/> and unset it is an error naming <paramref name="fix"/>.</summary>
    public Pulumi.Output<string>? Secret(string key, bool required, string what, string fix, Func<string, string?>? rule = null)
    {
        var value = _source.GetSecret(key);
        if (value is null)
        {
            if (required)
            {
                Error(key, $"is required and not set: {what}", fix);
            }

            return null;
        }

        if (!_source.IsSecret(key))
        {
            Error(key, "is stored in plain text in the stack file", $"{Rm(key)} && {fix}");
        }

        // The check reads the raw value (config is plain text in the engine's hand-over); the program keeps the secret output.
        if (rule is not null && Raw(key) is { } plain && rule(plain) is { } problem)
        {
            Error(key, problem, fix);
        }

        return value;
    }

    /// <summary>A key's raw value, or null when unset or an offline placeholder (never format-checked).</summary>
    public string? Raw(string key) =>
        _source.Get(key) is { } v && !v.StartsWith(ConfigKeys.OfflinePlaceholderPrefix, StringComparison.Ordinal) ? v : null;
}
