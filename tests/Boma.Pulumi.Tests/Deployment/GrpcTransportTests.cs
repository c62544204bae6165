using System.Net;
using Boma.Pulumi.Testing;
using Boma.Pulumi.Tests.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Pulumirpc;

namespace Boma.Pulumi.Tests.Deployment;

using Deployment = Boma.Pulumi.Deployment;

/// <summary>The real gRPC path: h2c channel, handshake, every call, over a loopback server.</summary>
[TestFixture]
public sealed class GrpcTransportTests
{
    private sealed class MonitorService(RecordingMonitor inner) : ResourceMonitor.ResourceMonitorBase
    {
        public override async Task<SupportsFeatureResponse> SupportsFeature(SupportsFeatureRequest request, ServerCallContext context) =>
            new() { HasSupport = await inner.SupportsFeatureAsync(request.Id) };

        public override Task<RegisterResourceResponse> RegisterResource(RegisterResourceRequest request, ServerCallContext context) =>
            inner.RegisterResourceAsync(request);

        public override async Task<Empty> RegisterResourceOutputs(RegisterResourceOutputsRequest request, ServerCallContext context)
        {
            await inner.RegisterResourceOutputsAsync(request);
            return new Empty();
        }

        public override async Task<Empty> SignalAndWaitForShutdown(Empty request, ServerCallContext context)
        {
            await inner.SignalAndWaitForShutdownAsync();
            return new Empty();
        }
    }

    private sealed class EngineService(RecordingEngine inner) : Engine.EngineBase
    {
        public override async Task<Empty> Log(LogRequest request, ServerCallContext context)
        {
            await inner.LogAsync(request);
            return new Empty();
        }

        // SetRootResource is left unimplemented on purpose: older engines answer UNIMPLEMENTED and the run must go on.
    }

    [Test]
    public async Task A_program_runs_end_to_end_over_grpc()
    {
        var monitor = new RecordingMonitor(new ServerMocks(), "boma", "offsite");
        var engine = new RecordingEngine();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(monitor);
        builder.Services.AddSingleton(engine);
        await using var app = builder.Build();
        app.MapGrpcService<MonitorService>();
        app.MapGrpcService<EngineService>();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;

        var env = new Dictionary<string, string>
        {
            ["PULUMI_MONITOR"] = address,
            ["PULUMI_ENGINE"] = address,
            ["PULUMI_PROJECT"] = "boma",
            ["PULUMI_STACK"] = "offsite",
            ["PULUMI_DRY_RUN"] = "false",
            ["PULUMI_PARALLEL"] = "8",
            ["PULUMI_CONFIG_SECRET_KEYS"] = "[]",
        };
        var exit = await Deployment.RunWithEngineAsync(
            () =>
            {
                var servers = Enumerable.Range(0, 200).Select(i => new Server($"s{i}", new ServerArgs { Name = $"s{i}" })).ToList();
                Log.Info("registered");
                return Task.FromResult<IDictionary<string, object?>?>(new Dictionary<string, object?> { ["ip"] = servers[0].Ipv4 });
            },
            false,
            k => env.GetValueOrDefault(k));
        await app.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(monitor.FeatureRequests, Is.EquivalentTo(RunnerTests.NeededFeatures));
            Assert.That(monitor.Registrations, Has.Length.EqualTo(201));
            Assert.That(monitor.OutputRegistrations.Single().Outputs["ip"]!.GetValue<string>(), Is.EqualTo("192.0.2.10"));
            Assert.That(monitor.ShutdownCalls, Is.EqualTo(1));
            Assert.That(engine.Logs.Select(l => l.Message), Does.Contain("registered"));
        });
    }

    /// <summary>Answers every registration with an object nested <see cref="Depth"/> levels deep.</summary>
    private sealed class DeepMonitorService : ResourceMonitor.ResourceMonitorBase
    {
        public static int Depth { get; set; }

        public override Task<RegisterResourceResponse> RegisterResource(RegisterResourceRequest request, ServerCallContext context) =>
            Task.FromResult(new RegisterResourceResponse { Urn = "urn:deep", Object = Nested(Depth) });
    }

    private static Struct Nested(int depth)
    {
        var s = new Struct();
        for (var i = 0; i < depth; i++)
        {
            var outer = new Struct();
            outer.Fields["next"] = Value.ForStruct(s);
            s = outer;
        }

        return s;
    }

    private static int DepthOf(Struct s)
    {
        var depth = 0;
        while (s.Fields.TryGetValue("next", out var next))
        {
            depth++;
            s = next.StructValue;
        }

        return depth;
    }

    [Test]
    public async Task Answers_are_parsed_with_the_recursion_limit_of_the_official_sdk()
    {
        // The official .NET SDK parses with Pulumi.Protobuf, a Google.Protobuf fork whose DefaultRecursionLimit is 500
        // instead of 100 (pulumi-dotnet sdk/Pulumi/Pulumi.csproj; the fork's CodedInputStream.cs / ParseContext.cs).
        // Each level of an object costs three protobuf levels (Struct, map entry, Value): 120 levels are ~360.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        await using var app = builder.Build();
        app.MapGrpcService<DeepMonitorService>();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
        using var monitor = new GrpcResourceMonitor(address);

        DeepMonitorService.Depth = 120;
        var bytes = new RegisterResourceResponse { Urn = "urn:deep", Object = Nested(120) }.ToByteArray();
        Assert.That(() => RegisterResourceResponse.Parser.ParseFrom(bytes), Throws.InstanceOf<Google.Protobuf.InvalidProtocolBufferException>(),
            "Google.Protobuf's default limit should refuse this answer, or the test proves nothing");
        var answer = await monitor.RegisterResourceAsync(new RegisterResourceRequest { Type = "test:index:Deep", Name = "deep" });
        Assert.That(DepthOf(answer.Object), Is.EqualTo(120));

        DeepMonitorService.Depth = 200; // ~600 levels: past the official limit too
        Assert.That(async () => await monitor.RegisterResourceAsync(new RegisterResourceRequest { Type = "test:index:Deep", Name = "deeper" }),
            Throws.InstanceOf<RpcException>());
        await app.StopAsync();
    }
}
