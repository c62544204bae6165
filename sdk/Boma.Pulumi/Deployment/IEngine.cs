using Pulumirpc;

namespace Boma.Pulumi;

/// <summary>The Engine calls the SDK makes; gRPC in a real run, in-process in tests.</summary>
public interface IEngine
{
    /// <summary>Sends a diagnostic.</summary>
    Task LogAsync(LogRequest request);

    /// <summary>Stores the root (stack) URN.</summary>
    Task SetRootResourceAsync(string urn);

    /// <summary>Reads the root (stack) URN.</summary>
    Task<string> GetRootResourceAsync();
}
