using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>
/// Every request is logged by a middleware when it arrives (so methods the fake does not implement are
/// seen too); the service method then attaches the decoded request to that entry.
/// </summary>
internal static class CallRecording
{
    private const string ItemKey = "boma.recorded-call";

    public static async Task Middleware(EngineState state, HttpContext context, Func<Task> next)
    {
        // gRPC paths are /<package>.<Service>/<Method>.
        var path = context.Request.Path.Value ?? string.Empty;
        var parts = path.Trim('/').Split('/', 2);
        var service = parts[0].StartsWith("pulumirpc.", StringComparison.Ordinal) ? parts[0]["pulumirpc.".Length..] : parts[0];
        var method = parts.Length > 1 ? parts[1] : string.Empty;
        context.Items[ItemKey] = state.Recorder.Begin(service, method);
        await next();
    }

    public static RecordedCall Attach(EngineState state, Google.Protobuf.IMessage request, ServerCallContext context)
    {
        var call = (RecordedCall)context.GetHttpContext().Items[ItemKey]!;
        call.Implemented = true;
        if (state.Options.RecordPayloads)
        {
            call.RequestJson = CallRecorder.ToJson(request);
        }

        return call;
    }
}
