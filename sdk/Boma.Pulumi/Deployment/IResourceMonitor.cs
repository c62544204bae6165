using Pulumirpc;

namespace Boma.Pulumi;

/// <summary>The ResourceMonitor calls the SDK makes; gRPC in a real run, in-process in tests.</summary>
public interface IResourceMonitor
{
    /// <summary>Asks whether the engine supports a feature.</summary>
    Task<bool> SupportsFeatureAsync(string id);

    /// <summary>Registers (creates/updates/previews) a resource; returns when the engine finished the step.</summary>
    Task<RegisterResourceResponse> RegisterResourceAsync(RegisterResourceRequest request);

    /// <summary>Reads an existing resource.</summary>
    Task<ReadResourceResponse> ReadResourceAsync(ReadResourceRequest request);

    /// <summary>Records a resource's outputs.</summary>
    Task RegisterResourceOutputsAsync(RegisterResourceOutputsRequest request);

    /// <summary>Calls a provider function.</summary>
    Task<InvokeResponse> InvokeAsync(ResourceInvokeRequest request);

    /// <summary>Tells the engine the program is done and waits for the deployment to finish.</summary>
    Task SignalAndWaitForShutdownAsync();
}
