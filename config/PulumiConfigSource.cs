using System.Text.Json;

namespace Boma.Infra.Config;

/// <summary>
/// Reads the <c>boma</c> namespace through the SDK's <see cref="Pulumi.Config"/>. Which keys are secret is not
/// part of the official SDK's Config API; the engine hands the list to the program in
/// PULUMI_CONFIG_SECRET_KEYS (a JSON array of full keys), so that is where it is read under `pulumi`.
/// </summary>
internal sealed class PulumiConfigSource(Pulumi.Config config, IReadOnlySet<string> secretKeys) : IConfigSource
{
    /// <summary>The variable the language host sets for the program (pulumi-protocol.md §1.4).</summary>
    public const string SecretKeysVariable = "PULUMI_CONFIG_SECRET_KEYS";

    /// <summary>Under the engine: the secret keys come from the environment.</summary>
    public PulumiConfigSource()
        : this(EngineSecretKeys())
    {
    }

    /// <summary>Offline or in tests: the secret keys (full, <c>ns:key</c>) are given.</summary>
    public PulumiConfigSource(IEnumerable<string> secretKeys)
        : this(new Pulumi.Config(ConfigKeys.Namespace), secretKeys.ToHashSet(StringComparer.Ordinal))
    {
    }

    public string? Get(string key) => config.Get(key);

    public bool IsSecret(string key) => secretKeys.Contains(ConfigKeys.Full(key));

    public Pulumi.Output<string>? GetSecret(string key) => config.GetSecret(key);

    /// <summary>The secret keys the engine passed; none when the variable is unset (the host always sets it, <c>[]</c> when empty).</summary>
    public static IReadOnlySet<string> EngineSecretKeys()
    {
        var text = Environment.GetEnvironmentVariable(SecretKeysVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        try
        {
            return (JsonSerializer.Deserialize<string[]>(text) ?? []).ToHashSet(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new ConfigValidationException($"{SecretKeysVariable} is not a JSON array of config keys ({e.Message}); run the program under `pulumi up`/`pulumi preview`, which sets it.", e);
        }
    }
}
