using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>Thread-safe log of every call the fake received, in arrival order.</summary>
public sealed class CallRecorder
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    private readonly object _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private long _next;

    /// <summary>Run on the thread that receives the first call, as it arrives (the bench reads the program's CPU time
    /// there: start-up CPU). Set it before the program starts; it must be quick.</summary>
    public Action? OnFirstCall { get; set; }

    /// <summary>A snapshot of the calls so far.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public int Count(string method)
    {
        lock (_gate)
        {
            return _calls.Count(c => c.Method == method);
        }
    }

    internal RecordedCall Begin(string service, string method)
    {
        lock (_gate)
        {
            var call = new RecordedCall(_next++, service, method);
            _calls.Add(call);
            if (call.Sequence == 0)
            {
                OnFirstCall?.Invoke();
            }

            return call;
        }
    }

    internal static string ToJson(IMessage message)
    {
        var json = Formatter.Format(message);
        var unknown = UnknownFields.Describe(message);
        if (unknown is null)
        {
            return json;
        }

        var node = JsonNode.Parse(json)!.AsObject();
        node["_unknownFields"] = unknown;
        return node.ToJsonString();
    }
}
