namespace Boma.Pulumi;

/// <summary>Runs a Pulumi program against the engine, and tells the program which stack it is running for.</summary>
public sealed partial class Deployment
{
    private readonly DeploymentRun _run;

    private Deployment(DeploymentRun run)
    {
        _run = run;
    }

    /// <summary>The deployment the calling code runs in.</summary>
    public static Deployment Instance => new(DeploymentRun.Current
        ?? throw new InvalidOperationException("Deployment.Instance is only available inside Deployment.RunAsync(...) or Deployment.TestAsync(...)."));

    /// <summary>The project name.</summary>
    public string ProjectName => _run.Settings.Project;

    /// <summary>The stack name (short form).</summary>
    public string StackName => _run.Settings.Stack;

    /// <summary>The organization (the literal <c>organization</c> when the engine passes none).</summary>
    public string OrganizationName => _run.Settings.Organization;

    /// <summary>True during a preview.</summary>
    public bool IsDryRun => _run.Settings.DryRun;

    /// <summary>Runs a program whose result is the stack outputs.</summary>
    public static Task<int> RunAsync(Func<IDictionary<string, object?>> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return RunWithEngineAsync(() => Task.FromResult<IDictionary<string, object?>?>(program()), false);
    }

    /// <summary>Runs an asynchronous program whose result is the stack outputs.</summary>
    public static Task<int> RunAsync(Func<Task<IDictionary<string, object?>>> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return RunWithEngineAsync(async () => await program().ConfigureAwait(false), false);
    }

    /// <summary>Runs a program without stack outputs.</summary>
    public static Task<int> RunAsync(Action program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return RunWithEngineAsync(
            () =>
            {
                program();
                return Task.FromResult<IDictionary<string, object?>?>(null);
            },
            false);
    }

    /// <summary>Runs a <see cref="Stack"/> subclass; its [Output] properties become the stack outputs.</summary>
    public static Task<int> RunAsync<TStack>()
        where TStack : Stack, new() => RunWithEngineAsync(StackProgram<TStack>, true);

    internal static Task<IDictionary<string, object?>?> StackProgram<TStack>()
        where TStack : Stack, new()
    {
        var stack = new TStack();
        return Task.FromResult<IDictionary<string, object?>?>(stack.CollectOutputProperties());
    }

    private static Task<int> RunWithEngineAsync(Func<Task<IDictionary<string, object?>?>> program, bool programCreatesStack) =>
        RunWithEngineAsync(program, programCreatesStack, Environment.GetEnvironmentVariable);

    /// <summary>The real runner, with the environment lookup as a seam for tests.</summary>
    internal static async Task<int> RunWithEngineAsync(
        Func<Task<IDictionary<string, object?>?>> program, bool programCreatesStack, Func<string, string?> environment)
    {
        RunSettings settings;
        string monitorAddress;
        string engineAddress;
        try
        {
            (settings, monitorAddress, engineAddress) = EngineHandshake.FromEnvironment(environment);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }

        using var monitor = new GrpcResourceMonitor(monitorAddress);
        using var engine = new GrpcEngine(engineAddress);
        var run = new DeploymentRun(settings, monitor, engine);
        return await run.ExecuteAsync(program, programCreatesStack).ConfigureAwait(false);
    }
}
