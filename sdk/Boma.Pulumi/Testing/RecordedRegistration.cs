using System.Text.Json.Nodes;
using Pulumirpc;

namespace Boma.Pulumi.Testing;

/// <summary>One RegisterResource (or ReadResource, see <see cref="IsRead"/>) call and the answer it got.</summary>
public sealed class RecordedRegistration
{
    /// <summary>The request exactly as sent (for reads, an equivalent RegisterResourceRequest).</summary>
    public required RegisterResourceRequest Request { get; init; }

    /// <summary>The URN given back.</summary>
    public required string Urn { get; init; }

    /// <summary>The ID given back ("" = unknown, or a component).</summary>
    public required string Id { get; init; }

    /// <summary>The inputs in wire form: secrets as sig objects, unknowns as the sentinel.</summary>
    public required JsonObject Inputs { get; init; }

    /// <summary>The outputs given back, in wire form.</summary>
    public required JsonObject Outputs { get; init; }

    /// <summary>True when this was a ReadResource call (e.g. a StackReference).</summary>
    public bool IsRead { get; init; }
}
