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

    private const string FeatureResourceReferences = "resourceReferences";
    private const string FeatureAliasSpecs = "aliasSpecs";

    private readonly ConcurrentQueue<Resource> _resources = new();
    private readonly List<Exception> _errors = [];
    private readonly Lock _errorsLock = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _features = new(StringComparer.Ordinal);

    // Tracked tasks still running (Interlocked), and a signal for "idle or failed" (guarded by _errorsLock).
    private int _inFlight;
    private TaskCompletionSource? _idleOrFailed;
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

    /// <summary>Waits for <paramref name="task"/> before the run ends; its failure ends the run.</summary>
    public void Track(Task task)
    {
        // Every pending output is tracked, so this is hot: a counter, no lock (the lock is taken only when it reaches 0).
        Interlocked.Increment(ref _inFlight);
        task.GetAwaiter().UnsafeOnCompleted(() => OnTrackedDone(task));
    }

    private void OnTrackedDone(Task task)
    {
        if (task.IsFaulted || task.IsCanceled)
        {
            // A cancelled task is an error too: a run must not end with 0 when work was silently abandoned.
            RecordError(task.Exception is { } agg ? agg.InnerExceptions.Count == 1 ? agg.InnerExceptions[0] : agg : new TaskCanceledException(task));
        }

        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            lock (_errorsLock)
            {
                SignalIfIdleOrFailed();
            }
        }
    }

    // Called under _errorsLock.
    private void SignalIfIdleOrFailed()
    {
        if (_idleOrFailed is { } signal && (Volatile.Read(ref _inFlight) == 0 || _errors.Count > 0 || _terminating))
        {
            _idleOrFailed = null;
            signal.SetResult();
        }
    }

    /// <summary>
    /// Returns when every tracked task has finished or as soon as one has failed, whichever comes first: the
    /// official .NET SDK's runner (Deployment.Runner.cs, TaskMonitoringHelper.AwaitIdleOrFirstExceptionAsync)
    /// stops at the first failure instead of waiting for the rest, and the engine cancels the deployment then.
    /// </summary>
    private async Task AwaitIdleOrFirstErrorAsync()
    {
        while (true)
        {
            Task wait;
            lock (_errorsLock)
            {
                if (Volatile.Read(ref _inFlight) == 0 || _errors.Count > 0 || _terminating)
                {
                    return;
                }

                _idleOrFailed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _idleOrFailed.Task;
            }

            await wait.ConfigureAwait(false);
        }
    }

    private bool Failed
    {
        get
        {
            lock (_errorsLock)
            {
                return _errors.Count > 0 || _terminating;
            }
        }
    }

    /// <summary>Runs the program: stack, program, then waits until all its work is done or the first failure. Returns the exit code.</summary>
    /// <param name="program">Returns the stack outputs. Creates the stack itself when <paramref name="programCreatesStack"/>.</param>
    public async Task<int> ExecuteAsync(Func<Task<IDictionary<string, object?>?>> program, bool programCreatesStack)
    {
        CurrentRun.Value = this;

        IDictionary<string, object?>? outputs = null;
        try
        {
            if (!programCreatesStack)
            {
                // The stack registers first and its registration asks resourceReferences first: asked here, the
                // request is on its way while the stack's constructor and registration code are still being compiled.
                _ = SupportsAsync(FeatureResourceReferences);
                Pulumi.Stack.CreateDefault();
            }

            outputs = await program().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            RecordError(e);
        }

        // Everything the program started finishes first, so the stack outputs come last. The first failure
        // ends the run at once, without the stack outputs, as in the official .NET SDK.
        await FinishComponentsAsync().ConfigureAwait(false);
        if (!Failed && Stack is ComponentResource stack)
        {
            stack.RegisterOutputsCore(StackOutputs(outputs));
            await AwaitIdleOrFirstErrorAsync().ConfigureAwait(false);
        }

        var errors = new List<Exception>();
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

    /// <summary>Waits for the program's work; components whose code never called RegisterOutputs then get <c>{}</c>, as the Node SDK does for them.</summary>
    private async Task FinishComponentsAsync()
    {
        while (true)
        {
            await AwaitIdleOrFirstErrorAsync().ConfigureAwait(false);
            if (Failed)
            {
                return;
            }

            var unfinished = _resources.OfType<ComponentResource>().Where(c => !c.IsRoot && !c.OutputsRegistered).ToList();
            if (unfinished.Count == 0)
            {
                return;
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

        lock (_errorsLock)
        {
            if (IsTerminating(e))
            {
                _terminating = true;
            }
            else if (!_errors.Contains(e))
            {
                _errors.Add(e);
            }

            SignalIfIdleOrFailed();
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

    /// <summary>
    /// Whether the engine supports a feature: asked once, when a request first needs it, as the official .NET SDK
    /// does (Deployment.cs, MonitorSupportsFeature), instead of asking a fixed list up front. UNIMPLEMENTED means no.
    /// </summary>
    private Task<bool> SupportsAsync(string id) => _features.GetOrAdd(id, key => new Lazy<Task<bool>>(() => AskFeatureAsync(key))).Value;

    private Task<bool> AskFeatureAsync(string id) => CallAsync(async () =>
    {
        try
        {
            return await Monitor.SupportsFeatureAsync(id).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return false;
        }
    });

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
