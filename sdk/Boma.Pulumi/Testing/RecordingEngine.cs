using System.Collections.Immutable;
using Pulumirpc;

namespace Boma.Pulumi.Testing;

/// <summary>An in-process <see cref="IEngine"/> that records log messages and the root resource.</summary>
public sealed class RecordingEngine : IEngine
{
    private readonly Lock _lock = new();
    private readonly List<LogRecord> _logs = [];
    private string _root = "";
    private int _setRootCalls;

    /// <summary>Every Engine.Log call, in arrival order.</summary>
    public ImmutableArray<LogRecord> Logs
    {
        get
        {
            lock (_lock)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>The root resource URN set by the program.</summary>
    public string RootResource => Volatile.Read(ref _root);

    /// <summary>How often SetRootResource was called.</summary>
    public int SetRootResourceCalls => Volatile.Read(ref _setRootCalls);

    /// <inheritdoc />
    public Task LogAsync(LogRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            _logs.Add(new LogRecord(request.Severity, request.Message, request.Urn));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetRootResourceAsync(string urn)
    {
        Interlocked.Increment(ref _setRootCalls);
        Volatile.Write(ref _root, urn);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string> GetRootResourceAsync() => Task.FromResult(RootResource);
}
