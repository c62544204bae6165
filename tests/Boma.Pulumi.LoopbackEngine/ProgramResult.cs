namespace Boma.Pulumi.LoopbackEngine;

/// <summary>How a program run ended.</summary>
/// <param name="PeakRssBytes">The child's VmHWM from /proc, sampled while it ran (0 if never sampled).</param>
/// <param name="HungAndKilled">True when the run exceeded the hang guard and was killed.</param>
/// <param name="StartedAt">Stopwatch timestamp taken just before the process was started.</param>
public sealed record ProgramResult(int ExitCode, string Stdout, string Stderr, TimeSpan WallTime, long PeakRssBytes, bool HungAndKilled, long StartedAt)
{
    /// <summary>Both streams, for failure messages.</summary>
    public string Output => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
