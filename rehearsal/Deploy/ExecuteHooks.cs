namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>Callbacks around each executed step (skipped steps included, so a report sees every step).</summary>
internal sealed class ExecuteHooks
{
    /// <summary>Called when a step starts (before any dial).</summary>
    public Func<DeployStepEvent, CancellationToken, Task>? StepStarted { get; init; }

    /// <summary>Called when a step has ended, with its report line.</summary>
    public Func<DeployStepResult, CancellationToken, Task>? StepEnded { get; init; }

    /// <summary>
    /// Called after each step that ran (create, update, replace, delete) and succeeded, before its dependants start:
    /// the lab checks there that the operator can still log in. An exception fails the step.
    /// </summary>
    public Func<DeployStepResult, CancellationToken, Task>? AfterStep { get; init; }

    /// <summary>Lines a provider would log (stdout/stderr per the step's <c>logging</c>), secrets masked.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>A step about to run.</summary>
internal sealed record DeployStepEvent(string Name, string Urn, string Type, DeployAction Action);
