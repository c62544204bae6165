using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Pulumirpc;

namespace Boma.Pulumi;

/// <summary><see cref="IEngine"/> over gRPC (h2c to <c>PULUMI_ENGINE</c>).</summary>
public sealed class GrpcEngine : IEngine, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Engine.EngineClient _client;

    /// <summary>Connects to <c>host:port</c> (no scheme, as the engine passes it).</summary>
    public GrpcEngine(string address)
    {
        _channel = GrpcChannels.Create(address);
        _client = new Engine.EngineClient(_channel.Intercept(new RecursionLimitInterceptor()));
    }

    /// <inheritdoc />
    public async Task LogAsync(LogRequest request) => await _client.LogAsync(request).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task SetRootResourceAsync(string urn) =>
        await _client.SetRootResourceAsync(new SetRootResourceRequest { Urn = urn }).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<string> GetRootResourceAsync() =>
        (await _client.GetRootResourceAsync(new GetRootResourceRequest()).ConfigureAwait(false)).Urn;

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
