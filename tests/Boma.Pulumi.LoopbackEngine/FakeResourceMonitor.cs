using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pulumirpc;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>pulumirpc.ResourceMonitor answered like the engine would, without providers (docs/design/pulumi-protocol.md, "What the fake engine answers").</summary>
internal sealed class FakeResourceMonitor(EngineState state) : ResourceMonitor.ResourceMonitorBase
{
    /// <summary>Custom resources whose name starts with this get an "unknown" answer, like creates skipped by --target.</summary>
    public const string UntargetedPrefix = "untargeted-";

    private LoopbackEngineOptions Options => state.Options;

    public override Task<SupportsFeatureResponse> SupportsFeature(SupportsFeatureRequest request, ServerCallContext context)
    {
        Record(request, context);
        return Task.FromResult(new SupportsFeatureResponse { HasSupport = Options.SupportedFeatures.Contains(request.Id) });
    }

    public override async Task<RegisterResourceResponse> RegisterResource(RegisterResourceRequest request, ServerCallContext context)
    {
        state.RegistrationStarted();
        try
        {
            return await RegisterAsync(request, context);
        }
        finally
        {
            state.RegistrationEnded();
        }
    }

    private async Task<RegisterResourceResponse> RegisterAsync(RegisterResourceRequest request, ServerCallContext context)
    {
        var call = Record(request, context);
        var urn = Urns.Create(Options.Stack, Options.Project, request.Parent, request.Type, request.Name);
        call.Urn = urn;
        if (state.NextRegistrationFails())
        {
            call.InjectedFailure = Options.FailureStatus.ToString();
            throw new RpcException(new Status(Options.FailureStatus, $"injected failure registering {urn}"));
        }

        if (Options.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(Options.ResponseDelay, context.CancellationToken);
        }

        var response = new RegisterResourceResponse { Urn = urn, Object = new Struct() };
        if (request.Custom && request.Name.StartsWith(UntargetedPrefix, StringComparison.Ordinal))
        {
            // As the engine answers a create it elided under --target: success, but the result is unknown (field 8).
            response.Unknown = true;
            return response;
        }

        if (request.Custom)
        {
            // An update creates the resource and learns its id; a preview of a create knows none.
            response.Id = Options.Preview ? string.Empty : request.Name + "-id";
            response.Object = EchoOutputs(request.Object, request.AdditionalSecretOutputs);
        }

        // Components get an empty object: the engine clears outputs of local components.
        return response;
    }

    public override async Task<ReadResourceResponse> ReadResource(ReadResourceRequest request, ServerCallContext context)
    {
        var call = Record(request, context);
        var urn = Urns.Create(Options.Stack, Options.Project, request.Parent, request.Type, request.Name);
        call.Urn = urn;
        if (Options.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(Options.ResponseDelay, context.CancellationToken);
        }

        var properties = EchoOutputs(request.Properties, request.AdditionalSecretOutputs);
        if (request.Type == "pulumi:pulumi:StackReference")
        {
            // Reads happen in previews too, so the referenced stack's outputs are known in both modes.
            var outputs = new Struct();
            outputs.Fields["plain"] = Value.ForString("hello from " + request.Id);
            outputs.Fields["secret"] = Wire.Secret(Value.ForString("fake-secret-from-other-stack"));
            properties.Fields["outputs"] = Value.ForStruct(outputs);
            properties.Fields["secretOutputNames"] = Value.ForList(Value.ForString("secret"));
        }

        return new ReadResourceResponse { Urn = urn, Properties = properties };
    }

    public override Task<Empty> RegisterResourceOutputs(RegisterResourceOutputsRequest request, ServerCallContext context)
    {
        Record(request, context).Urn = request.Urn;
        return Task.FromResult(new Empty());
    }

    public override Task<Empty> SignalAndWaitForShutdown(Empty request, ServerCallContext context)
    {
        Record(request, context);
        return Task.FromResult(new Empty());
    }

    /// <summary>Inputs echoed as outputs, with the requested additional secret outputs wrapped as secrets.</summary>
    private static Struct EchoOutputs(Struct? inputs, IEnumerable<string> additionalSecretOutputs)
    {
        var outputs = inputs?.Clone() ?? new Struct();
        foreach (var name in additionalSecretOutputs)
        {
            if (outputs.Fields.TryGetValue(name, out var value) && !Wire.IsSecret(value) && !Wire.IsUnknown(value))
            {
                outputs.Fields[name] = Wire.Secret(value);
            }
        }

        return outputs;
    }

    private RecordedCall Record(Google.Protobuf.IMessage request, ServerCallContext context) =>
        CallRecording.Attach(state, request, context);
}
