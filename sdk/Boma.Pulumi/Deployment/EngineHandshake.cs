using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Boma.Pulumi;

/// <summary>Reads the environment the language host gives the program (PULUMI_MONITOR, PULUMI_CONFIG, ...).</summary>
internal static class EngineHandshake
{
    public static (RunSettings Settings, string Monitor, string Engine) FromEnvironment(Func<string, string?> env)
    {
        string Require(string name) =>
            env(name) is { Length: > 0 } v
                ? v
                : throw new InvalidOperationException(
                    $"Program run without the Pulumi engine available: {name} is not set. " +
                    "Run this program with `pulumi preview` / `pulumi up` (the engine sets PULUMI_MONITOR, PULUMI_ENGINE, PULUMI_PROJECT and PULUMI_STACK).");

        var monitor = Require("PULUMI_MONITOR");
        var engine = Require("PULUMI_ENGINE");
        var project = Require("PULUMI_PROJECT");
        var stack = Require("PULUMI_STACK");
        var organization = env("PULUMI_ORGANIZATION") is { Length: > 0 } org ? org : "organization";

        var dryRunText = env("PULUMI_DRY_RUN");
        var dryRun = false;
        if (!string.IsNullOrEmpty(dryRunText) && !bool.TryParse(dryRunText, out dryRun))
        {
            throw new InvalidOperationException($"PULUMI_DRY_RUN must be true or false, not '{dryRunText}'.");
        }

        var parallelText = env("PULUMI_PARALLEL");
        var parallel = 0;
        if (!string.IsNullOrEmpty(parallelText) && !int.TryParse(parallelText, NumberStyles.Integer, CultureInfo.InvariantCulture, out parallel))
        {
            throw new InvalidOperationException($"PULUMI_PARALLEL must be an integer, not '{parallelText}'.");
        }

        var config = ParseConfig(env("PULUMI_CONFIG"));
        var secretKeys = ParseSecretKeys(env("PULUMI_CONFIG_SECRET_KEYS"));
        return (new RunSettings(project, stack, organization, dryRun, parallel, config, secretKeys), monitor, engine);
    }

    /// <summary>A JSON object of <c>ns:key</c> (or legacy <c>ns:config:key</c>) → string.</summary>
    public static ImmutableDictionary<string, string> ParseConfig(string? json)
    {
        var result = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return result.ToImmutable();
        }

        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("PULUMI_CONFIG must be a JSON object of \"namespace:key\" to string values.");
        }

        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            result[NormalizeKey(p.Name)] = value;
        }

        return result.ToImmutable();
    }

    /// <summary>A JSON array of keys.</summary>
    public static ImmutableHashSet<string> ParseSecretKeys(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return ImmutableHashSet<string>.Empty;
        }

        // JsonDocument rather than JsonSerializer: the serializer's reflection set-up alone costs start-up time.
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind == JsonValueKind.Null)
        {
            return ImmutableHashSet<string>.Empty;
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("PULUMI_CONFIG_SECRET_KEYS must be a JSON array of strings.");
        }

        var keys = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var key in doc.RootElement.EnumerateArray())
        {
            keys.Add(NormalizeKey(key.GetString() ?? throw new JsonException("PULUMI_CONFIG_SECRET_KEYS must be a JSON array of strings.")));
        }

        return keys.ToImmutable();
    }

    /// <summary><c>ns:config:key</c> → <c>ns:key</c>.</summary>
    public static string NormalizeKey(string key)
    {
        const string legacy = Serialization.Constants.LegacyConfigInfix;
        var i = key.IndexOf(legacy, StringComparison.Ordinal);
        return i > 0 && key.IndexOf(':', StringComparison.Ordinal) == i ? key[..i] + ":" + key[(i + legacy.Length)..] : key;
    }
}
