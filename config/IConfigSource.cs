namespace Boma.Infra.Config;

using Pulumi;

/// <summary>Where typed config reads raw values from; keys are relative to the <c>boma</c> namespace.</summary>
internal interface IConfigSource
{
    /// <summary>The raw value of a plain key (structured values arrive as JSON text), or null when unset.</summary>
    string? Get(string key);

    /// <summary>Whether the key was set with <c>--secret</c>.</summary>
    bool IsSecret(string key);

    /// <summary>The value of a key as a secret output, or null when unset.</summary>
    Output<string>? GetSecret(string key);

    /// <summary>
    /// A loader looked up a field inside a structured key (<c>netbird.askariKey.name</c>, <c>vms[0].role</c>), set or not.
    /// Nothing reads it in a run; the schema test records it to prove the loaders read exactly what
    /// <see cref="ConfigSchema"/> declares (a field read but not declared could never be set).
    /// </summary>
    void Touched(string path)
    {
    }
}
