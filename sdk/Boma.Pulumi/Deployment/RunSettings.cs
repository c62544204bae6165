using System.Collections.Immutable;

namespace Boma.Pulumi;

/// <summary>Everything a run needs to know about its stack, from the engine handshake or from test options.</summary>
internal sealed record RunSettings(
    string Project,
    string Stack,
    string Organization,
    bool DryRun,
    int Parallel,
    ImmutableDictionary<string, string> Config,
    ImmutableHashSet<string> ConfigSecretKeys);
