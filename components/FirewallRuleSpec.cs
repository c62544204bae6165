using System.Collections.Immutable;

namespace Boma.Infra.Components;

/// <summary>One inbound allow rule as the policy states it (protocol, port, sources, why).</summary>
internal sealed record FirewallRuleSpec(string Protocol, string Port, ImmutableArray<string> SourceIps, string Description);
