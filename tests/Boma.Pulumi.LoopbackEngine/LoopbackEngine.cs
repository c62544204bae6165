using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>
/// A fake Pulumi engine: pulumirpc.ResourceMonitor and pulumirpc.Engine served by Kestrel over
/// plaintext HTTP/2 on 127.0.0.1 with an ephemeral port. Both services share one port, which is
/// fine because gRPC routes by path; programs are given the same address as monitor and engine.
/// </summary>
public sealed class LoopbackEngine : IAsyncDisposable
{
    // The official SDKs allow 400 MiB messages; the fake must not be the smaller side.
    private const int MaxMessageSize = 400 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly EngineState _state;

    private LoopbackEngine(WebApplication app, EngineState state, string address)
    {
        _app = app;
        _state = state;
        Address = address;
    }

    /// <summary><c>127.0.0.1:port</c>, no scheme, as PULUMI_MONITOR / PULUMI_ENGINE carry it.</summary>
    public string Address { get; }

    public LoopbackEngineOptions Options => _state.Options;

    public CallRecorder Recorder => _state.Recorder;

    /// <summary>The most RegisterResource calls in flight at once: 1 means the program registered sequentially.</summary>
    public int MaxConcurrentRegistrations => _state.MaxConcurrentRegistrations;

    public static async Task<LoopbackEngine> StartAsync(LoopbackEngineOptions? options = null, CancellationToken cancellationToken = default)
    {
        var state = new EngineState(options ?? new LoopbackEngineOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            // Node and .NET open many concurrent streams on one connection (one per pending RPC).
            k.Limits.Http2.MaxStreamsPerConnection = 10_000;
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton(state);
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MaxMessageSize;
            o.MaxSendMessageSize = MaxMessageSize;
            o.EnableDetailedErrors = true;
        });

        var app = builder.Build();
        app.Use((context, next) => CallRecording.Middleware(state, context, () => next(context)));
        app.MapGrpcService<FakeResourceMonitor>();
        app.MapGrpcService<FakeEngineService>();
        await app.StartAsync(cancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var uri = new Uri(addresses.Single());
        return new LoopbackEngine(app, state, $"127.0.0.1:{uri.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
