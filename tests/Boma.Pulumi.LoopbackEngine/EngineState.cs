namespace Boma.Pulumi.LoopbackEngine;

/// <summary>What both fake services share for one run.</summary>
internal sealed class EngineState(LoopbackEngineOptions options)
{
    private int _registrations;
    private int _inFlight;
    private int _maxInFlight;

    public LoopbackEngineOptions Options { get; } = options;

    public CallRecorder Recorder { get; } = new();

    public string? RootResource { get; set; }

    /// <summary>The most RegisterResource calls the fake was answering at the same time.</summary>
    public int MaxConcurrentRegistrations => Volatile.Read(ref _maxInFlight);

    public void RegistrationStarted()
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
    }

    public void RegistrationEnded() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Counts a RegisterResource and says whether the injected failure applies to it.</summary>
    public bool NextRegistrationFails() =>
        Interlocked.Increment(ref _registrations) > (Options.FailRegistrationsAfter ?? int.MaxValue);
}
