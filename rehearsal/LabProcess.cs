using System.Diagnostics;
using System.Text;

namespace Boma.Infra.Rehearsal;

/// <summary>What a host-side process gave back.</summary>
internal sealed record ProcessResult(int Exit, string Stdout, string Stderr, double Seconds)
{
    public bool Ok => Exit == 0;

    /// <summary>The last lines of stderr then stdout: evidence for a report line.</summary>
    public string Tail(int lines = 3)
    {
        var text = (Stderr.Trim().Length > 0 ? Stderr : Stdout).Trim();
        var all = text.Split('\n');
        return string.Join(" / ", all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.Trim()));
    }
}

/// <summary>Runs the lab's host-side processes (lab.sh, ip netns exec ssh/nmap/curl) with a time limit.</summary>
internal static class LabProcess
{
    public static async Task<ProcessResult> RunAsync(IReadOnlyList<string> argv, string? stdin, TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in argv.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {argv[0]}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var outTask = PumpAsync(process.StandardOutput, stdout);
        var errTask = PumpAsync(process.StandardError, stderr);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process did not read its stdin: its exit code says what happened.
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(outTask, errTask);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(124, stdout.ToString(), stderr + $"\n(timed out after {timeout.TotalSeconds:0} s)", watch.Elapsed.TotalSeconds);
        }

        await Task.WhenAll(outTask, errTask);
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed.TotalSeconds);
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, n);
            }
        }
    }
}
