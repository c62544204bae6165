using System.Collections.Immutable;

namespace Boma.Infra.Config;

/// <summary>One scoped access policy (one rule): who (source groups) may reach what (destination groups) over which protocol/ports.</summary>
internal sealed record NetbirdPolicySpec(
    string Name,
    string Description,
    ImmutableArray<string> Sources,
    ImmutableArray<string> Destinations,
    string Protocol,
    ImmutableArray<string> Ports,
    bool Bidirectional);
