using System.Globalization;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Pulumirpc;

namespace Boma.Bench.Floor;

/// <summary>
/// The floor contestant: the requests Boma.Pulumi sends for the bench program (LoadScenarios.Bench),
/// written out by hand over one gRPC channel. It waits only where the data demands it (a resource's
/// input holds the previous resource's id, a child needs its parent's URN), so its time is what the
/// runtime, gRPC and the fake engine cost for this program. The bench checks the requests are equal.
/// </summary>
internal static class Program
{
    private const string SecretSigKey = "4dabf18193072939515e22adb298388d";
    private const string SecretSig = "1b47061264138c4ac30d75fd1eb44270";

    // The features Boma.Pulumi asks (once each, before the first registration needs them), asked together here.
    private static readonly string[] Features = ["resourceReferences", "aliasSpecs"];

    public static async Task<int> Main()
    {
        var monitorAddress = Environment.GetEnvironmentVariable("PULUMI_MONITOR");
        var engineAddress = Environment.GetEnvironmentVariable("PULUMI_ENGINE");
        var project = Environment.GetEnvironmentVariable("PULUMI_PROJECT");
        var stackName = Environment.GetEnvironmentVariable("PULUMI_STACK");
        if (string.IsNullOrEmpty(monitorAddress) || string.IsNullOrEmpty(engineAddress) || string.IsNullOrEmpty(project) || string.IsNullOrEmpty(stackName))
        {
            await Console.Error.WriteLineAsync("PULUMI_MONITOR, PULUMI_ENGINE, PULUMI_PROJECT and PULUMI_STACK must be set (the engine handshake).");
            return 1;
        }

        var sizeText = Environment.GetEnvironmentVariable("BOMA_SCENARIO_RESOURCES");
        var n = string.IsNullOrEmpty(sizeText) ? 2000 : int.Parse(sizeText, CultureInfo.InvariantCulture);

        using var monitorChannel = Channel(monitorAddress);
        using var engineChannel = Channel(engineAddress);
        var monitor = new ResourceMonitor.ResourceMonitorClient(monitorChannel);
        var engine = new Engine.EngineClient(engineChannel);

        await Task.WhenAll(Features.Select(id => monitor.SupportsFeatureAsync(new SupportsFeatureRequest { Id = id }).ResponseAsync));

        var stack = await monitor.RegisterResourceAsync(Request("pulumi:pulumi:Stack", $"{project}-{stackName}", "", custom: false, new Struct()));
        await engine.SetRootResourceAsync(new SetRootResourceRequest { Urn = stack.Urn });

        var groups = new List<Task>();
        Task<string> parent = Task.FromResult(stack.Urn);
        for (var g = 0; g * 10 < n; g++)
        {
            var group = RegisterGroupAsync(monitor, g, Math.Min(10, n - (g * 10)), g % 5 == 0 ? Task.FromResult(stack.Urn) : parent);
            parent = group.Urn;
            groups.Add(group.Done);
        }

        await Task.WhenAll(groups);
        var outputs = new Struct();
        outputs.Fields["count"] = Value.ForNumber(n);
        await monitor.RegisterResourceOutputsAsync(new RegisterResourceOutputsRequest { Urn = stack.Urn, Outputs = outputs });
        try
        {
            await monitor.SignalAndWaitForShutdownAsync(new Empty());
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.Unimplemented or Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.Cancelled)
        {
            // As Boma.Pulumi: an engine that is closing no longer needs the signal.
        }

        return 0;
    }

    /// <summary>A bench:index:Group and its chain of texts; the URN task is what child groups wait on.</summary>
    private static (Task<string> Urn, Task Done) RegisterGroupAsync(ResourceMonitor.ResourceMonitorClient monitor, int g, int size, Task<string> parentUrn)
    {
        var urn = RegisterComponentAsync(monitor, g, parentUrn);
        return (urn, ChildrenAsync(monitor, g, size, urn));
    }

    private static async Task<string> RegisterComponentAsync(ResourceMonitor.ResourceMonitorClient monitor, int g, Task<string> parentUrn)
    {
        var parent = await parentUrn;
        return (await monitor.RegisterResourceAsync(Request("bench:index:Group", $"g{g}", parent, custom: false, new Struct()))).Urn;
    }

    private static async Task ChildrenAsync(ResourceMonitor.ResourceMonitorClient monitor, int g, int size, Task<string> groupUrn)
    {
        var urn = await groupUrn;
        var outputs = monitor.RegisterResourceOutputsAsync(new RegisterResourceOutputsRequest { Urn = urn, Outputs = new Struct() }).ResponseAsync;
        string? previousUrn = null;
        string? previousId = null;
        for (var k = 0; k < size; k++)
        {
            var text = Value.ForString(previousId is null ? $"g{g}-{k}" : $"{previousId}/{k}");
            if (k % 3 == 0)
            {
                var secret = new Struct();
                secret.Fields[SecretSigKey] = Value.ForString(SecretSig);
                secret.Fields["value"] = text;
                text = Value.ForStruct(secret);
            }

            var inputs = new Struct();
            inputs.Fields["text"] = text;
            var request = Request("simple:index:Text", $"g{g}-r{k}", urn, custom: true, inputs);
            request.Version = "2.0.0";
            var deps = new RegisterResourceRequest.Types.PropertyDependencies();
            if (previousUrn is not null)
            {
                request.Dependencies.Add(previousUrn);
                deps.Urns.Add(previousUrn);
            }

            request.PropertyDependencies["text"] = deps;
            var response = await monitor.RegisterResourceAsync(request);
            previousUrn = response.Urn;
            previousId = response.Id;
        }

        await outputs;
    }

    private static RegisterResourceRequest Request(string type, string name, string parent, bool custom, Struct inputs) => new()
    {
        Type = type,
        Name = name,
        Parent = parent,
        Custom = custom,
        Object = inputs,
        AcceptSecrets = true,
        AcceptResources = true,
        SupportsPartialValues = true,
        SupportsResultReporting = true,
        AliasSpecs = true,
    };

    /// <summary>The transport both official SDKs use: h2c with prior knowledge, large messages.</summary>
    private static GrpcChannel Channel(string address) => GrpcChannel.ForAddress("http://" + address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
        HttpVersion = HttpVersion.Version20,
        HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        MaxReceiveMessageSize = 400 * 1024 * 1024,
        MaxSendMessageSize = 400 * 1024 * 1024,
        DisposeHttpClient = true,
    });
}
