using System.Globalization;
using System.Text.Json;

namespace Boma.Pulumi;

/// <summary>Stack configuration in one namespace (default: the project name). Keys are read as <c>namespace:key</c>.</summary>
public sealed class Config
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private readonly DeploymentRun _run;

    /// <summary>Configuration in <paramref name="name"/>, or in the project's namespace.</summary>
    public Config(string? name = null)
    {
        _run = DeploymentRun.Current
            ?? throw new InvalidOperationException("Config is only available inside Deployment.RunAsync(...) or Deployment.TestAsync(...).");
        Name = string.IsNullOrEmpty(name) ? _run.Settings.Project : name;
    }

    /// <summary>The namespace.</summary>
    public string Name { get; }

    private string FullKey(string key) => key.Contains(':', StringComparison.Ordinal) ? key : $"{Name}:{key}";

    // Not public: the official Config has no IsSecret (programs read PULUMI_CONFIG_SECRET_KEYS themselves).
    private bool IsSecret(string key) => _run.Settings.ConfigSecretKeys.Contains(FullKey(key));

    // No warning when a secret is read with a plain getter: the official SDK has it disabled (pulumi/pulumi#7127).
    private string? Raw(string key, bool warnIfSecret)
    {
        _ = warnIfSecret;
        return _run.Settings.Config.TryGetValue(FullKey(key), out var value) ? value : null;
    }

    private ConfigException Missing(string key, bool secret) =>
        new($"Missing required configuration variable '{FullKey(key)}'\n" +
            $"\tset it with `pulumi config set {FullKey(key)} <value>{(secret ? " --secret" : "")}`");

    private ConfigException Malformed(string key, string expected, string value, Exception? inner = null)
    {
        var shown = IsSecret(key) ? "[secret]" : $"'{value}'";
        var message = $"Configuration '{FullKey(key)}' must be {expected}, but is {shown}\n" +
            $"\tfix it with `pulumi config set {FullKey(key)} <value>{(IsSecret(key) ? " --secret" : "")}`";
        return inner is null ? new ConfigException(message) : new ConfigException(message, inner);
    }

    /// <summary>The value, or null when unset.</summary>
    public string? Get(string key) => Raw(key, warnIfSecret: true);

    /// <summary>The value; fails naming the key and the command to set it.</summary>
    public string Require(string key) => Get(key) ?? throw Missing(key, secret: false);

    /// <summary>The value as a secret output, or null when unset.</summary>
    public Output<string>? GetSecret(string key) => Raw(key, warnIfSecret: false) is { } v ? Output.CreateSecret(v) : null;

    /// <summary>The value as a secret output; fails when unset.</summary>
    public Output<string> RequireSecret(string key) => GetSecret(key) ?? throw Missing(key, secret: true);

    /// <summary>An integer, or null when unset.</summary>
    public int? GetInt32(string key) => ParseInt(key, Get(key));

    /// <summary>An integer; fails when unset or not an integer.</summary>
    public int RequireInt32(string key) => GetInt32(key) ?? throw Missing(key, secret: false);

    /// <summary>A secret integer, or null when unset.</summary>
    public Output<int>? GetSecretInt32(string key) => ParseInt(key, Raw(key, false)) is { } v ? Output.CreateSecret(v) : null;

    /// <summary>A boolean, or null when unset.</summary>
    public bool? GetBoolean(string key) => ParseBool(key, Get(key));

    /// <summary>A boolean; fails when unset or not true/false.</summary>
    public bool RequireBoolean(string key) => GetBoolean(key) ?? throw Missing(key, secret: false);

    /// <summary>A JSON object (System.Text.Json, camelCase), or default when unset.</summary>
    public T? GetObject<T>(string key) => ParseObject<T>(key, Get(key));

    /// <summary>A JSON object; fails when unset or malformed.</summary>
    public T RequireObject<T>(string key) => ParseObject<T>(key, Get(key)) ?? throw Missing(key, secret: false);

    /// <summary>A secret JSON object, or null when unset.</summary>
    public Output<T>? GetSecretObject<T>(string key) =>
        Raw(key, false) is { } v ? Output.CreateSecret(ParseObject<T>(key, v)!) : null;

    /// <summary>A secret JSON object; fails when unset.</summary>
    public Output<T> RequireSecretObject<T>(string key) => GetSecretObject<T>(key) ?? throw Missing(key, secret: true);

    private int? ParseInt(string key, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Malformed(key, "an integer", value);
    }

    private bool? ParseBool(string key, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return bool.TryParse(value, out var b) ? b : throw Malformed(key, "true or false", value);
    }

    private T? ParseObject<T>(string key, string? value)
    {
        if (value is null)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(value, JsonOptions);
        }
        catch (JsonException e)
        {
            throw Malformed(key, $"JSON for {typeof(T).Name} ({e.Message})", value, e);
        }
    }
}
