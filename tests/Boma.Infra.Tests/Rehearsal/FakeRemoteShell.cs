using System.Collections.Concurrent;
using Boma.Infra.Rehearsal.Deploy;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>One call the fake shell saw, numbered in start and end order.</summary>
internal sealed record ShellCall(string Kind, RemoteConnection Connection, string Command, string? Stdin,
    IReadOnlyDictionary<string, string> Environment, IReadOnlyDictionary<string, string> OptionalEnvironment, int Started)
{
    public int Ended { get; set; }
}

/// <summary>
/// Records every run and copy. <see cref="Answer"/> decides each command's result (default: exit 0, stdout from
/// <see cref="Stdout"/>). To prove independent steps overlap without timing anything, each call waits (bounded) until
/// another call is in flight too; <see cref="MaxInFlight"/> tells whether that ever happened.
/// </summary>
internal sealed class FakeRemoteShell : IRemoteShell
{
    private readonly Lock _lock = new();
    private readonly List<ShellCall> _calls = [];
    private int _sequence;
    private int _inFlight;
    private int _maxInFlight;

    public Func<ShellCall, ShellResult>? Answer { get; init; }

    public bool WaitForCompany { get; init; }

    public IReadOnlyList<ShellCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Real-shaped stdout: the enrol step prints a mesh IP, key steps a key, the rest a summary line.</summary>
    public static string Stdout(ShellCall call) => call.Command switch
    {
        var c when c.Contains("setup-key", StringComparison.Ordinal) => "SETUPKEY-0000-1111\n",
        _ => "changed: something\nsummary: 1 changed\n",
    };

    public Task<ShellResult> RunAsync(RemoteConnection connection, string command, string? stdin,
        IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> optionalEnvironment, CancellationToken cancellationToken) =>
        CallAsync(new ShellCall("run", connection, command, stdin, environment, optionalEnvironment, 0));

    public async Task CopyAsync(RemoteConnection connection, CopySource source, string remotePath, CancellationToken cancellationToken)
    {
        var result = await CallAsync(new ShellCall("copy", connection, remotePath, source.Text ?? source.Path, new Dictionary<string, string>(), new Dictionary<string, string>(), 0));
        if (result.ExitCode != 0)
        {
            throw new IOException(result.Stderr);
        }
    }

    private async Task<ShellResult> CallAsync(ShellCall call)
    {
        lock (_lock)
        {
            call = call with { Started = ++_sequence };
            _calls.Add(call);
            _inFlight++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
        }

        if (WaitForCompany)
        {
            // Bounded: a lone step (nothing else can run) goes on after the wait; no assertion depends on its length.
            await Task.Yield();
            for (var i = 0; i < 50 && Volatile.Read(ref _inFlight) < 2 && Volatile.Read(ref _maxInFlight) < 2; i++)
            {
                await Task.Delay(20);
            }
        }

        var result = Answer?.Invoke(call) ?? new ShellResult(0, Stdout(call), "");
        lock (_lock)
        {
            _inFlight--;
            call.Ended = ++_sequence;
        }

        return result;
    }
}
