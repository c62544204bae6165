using Google.Protobuf.WellKnownTypes;

namespace Boma.Pulumi;

/// <summary>What the engine answered for a resource: URN, ID ("" = unknown) and state.</summary>
/// <param name="KeepUnknowns">Whether sentinels/missing outputs mean "unknown" (preview, or a failed/skipped step).</param>
internal sealed record RegistrationResult(string Urn, string Id, Struct Object, bool KeepUnknowns);
