using Boma.Infra.Policy;
using System.Text.Json.Nodes;

namespace Boma.Infra.Cli;

/// <summary>Everything the offline plan prints: the registered resources, the stack outputs and what was stood in for.</summary>
internal sealed record PlanResult
{
    public required string Project { get; init; }

    public required string Stack { get; init; }

    /// <summary>Resources in registration order; the root stack first.</summary>
    public required IReadOnlyList<ResourceView> Resources { get; init; }

    /// <summary>Stack outputs in wire form (secrets as signature objects, unknowns as the sentinel).</summary>
    public required JsonObject Outputs { get; init; }

    /// <summary>The stack config as the program saw it (full keys), and which keys are secret.</summary>
    public required IReadOnlyDictionary<string, string> Config { get; init; }

    public required IReadOnlySet<string> SecretKeys { get; init; }

    /// <summary>What the program logged (severity, message, resource URN or empty), as `pulumi preview` shows under Diagnostics.</summary>
    public IReadOnlyList<PlanDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>Config keys whose value is an offline placeholder.</summary>
    public required IReadOnlyList<string> Placeholders { get; init; }
}
