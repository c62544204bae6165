namespace Boma.Infra.Rehearsal;

/// <summary>What every rehearsal does around its checks: failures and Ctrl-C become report lines, then teardown.</summary>
internal static class RehearsalRun
{
    /// <summary>
    /// Runs <paramref name="core"/>; an interruption or any exception becomes a failed <c>run</c> line. Then the lab is
    /// torn down with <paramref name="teardown"/> (or, with <paramref name="keep"/>, the report says how), and the
    /// report gets its elapsed time.
    /// </summary>
    public static async Task<RehearsalReport> GuardAsync(RehearsalReport report, RehearsalOptions options, Func<Task> core, Func<Task> teardown, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        try
        {
            await core();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            report.Add("run", false, "interrupted (SIGINT/SIGTERM); the lab was torn down");
        }
#pragma warning disable CA1031 // any failure becomes a failed report line; teardown follows
        catch (Exception e)
#pragma warning restore CA1031
        {
            report.Add("run", false, $"aborted: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (!options.Keep)
            {
                options.Log("teardown: lab.sh down");
                await teardown();
            }
            else
            {
                report.Note($"--keep: the lab is still up (state {options.StateDir}); remove it with `sudo bash rehearsal/lab/lab.sh down {options.StateDir}`");
            }

            report.Elapsed = DateTime.UtcNow - started;
        }

        return report;
    }

    /// <summary>A lab command that has to work: its failure (exit and last lines) ends the rehearsal.</summary>
    public static async Task Must(string what, Task<ProcessResult> run)
    {
        var r = await run;
        if (!r.Ok)
        {
            throw new InvalidOperationException($"{what} failed (exit {r.Exit}): {r.Tail(5)}");
        }
    }
}
