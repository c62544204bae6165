using Google.Protobuf.WellKnownTypes;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Pulumirpc;

namespace Boma.Pulumi;

/// <summary><see cref="IResourceMonitor"/> over gRPC (h2c to <c>PULUMI_MONITOR</c>).</summary>
public sealed class GrpcResourceMonitor : IResourceMonitor, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ResourceMonitor.ResourceMonitorClient _client;

    /// <summary>Connects to <c>host:port</c> (no scheme, as the engine passes it).</summary>
    public GrpcResourceMonitor(string address)
    {
        _channel = GrpcChannels.Create(address);
        _client = new ResourceMonitor.ResourceMonitorClient(_channel.Intercept(new RecursionLimitInterceptor()));
    }

    /// <inheritdoc />
    public async Task<bool> SupportsFeatureAsync(string id) =>
        (await _client.SupportsFeatureAsync(new SupportsFeatureRequest { Id = id }).ConfigureAwait(false)).HasSupport;

    /// <inheritdoc />
    // The call's own task, without an async wrapper: one state machine less per registration.
    public Task<RegisterResourceResponse> RegisterResourceAsync(RegisterResourceRequest request) => _client.RegisterResourceAsync(request).ResponseAsync;

    /// <inheritdoc />
    public Task<ReadResourceResponse> ReadResourceAsync(ReadResourceRequest request) => _client.ReadResourceAsync(request).ResponseAsync;

    /// <inheritdoc />
    public async Task RegisterResourceOutputsAsync(RegisterResourceOutputsRequest request) =>
        await _client.RegisterResourceOutputsAsync(request).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<InvokeResponse> InvokeAsync(ResourceInvokeRequest request) => _client.InvokeAsync(request).ResponseAsync;

    /// <inheritdoc />
    // No deadline: the call returns only when the whole deployment (deletes included) is done.
    public async Task SignalAndWaitForShutdownAsync() =>
        await _client.SignalAndWaitForShutdownAsync(new Empty()).ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
