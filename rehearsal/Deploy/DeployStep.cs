using System.Collections.Immutable;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>What the engine does with a step (the provider's diff against the recorded state decides).</summary>
internal enum DeployAction
{
    /// <summary>Not in the state: <c>create</c> runs.</summary>
    Create,

    /// <summary>Inputs changed, no trigger: <c>update</c> runs, else <c>create</c> (CopyToRemote re-copies).</summary>
    Update,

    /// <summary>A <c>triggers</c> element changed (replaceOnChanges <c>triggers[*]</c>): delete and create.</summary>
    Replace,

    /// <summary>In the state, gone from the program: <c>delete</c> runs.</summary>
    Delete,

    /// <summary>Same inputs as recorded: nothing runs, the recorded outputs stand.</summary>
    Skip,

    /// <summary>Not started because an earlier step failed (the engine starts no new step after a failure).</summary>
    NotRun,

    /// <summary>
    /// Left out of this run, as <c>pulumi up --exclude URN --exclude-dependents</c> leaves it: it depends on a resource
    /// of a type in <see cref="DeployInputs.ExcludeDependentsOf"/> (or on a step left out). Nothing runs, nothing is
    /// recorded: the next run creates it.
    /// </summary>
    Excluded,
}

/// <summary>One command resource of the program: its resolved inputs and what it depends on.</summary>
internal sealed class DeployStep
{
    public required string Name { get; init; }

    public required string Urn { get; init; }

    public required string Type { get; init; }

    /// <summary>URNs this step waits for (input dependencies and DependsOn, components expanded to their resources).</summary>
    public required ImmutableArray<string> Dependencies { get; init; }

    /// <summary>What a plan expects; the execution decides again with the outputs it has then.</summary>
    public required DeployAction Action { get; init; }

    /// <summary>Which inputs differ from the recorded state (empty for create, skip and delete).</summary>
    public ImmutableArray<string> ChangedInputs { get; init; } = [];

    /// <summary>Inputs still unknown at plan time (they wait for another step's stdout).</summary>
    public bool InputsKnown { get; init; } = true;

    /// <summary>The resolved inputs, secrets unwrapped: only for execution, never print them.</summary>
    internal IReadOnlyDictionary<string, object?> Inputs { get; init; } = ImmutableDictionary<string, object?>.Empty;

    public override string ToString() => $"{Action} {Urn}";
}
