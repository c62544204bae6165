using System.Text.Json.Nodes;

namespace Boma.Infra.Cli;

/// <summary>One resource the program registered during the offline plan, inputs still in wire form.</summary>
internal sealed record PlanResource
{
    public required string Urn { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    public string? Parent { get; init; }

    public bool Custom { get; init; }

    /// <summary>The provider reference (<c>urn::id</c>) the resource was registered with, if any.</summary>
    public string? Provider { get; init; }

    public required JsonObject Inputs { get; init; }

    public bool Protect { get; init; }

    public IReadOnlyList<string> IgnoreChanges { get; init; } = [];

    public IReadOnlyList<string> AdditionalSecretOutputs { get; init; } = [];

    public IReadOnlyList<string> ReplaceOnChanges { get; init; } = [];

    public IReadOnlyList<string> Dependencies { get; init; } = [];

    public bool RetainOnDelete { get; init; }

    public bool DeleteBeforeReplace { get; init; }
}
