using System.Collections.Concurrent;
using System.Collections.Immutable;
using Grpc.Core;
using Pulumirpc;

namespace Boma.Pulumi;

/// <summary>
/// The state of one program run: settings, the monitor and engine, the stack, every outstanding task and
/// every error. Runs never share state, so several can happen one after another in one process.
/// </summary>
internal sealed partial class DeploymentRun
{
    private static readonly AsyncLocal<DeploymentRun?> CurrentRun = new();

    private readonly ConcurrentQueue<Task> _pending = new();
    private readonly ConcurrentQueue<Resource> _resources = new();
    private readonly List<Exception> _errors = [];
    private readonly Lock _errorsLock = new();
    private Task<ImmutableDictionary<string, bool>> _features = Task.FromResult(ImmutableDictionary<string, bool>.Empty);
    private volatile bool _terminating;
    private RpcException? _terminatingCause;
    private int _errorLogged;
    private Resource? _stack;
    private long _sequence;

    public DeploymentRun(RunSettings settings, IResourceMonitor monitor, IEngine engine)
    {
        Settings = settings;
        Monitor = monitor;
        Engine = engine;
    }

    /// <summary>The run the calling code belongs to (flows through awaits and Apply callbacks).</summary>
    public static DeploymentRun? Current => CurrentRun.Value;

    public RunSettings Settings { get; }

    public IResourceMonitor Monitor { get; }

    public IEngine Engine { get; }

    public string ProjectName => Settings.Project;

    public string StackName => Settings.Stack;

    public bool IsDryRun => Settings.DryRun;

    public Resource? Stack => Volatile.Read(ref _stack);

    public ImmutableArray<Resource> Resources => [.. _resources];

    /// <summary>The program's unhandled exception or the first failure of an outstanding task, if any.</summary>
    public Exception? FirstError { get; private set; }

    public void SetStack(Resource stack)
    {
        if (Interlocked.CompareExchange(ref _stack, stack, null) is not null)
        {
            throw new InvalidOperationException("A program has exactly one Stack; it is created by Deployment.RunAsync.");
        }
    }

    public void AddResource(Resource resource) => _resources.Enqueue(resource);

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>Waits for <paramref name="task"/> before the run ends and reports its failure.</summary>
    public void Track(Task task) => _pending.Enqueue(task);

    /// <summary>Runs the program: features, stack, program, stack outputs, drain, shutdown. Returns the exit code.</summary>
    /// <param name="program">Returns the stack outputs. Creates the stack itself when <paramref name="programCreatesStack"/>.</param>
    public async Task<int> ExecuteAsync(Func<Task<IDictionary<string, object?>?>> program, bool programCreatesStack)
    {
        CurrentRun.Value = this;
        _features = AskFeaturesAsync();
        Track(_features);

        Exception? programError = null;
        IDictionary<string, object?>? outputs = null;
        try
        {
            if (!programCreatesStack)
            {
                Pulumi.Stack.CreateDefault();
            }

            outputs = await program().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            programError = e;
        }

        // Everything the program started is finished first, so the stack outputs come last; they are
        // registered exactly once, even after a failure (as the Node SDK does).
        await DrainAsync().ConfigureAwait(false);
        if (Stack is ComponentResource stack)
        {
            stack.RegisterOutputsCore(StackOutputs(outputs));
        }

        await DrainAsync().ConfigureAwait(false);

        var errors = new List<Exception>();
        if (programError is not null)
        {
            RecordError(programError);
        }

        lock (_errorsLock)
        {
            errors.AddRange(_errors);
        }

        FirstError = errors.FirstOrDefault();
        if (_terminating)
        {
            // The engine is shutting down and reports the cause itself: one line on stderr, no engine log.
            var cause = _terminatingCause is { } rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : "it stopped answering";
            await Console.Error.WriteLineAsync($"The Pulumi engine is shutting down ({cause}); the program stopped sending requests.").ConfigureAwait(false);
            return Serialization.Constants.ExitBail;
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                try
                {
                    await Engine.LogAsync(new LogRequest { Severity = LogSeverity.Error, Message = Describe(error) }).ConfigureAwait(false);
                }
                catch (Exception logFailure) when (logFailure is RpcException or IOException or HttpRequestException)
                {
                    await Console.Error.WriteLineAsync(Describe(error)).ConfigureAwait(false);
                    return 1;
                }
            }

            return Serialization.Constants.ExitBail;
        }

        if (Volatile.Read(ref _errorLogged) != 0)
        {
            // Like the official .NET SDK: an error logged through Log.Error fails the run.
            return 1;
        }

        try
        {
            await Monitor.SignalAndWaitForShutdownAsync().ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unimplemented or StatusCode.Unavailable or StatusCode.Cancelled)
        {
            // Older engines do not know the call; a closing engine no longer needs it.
        }

        return 0;
    }

    private Dictionary<string, object?> StackOutputs(IDictionary<string, object?>? outputs)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (outputs is null)
        {
            return result;
        }

        foreach (var (key, value) in outputs)
        {
            if (value is null)
            {
                Log(LogSeverity.Warning, $"Undefined value ({key}) will not show as a stack output.", null);
                continue;
            }

            result[key] = value;
        }

        return result;
    }

    /// <summary>Awaits every tracked task, including ones started while draining, and finishes components' outputs.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            while (_pending.TryDequeue(out var task))
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    RecordError(e);
                }
            }

            // Components whose code never called RegisterOutputs get `{}`, as the Node SDK does for them.
            var unfinished = _resources.OfType<ComponentResource>().Where(c => !c.IsRoot && !c.OutputsRegistered).ToList();
            if (unfinished.Count == 0)
            {
                if (_pending.IsEmpty)
                {
                    return;
                }

                continue;
            }

            foreach (var component in unfinished)
            {
                component.RegisterOutputsCore(new Dictionary<string, object?>());
            }
        }
    }

    private void RecordError(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } agg)
        {
            e = agg.InnerExceptions[0];
        }

        if (e is System.Reflection.TargetInvocationException { InnerException: { } inner })
        {
            e = inner;
        }

        if (IsTerminating(e))
        {
            _terminating = true;
            return;
        }

        lock (_errorsLock)
        {
            if (!_errors.Contains(e))
            {
                _errors.Add(e);
            }
        }
    }

    private static bool IsTerminating(Exception e) =>
        e is EngineTerminatingException
        || e is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.Cancelled };

    private void ThrowIfTerminating()
    {
        if (_terminating)
        {
            throw new EngineTerminatingException();
        }
    }

    /// <summary>Runs an RPC; UNAVAILABLE/CANCELLED switch the run into "engine is terminating" mode.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        ThrowIfTerminating();
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled)
        {
            Interlocked.CompareExchange(ref _terminatingCause, e, null);
            _terminating = true;
            throw new EngineTerminatingException();
        }
    }

    private static string Describe(Exception e) => e switch
    {
        ResourceException or ConfigException => e.Message,
        RpcException rpc => $"The engine rejected a request: {rpc.Status.Detail} ({rpc.StatusCode})",
        _ => "Running the program failed with an unhandled exception:\n" + e,
    };

    private async Task<ImmutableDictionary<string, bool>> AskFeaturesAsync()
    {
        // All at once, before any registration, like the Node SDK.
        var asks = Serialization.Constants.FeatureIds.Select(async id =>
        {
            try
            {
                return (id, supported: await Monitor.SupportsFeatureAsync(id).ConfigureAwait(false));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                return (id, supported: false);
            }
        }).ToList();
        var answers = await CallAsync(() => Task.WhenAll(asks)).ConfigureAwait(false);
        return answers.ToImmutableDictionary(a => a.id, a => a.supported, StringComparer.Ordinal);
    }

    public void Log(LogSeverity severity, string message, Resource? resource, bool ephemeral = false)
    {
        if (severity == LogSeverity.Error)
        {
            Interlocked.Exchange(ref _errorLogged, 1);
        }

        Track(LogAsync(severity, message, resource, ephemeral));
    }

    private async Task LogAsync(LogSeverity severity, string message, Resource? resource, bool ephemeral)
    {
        var urn = "";
        if (resource is not null)
        {
            try
            {
                urn = (await resource.Registration.ConfigureAwait(false)).Urn;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The resource failed to register; its own error is reported. Log without the URN.
                urn = "";
            }
        }

        await CallAsync(async () =>
        {
            await Engine.LogAsync(new LogRequest { Severity = severity, Message = message, Urn = urn, Ephemeral = ephemeral }).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }
}
