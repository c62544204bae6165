namespace Boma.Pulumi.LoopbackEngine;

/// <summary>What both fake services share for one run.</summary>
internal sealed class EngineState(LoopbackEngineOptions options)
{
    private int _registrations;

    public LoopbackEngineOptions Options { get; } = options;

    public CallRecorder Recorder { get; } = new();

    public string? RootResource { get; set; }

    /// <summary>Counts a RegisterResource and says whether the injected failure applies to it.</summary>
    public bool NextRegistrationFails() =>
        Interlocked.Increment(ref _registrations) > (Options.FailRegistrationsAfter ?? int.MaxValue);
}
