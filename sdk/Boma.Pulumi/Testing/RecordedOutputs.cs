using System.Text.Json.Nodes;
using Pulumirpc;

namespace Boma.Pulumi.Testing;

/// <summary>One RegisterResourceOutputs call.</summary>
public sealed class RecordedOutputs
{
    /// <summary>The request exactly as sent.</summary>
    public required RegisterResourceOutputsRequest Request { get; init; }

    /// <summary>The resource URN.</summary>
    public string Urn => Request.Urn;

    /// <summary>The outputs in wire form: secrets as sig objects, unknowns as the sentinel.</summary>
    public required JsonObject Outputs { get; init; }
}
