using System.Diagnostics;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>Runs a process the way the command provider's local Command does: interpreter + command, the
/// program's environment plus <c>environment</c>, stdin from the input, in <c>dir</c> (else the working directory).</summary>
internal sealed class LocalShell : ILocalShell
{
    public Task<ShellResult> RunAsync(IReadOnlyList<string> interpreter, string command, string? directory, string? stdin,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interpreter);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(interpreter[0]) { WorkingDirectory = directory ?? Environment.CurrentDirectory };
        foreach (var arg in interpreter.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(command);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return ProcessRunner.RunAsync(start, stdin, cancellationToken);
    }
}

/// <summary>Starts a process, feeds stdin, collects stdout and stderr; cancellation kills the process tree.</summary>
internal static class ProcessRunner
{
    public static async Task<ShellResult> RunAsync(ProcessStartInfo start, string? stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        using var kill = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        });
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (!string.IsNullOrEmpty(stdin))
            {
                await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process closed stdin early; its exit code tells the rest.
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new ShellResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
