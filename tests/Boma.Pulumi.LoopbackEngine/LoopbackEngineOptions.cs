using Grpc.Core;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>How the fake engine answers; defaults mimic a modern engine in update mode.</summary>
public sealed class LoopbackEngineOptions
{
    /// <summary>The feature ids the real engine reports as supported (its list is frozen).</summary>
    public static readonly IReadOnlyList<string> EngineFeatures =
    [
        "secrets", "resourceReferences", "outputValues", "deletedWith", "replaceWith", "aliasSpecs",
        "transforms", "invokeTransforms", "parameterization", "resourceHooks", "errorHooks",
    ];

    /// <summary>Project and stack used to build URNs; must match what the program is told.</summary>
    public string Project { get; init; } = "conformance";

    public string Stack { get; init; } = "test";

    /// <summary>Preview: custom resources get the empty (unknown) id, like a create in a real preview.</summary>
    public bool Preview { get; init; }

    public IReadOnlyCollection<string> SupportedFeatures { get; init; } = EngineFeatures;

    /// <summary>When set, every RegisterResource after this many fails with <see cref="FailureStatus"/>.</summary>
    public int? FailRegistrationsAfter { get; init; }

    public StatusCode FailureStatus { get; init; } = StatusCode.Unavailable;

    /// <summary>Added before every RegisterResource / ReadResource answer (simulates slow provider steps).</summary>
    public TimeSpan ResponseDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Record each request as JSON (the benchmark can turn this off to keep the fake cheap).</summary>
    public bool RecordPayloads { get; init; } = true;
}
