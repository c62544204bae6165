namespace Boma.Pulumi.LoopbackEngine;

/// <summary>One RPC as the fake saw it: arrival order, method and the request as protobuf JSON.</summary>
public sealed class RecordedCall
{
    internal RecordedCall(long sequence, string service, string method)
    {
        Sequence = sequence;
        ReceivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        Service = service;
        Method = method;
    }

    /// <summary>Arrival order, from 0, across both services.</summary>
    public long Sequence { get; }

    /// <summary><c>ResourceMonitor</c> or <c>Engine</c> (or whatever service an unknown path named).</summary>
    public string Service { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the call arrived.</summary>
    public long ReceivedAt { get; }

    public string Method { get; }

    /// <summary>The request as protobuf JSON (default values omitted), with any fields our protos do not
    /// declare under <c>"_unknownFields"</c>; null for methods the fake does not implement.</summary>
    public string? RequestJson { get; internal set; }

    /// <summary>The URN the fake assigned (RegisterResource / ReadResource) or was given (outputs, log).</summary>
    public string? Urn { get; internal set; }

    /// <summary>False when the fake answered UNIMPLEMENTED (the method is not part of our fake).</summary>
    public bool Implemented { get; internal set; }

    /// <summary>The status the fake answered with when it injected a failure.</summary>
    public string? InjectedFailure { get; internal set; }

    public string Rpc => $"{Service}/{Method}";

    public override string ToString() => $"#{Sequence} {Rpc} {Urn} {RequestJson}";
}
