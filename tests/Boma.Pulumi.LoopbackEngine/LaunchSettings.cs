namespace Boma.Pulumi.LoopbackEngine;

/// <summary>What the engine tells a program about the deployment (the handshake's content).</summary>
public sealed record LaunchSettings
{
    public string Project { get; init; } = "conformance";

    public string Stack { get; init; } = "test";

    public string Organization { get; init; } = "organization";

    public bool Preview { get; init; }

    /// <summary>PULUMI_CONFIG: <c>namespace:key</c> → value (secrets decrypted, as the engine passes them).</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    /// <summary>PULUMI_CONFIG_SECRET_KEYS.</summary>
    public IReadOnlyList<string> SecretKeys { get; init; } = [];

    /// <summary>More environment for the program (e.g. the size of a load scenario).</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();
}
