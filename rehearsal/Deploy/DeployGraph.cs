using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Boma.Infra.Config;
using Boma.Pulumi.Serialization;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>The offsite program's command steps and cloud-init user-data; <see cref="ExecuteAsync"/> runs them.</summary>
internal sealed class DeployGraph
{
    private readonly DeployInputs _inputs;

    internal DeployGraph(DeployInputs inputs, ImmutableArray<DeployStep> steps, string serverUserData)
    {
        _inputs = inputs;
        Steps = steps;
        ServerUserData = serverUserData;
    }

    /// <summary>The hcloud Server's <c>userData</c> input: what cloud-init reads from the NoCloud seed on first boot.</summary>
    public string ServerUserData { get; }

    /// <summary>The program's cloud resources as the plan registered them (no commands).</summary>
    public ImmutableArray<CloudResource> CloudResources { get; init; } = [];

    /// <summary>The command steps in registration order, with the action the recorded state implies (deletes last).</summary>
    public ImmutableArray<DeployStep> Steps { get; }

    /// <summary>After <see cref="ExecuteAsync"/>: the stack outputs, secrets (and values carrying one) as <c>[secret]</c>.</summary>
    public IReadOnlyDictionary<string, string>? StackOutputs { get; private set; }

    /// <summary>After <see cref="ExecuteAsync"/>: the stack outputs' values, secrets unwrapped — for the lab's checks only, never print them.</summary>
    internal IReadOnlyDictionary<string, object?>? StackOutputValues { get; private set; }

    /// <summary>
    /// Runs the program again on the recording monitor; each command registration executes its step on
    /// <paramref name="shell"/> before it returns (the engine's order: a step starts once everything it depends on has
    /// completed, independent steps at once, at most <see cref="DeployInputs.Parallel"/>). Then the steps that left
    /// the program run their <c>delete</c>, dependants first. State is saved after every step.
    /// </summary>
    public async Task<DeployReport> ExecuteAsync(IRemoteShell shell, ExecuteHooks hooks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(hooks);
        var state = DeployState.Load(_inputs.StateDirectory);
        var stateLock = new Lock();
        var masker = new SecretMasker();
        foreach (var key in ConfigKeys.SecretKeys)
        {
            if (_inputs.Config.Get(key) is { } secret)
            {
                masker.Add(secret);
            }
        }

        foreach (var (key, value) in _inputs.EngineConfig)
        {
            if (_inputs.EngineSecretKeys.Contains(key))
            {
                masker.Add(value);
            }
        }

        // A referenced stack's secret outputs (the offsite role keys, a map) are secrets here too, every string in them.
        foreach (var name in _inputs.StackReferenceSecrets)
        {
            foreach (var value in Strings(_inputs.StackReferenceOutputs?.GetValueOrDefault(name)))
            {
                masker.Add(value);
            }
        }

        using var executor = new StepExecutor(_inputs, state, stateLock, shell, hooks, masker, cancellationToken);
        var mocks = new DeployMocks(new CloudAnswers(_inputs, state, stateLock), executor.RunAsync, masker);
        var result = await DeployRunner.RunProgramAsync(_inputs, mocks).ConfigureAwait(false);
        foreach (var registration in result.Registrations)
        {
            masker.AddWire(registration.Inputs);
            masker.AddWire(registration.Outputs);
        }

        string? failure = executor.Failure;
        if (failure is null && (result.Exception is not null || result.ExitCode != 0))
        {
            failure = masker.Apply($"the {_inputs.Stack} program failed: {DeployRunner.Describe(result.Exception)}");
        }

        if (failure is null)
        {
            var registered = result.Registrations.Select(r => r.Urn).ToHashSet(StringComparer.Ordinal);
            await executor.DeleteRemovedAsync(registered).ConfigureAwait(false);
            failure = executor.Failure;
        }

        lock (stateLock)
        {
            state.Save(_inputs.StateDirectory);
        }

        var stackWire = result.OutputRegistrations.FirstOrDefault(o => o.Urn == result.StackUrn)?.Outputs ?? [];
        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in stackWire)
        {
            outputs[key] = SecretMasker.HasSecret(value) ? SecretMasker.Mask : masker.Apply(Render(value));
        }

        StackOutputs = outputs;
        StackOutputValues = result.StackOutputs;
        return new DeployReport { Steps = executor.Results, StackOutputs = outputs, Failure = failure };
    }

    /// <summary>Every string in an output value: itself, or the leaves of its maps and lists.</summary>
    internal static IEnumerable<string> Strings(object? value) => value switch
    {
        string s => [s],
        System.Collections.IDictionary map => map.Values.Cast<object?>().SelectMany(Strings),
        System.Collections.IEnumerable list => list.Cast<object?>().SelectMany(Strings),
        _ => [],
    };

    private static string Render(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s == Constants.UnknownValue ? "(unknown)" : s,
        _ => node.ToJsonString(),
    };
}
