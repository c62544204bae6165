using System.Collections.Immutable;

namespace Boma.Infra.Config;

/// <summary>One setup key as the API takes it (docs/design/netbird.md, "Management API"): expiry in seconds (0 = never), usage limit (0 = unlimited).</summary>
internal sealed record NetbirdSetupKeySpec(
    string Name, string Type, int ExpiresInSeconds, int UsageLimit, bool Ephemeral, ImmutableArray<string> Groups);
