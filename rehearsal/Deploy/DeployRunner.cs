using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Boma.Infra.Config;
using Boma.Infra.Stacks;
using Boma.Pulumi;
using Boma.Pulumi.Serialization;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>
/// Runs the real offsite (or cluster) program in update mode on Boma.Pulumi's recording monitor, with mocks that answer as the
/// providers would, and hands back the command graph to execute (docs/rehearsal.md, "The deploy executor").
/// </summary>
internal static class DeployRunner
{
    private static readonly string[] OutputKeys = ["stdout", "stderr"];

    /// <summary>
    /// A first pass: every cloud and random resource answered, every command step with the action the recorded state
    /// implies. A step that will run answers with its recorded stdout (or "") here, so the inputs of steps built from it
    /// are provisional (<see cref="DeployStep.InputsKnown"/> false); <see cref="DeployGraph.ExecuteAsync"/> decides again.
    /// </summary>
    public static async Task<DeployGraph> PlanAsync(DeployInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var state = DeployState.Load(inputs.StateDirectory);
        var stateLock = new Lock();
        var steps = new List<DeployStep>();
        var cloud = new CloudAnswers(inputs, state, stateLock);
        var mocks = new DeployMocks(cloud, args =>
        {
            // An input built from the stdout of a step that will run is only a guess here (see below).
            var fromRunningSteps = args.Request?.PropertyDependencies.Values.SelectMany(d => d.Urns) ?? [];
            bool known;
            lock (stateLock)
            {
                known = !fromRunningSteps.Any(urn => steps.Any(s => s.Urn == urn && s.Action != DeployAction.Skip));
            }

            var news = StateJson.FromPlain(args.Inputs);
            StateRecord? old;
            lock (stateLock)
            {
                old = state.Resources.GetValueOrDefault(args.Urn);
            }

            var (action, changed) = StepDiff.Decide(old, args.Type, news, args.Request);
            if (!known && action == DeployAction.Skip)
            {
                action = DeployAction.Update;
            }

            lock (stateLock)
            {
                steps.Add(new DeployStep
                {
                    Name = args.Name,
                    Urn = args.Urn,
                    Type = args.Type,
                    Dependencies = [.. args.Request?.Dependencies ?? []],
                    Action = action,
                    ChangedInputs = changed,
                    InputsKnown = known,
                    Inputs = args.Inputs,
                });
            }

            // In an update the engine never hands back unknowns (and the SDK runs applies on what it gets), so a step
            // that will run answers with its recorded stdout, or "" before its first run; the execution has the real one.
            var outputs = new Dictionary<string, object?>(args.Inputs, StringComparer.Ordinal);
            foreach (var key in OutputKeys)
            {
                outputs[key] = old is not null ? StateJson.String(old.Outputs, key) ?? "" : "";
            }

            return Task.FromResult(outputs);
        });

        var result = await RunProgramAsync(inputs, mocks).ConfigureAwait(false);
        if (result.Exception is not null || result.ExitCode != 0)
        {
            throw new DeployException($"the {inputs.Stack} program failed in the plan: {Describe(result.Exception)}", result.Exception);
        }

        var registered = result.Registrations.Select(r => r.Urn).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in state.Resources.Values.Where(r => DeployMocks.IsCommand(r.Type) && !registered.Contains(r.Urn)))
        {
            steps.Add(new DeployStep
            {
                Name = gone.Name,
                Urn = gone.Urn,
                Type = gone.Type,
                Dependencies = [.. gone.Dependencies],
                Action = DeployAction.Delete,
            });
        }

        // The cloud resources as registered: the cluster rehearsal renders each VM's NoCloud seed from them.
        var cloudResources = result.Registrations.Where(r => !DeployMocks.IsCommand(r.Request.Type))
            .Select(r => new CloudResource(r.Request.Type, r.Request.Name, r.Inputs)).ToImmutableArray();
        string userData = "";
        if (inputs.Stack == OffsiteStack.Name)
        {
            var server = result.Registrations.FirstOrDefault(r => r.Request.Type == "hcloud:index/server:Server")
                ?? throw new DeployException("the offsite program registered no hcloud:index/server:Server; nothing to boot");
            userData = server.Inputs["userData"] is JsonValue v && v.TryGetValue<string>(out var text) ? text
                : throw new DeployException("the hcloud Server has no known userData input; cloud-init needs it for the NoCloud seed");
        }

        // Random values are kept now, so the execution (and any later run) sees the same ones.
        state.Save(inputs.StateDirectory);
        return new DeployGraph(inputs, [.. steps], userData) { CloudResources = cloudResources };
    }

    internal static Task<TestResult> RunProgramAsync(DeployInputs inputs, IMocks mocks)
    {
        var options = new TestOptions
        {
            ProjectName = inputs.Project,
            StackName = inputs.Stack,
            IsPreview = false,
            Config = inputs.EngineConfig.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            SecretKeys = [.. inputs.EngineSecretKeys],
        };
        return Deployment.TestAsync(mocks, () => inputs.Program(inputs.Config), options);
    }

    internal static string Describe(Exception? e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a)
        {
            e = a.InnerExceptions[0];
        }

        return e switch
        {
            null => "the program exited non-zero",
            ConfigValidationException c => c.Message,
            _ => e.InnerException is { } inner && e is not DeployException ? $"{e.Message} ({Describe(inner)})" : e.Message,
        };
    }
}

/// <summary>A cloud resource as the program registered it (type, logical name, inputs with secrets unwrapped).</summary>
internal sealed record CloudResource(string Type, string Name, JsonObject Inputs);

/// <summary>A deploy that could not run (bad program result, missing server), with a message that names the cause.</summary>
internal sealed class DeployException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The provider's diff (pulumi-go-provider's default: changed top-level inputs) plus the engine's replace rule.</summary>
internal static class StepDiff
{
    public static (DeployAction Action, ImmutableArray<string> Changed) Decide(StateRecord? old, string type, JsonObject news, Pulumirpc.RegisterResourceRequest? request)
    {
        if (old is null)
        {
            return (DeployAction.Create, []);
        }

        if (old.Type != type)
        {
            return (DeployAction.Replace, ["type"]);
        }

        var changed = old.Inputs.Select(p => p.Key).Union(news.Select(p => p.Key), StringComparer.Ordinal)
            .Where(k => !JsonNode.DeepEquals(old.Inputs[k], news[k]))
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        if (changed.IsEmpty)
        {
            return (DeployAction.Skip, changed);
        }

        // The SDKs send replaceOnChanges ["triggers[*]"]: a changed element replaces. Without it the provider itself
        // replaces only when the top-level key appears or disappears (docs/design/providers.md, "command: triggers replace, or update in place").
        var replaceRoots = request?.ReplaceOnChanges.Select(p => p.Split('[', '.')[0]).ToHashSet(StringComparer.Ordinal) ?? [];
        var replace = changed.Any(k => replaceRoots.Contains(k) || replaceRoots.Contains("*")
            || (k == "triggers" && (old.Inputs[k] is null || news[k] is null)));
        return (replace ? DeployAction.Replace : DeployAction.Update, changed);
    }
}
