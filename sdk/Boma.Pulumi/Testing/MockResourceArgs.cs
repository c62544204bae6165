using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;

namespace Boma.Pulumi.Testing;

/// <summary>What a mock sees of a registration.</summary>
public sealed class MockResourceArgs
{
    /// <summary>The type token.</summary>
    public required string Type { get; init; }

    /// <summary>The logical name.</summary>
    public required string Name { get; init; }

    /// <summary>The inputs as plain values (secrets unwrapped, unknowns null).</summary>
    public required ImmutableDictionary<string, object?> Inputs { get; init; }

    /// <summary>The inputs as sent (secret wrappers and sentinels kept); return this as the state to echo them faithfully.</summary>
    public required Struct WireInputs { get; init; }

    /// <summary>The provider reference (<c>urn::id</c>), empty for the default provider.</summary>
    public string Provider { get; init; } = "";

    /// <summary>The import/read ID, if any.</summary>
    public string? Id { get; init; }

    /// <summary>True for custom resources.</summary>
    public bool Custom { get; init; }

    /// <summary>The URN the monitor gave the resource (the engine's state key).</summary>
    public string Urn { get; init; } = "";

    /// <summary>The registration as sent (dependencies, replaceOnChanges, deleteBeforeReplace...); for reads, an equivalent request.</summary>
    public Pulumirpc.RegisterResourceRequest? Request { get; init; }
}
