using System.Collections.Immutable;

namespace Boma.Pulumi.Testing;

/// <summary>What a mock sees of a provider function call.</summary>
public sealed class MockCallArgs
{
    /// <summary>The function token.</summary>
    public required string Token { get; init; }

    /// <summary>The arguments as plain values.</summary>
    public required ImmutableDictionary<string, object?> Args { get; init; }

    /// <summary>The provider reference, empty for the default provider.</summary>
    public string Provider { get; init; } = "";
}
