using System.Collections.Immutable;
using Boma.Pulumi.Serialization;
using Boma.Pulumi.Testing;

namespace Boma.Pulumi;

/// <summary>Test and offline entry points: the same runner, against a <see cref="RecordingMonitor"/>.</summary>
public sealed partial class Deployment
{
    /// <summary>Runs a program against mocks and records everything it sends.</summary>
    public static Task<TestResult> TestAsync(IMocks mocks, Func<IDictionary<string, object?>> program, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        return TestCoreAsync(mocks, () => Task.FromResult<IDictionary<string, object?>?>(program()), false, options);
    }

    /// <summary>Runs an asynchronous program against mocks.</summary>
    public static Task<TestResult> TestAsync(IMocks mocks, Func<Task<IDictionary<string, object?>>> program, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        return TestCoreAsync(mocks, async () => await program().ConfigureAwait(false), false, options);
    }

    /// <summary>Runs a program without outputs against mocks.</summary>
    public static Task<TestResult> TestAsync(IMocks mocks, Action program, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        return TestCoreAsync(
            mocks,
            () =>
            {
                program();
                return Task.FromResult<IDictionary<string, object?>?>(null);
            },
            false,
            options);
    }

    /// <summary>Runs a <see cref="Stack"/> subclass against mocks.</summary>
    public static Task<TestResult> TestAsync<TStack>(IMocks mocks, TestOptions? options = null)
        where TStack : Stack, new() => TestCoreAsync(mocks, StackProgram<TStack>, true, options);

    /// <summary>
    /// Offline plan: runs the program as a preview against the recording monitor with <see cref="EchoMocks"/>
    /// (IDs and computed outputs unknown), using the config and secret keys in <paramref name="options"/>.
    /// </summary>
    public static Task<TestResult> PlanAsync(Func<Task<IDictionary<string, object?>>> program, TestOptions options)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(options);
        options.IsPreview = true;
        return TestCoreAsync(new EchoMocks(), async () => await program().ConfigureAwait(false), false, options);
    }

    /// <summary>Offline plan of a <see cref="Stack"/> subclass; see <see cref="PlanAsync(Func{Task{IDictionary{string, object}}}, TestOptions)"/>.</summary>
    public static Task<TestResult> PlanAsync<TStack>(TestOptions options)
        where TStack : Stack, new()
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IsPreview = true;
        return TestCoreAsync(new EchoMocks(), StackProgram<TStack>, true, options);
    }

    private static async Task<TestResult> TestCoreAsync(
        IMocks? mocks, Func<Task<IDictionary<string, object?>?>> program, bool programCreatesStack, TestOptions? options)
    {
        options ??= new TestOptions();
        var monitor = new RecordingMonitor(mocks, options.ProjectName, options.StackName, options.IsPreview);
        var engine = new RecordingEngine();
        var settings = new RunSettings(
            options.ProjectName,
            options.StackName,
            options.Organization,
            options.IsPreview,
            0,
            options.Config.ToImmutableDictionary(p => EngineHandshake.NormalizeKey(p.Key), p => p.Value, StringComparer.Ordinal),
            options.SecretKeys.Select(EngineHandshake.NormalizeKey).ToImmutableHashSet(StringComparer.Ordinal));
        var run = new DeploymentRun(settings, monitor, engine);
        var exitCode = await run.ExecuteAsync(program, programCreatesStack).ConfigureAwait(false);

        var stackUrn = "";
        if (run.Stack is { } stack && stack.Registration.IsCompletedSuccessfully)
        {
            stackUrn = stack.Registration.Result.Urn;
        }

        var outputs = monitor.OutputRegistrations;
        var stackOutputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var recorded in outputs.Where(o => o.Urn == stackUrn).Take(1))
        {
            foreach (var (key, value) in recorded.Request.Outputs.Fields)
            {
                var data = Deserializer.Deserialize(value, keepUnknowns: true);
                stackOutputs[key] = data.IsKnown ? data.Value : Constants.UnknownValue;
            }
        }

        return new TestResult
        {
            Resources = run.Resources,
            Registrations = monitor.Registrations,
            OutputRegistrations = outputs,
            StackOutputs = stackOutputs,
            Logs = engine.Logs,
            Exception = run.FirstError,
            ExitCode = exitCode,
            Monitor = monitor,
            Engine = engine,
            StackUrn = stackUrn,
        };
    }
}
