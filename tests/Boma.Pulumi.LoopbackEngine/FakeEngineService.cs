using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pulumirpc;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>pulumirpc.Engine: accepts logs and stores the root resource, like the engine's host server.</summary>
internal sealed class FakeEngineService(EngineState state) : Engine.EngineBase
{
    public override Task<Empty> Log(LogRequest request, ServerCallContext context)
    {
        var call = CallRecording.Attach(state, request, context);
        call.Urn = request.Urn.Length > 0 ? request.Urn : null;
        return Task.FromResult(new Empty());
    }

    public override Task<SetRootResourceResponse> SetRootResource(SetRootResourceRequest request, ServerCallContext context)
    {
        CallRecording.Attach(state, request, context).Urn = request.Urn;
        state.RootResource = request.Urn;
        return Task.FromResult(new SetRootResourceResponse());
    }

    public override Task<GetRootResourceResponse> GetRootResource(GetRootResourceRequest request, ServerCallContext context)
    {
        CallRecording.Attach(state, request, context);
        return Task.FromResult(new GetRootResourceResponse { Urn = state.RootResource ?? string.Empty });
    }
}
