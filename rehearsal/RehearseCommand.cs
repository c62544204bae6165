using System.Runtime.InteropServices;

namespace Boma.Infra.Rehearsal;

/// <summary>
/// <c>rehearse offsite|cluster [--report FILE] [--keep]</c>: the offsite deploy (and for cluster, then the cluster VMs) on a booted Debian 13 machine in a lab of
/// network namespaces, with the checks of docs/rehearsal.md. Exit 0 only when every check passes; 2 when the machine
/// lacks what the lab needs (one line naming it; nothing touched); 64 for a bad command line.
/// </summary>
internal static class RehearseCommand
{
    public const int MissingExit = 2;

    /// <summary>
    /// One lab per machine: both rehearsals use the same namespace names, addresses and state directories, so a second
    /// run beside a first would tear down the first's machines. Held (an advisory lock) for the whole run.
    /// </summary>
    public const string LabLock = "/run/lock/boma-rehearsal-lab.lock";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workDir) =>
        RunAsync(args, stdout, stderr, workDir, LabLock);

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workDir, string labLock)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? reportFile = null;
        var keep = false;
        string? stack = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--report" when i + 1 < args.Length:
                    reportFile = Path.GetFullPath(args[++i], workDir);
                    break;
                case "--keep":
                    keep = true;
                    break;
                case var a when !a.StartsWith('-') && stack is null:
                    stack = a;
                    break;
                default:
                    await stderr.WriteLineAsync($"boma rehearse: unknown or incomplete argument '{args[i]}'; usage: rehearse offsite|cluster [--report FILE] [--keep]");
                    return Cli.Entry.UsageExit;
            }
        }

        if (stack != Stacks.OffsiteStack.Name && stack != Stacks.ClusterStack.Name)
        {
            await stderr.WriteLineAsync($"boma rehearse: the stack to rehearse is 'offsite' or 'cluster' (got '{stack ?? "nothing"}'); usage: rehearse offsite|cluster [--report FILE] [--keep]");
            return Cli.Entry.UsageExit;
        }

        // Checked before the lab is built: a bad --report path found only after a ten-minute run would lose the report.
        if (reportFile is not null && ReportProblem(reportFile) is { } reportProblem)
        {
            await stderr.WriteLineAsync($"boma rehearse: --report {reportFile} {reportProblem}");
            return Cli.Entry.UsageExit;
        }

        var repo = FindRepo(workDir);
        if (repo is null)
        {
            await stderr.WriteLineAsync("boma rehearse: run it from the boma-infra checkout (no rehearsal/lab/lab.sh and Pulumi.offsite.yaml above " + workDir + ")");
            return Cli.Entry.UsageExit;
        }

        if (TakeLab(labLock, out var held) is { } busy)
        {
            await stderr.WriteLineAsync($"boma rehearse: another rehearsal holds the lab ({labLock}{busy}); wait for it to end (or stop it with Ctrl-C, which tears its lab down), then run this again");
            return MissingExit;
        }

        using var lab = held;

        // Preflight: root, systemd-nspawn, debootstrap, disk space... one line and exit 2, before anything is made.
        var pre = await LabProcess.RunAsync(["bash", Path.Combine(repo, "rehearsal", "lab", "lab.sh"), "preflight"], null, TimeSpan.FromMinutes(1), CancellationToken.None);
        if (!pre.Ok)
        {
            await stderr.WriteLineAsync(pre.Stderr.Trim().Split('\n').LastOrDefault() ?? "rehearsal: preflight failed");
            return MissingExit;
        }

        using var cancel = new CancellationTokenSource();
        // SIGINT/SIGTERM cancel the run; the rehearsal then tears the lab down before the process exits.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cancel.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cancel.Cancel(); });
        var rehearsalOptions = new RehearsalOptions
        {
            RepoDir = repo,
            Keep = keep,
            // The cluster lab holds askari and the VMs: its own state directory, the same image cache.
            StateDir = stack == Stacks.ClusterStack.Name ? "/var/lib/boma-rehearsal/cluster" : "/var/lib/boma-rehearsal/offsite",
            Log = line =>
            {
                lock (stdout)
                {
                    stdout.WriteLine(line);
                    stdout.Flush();
                }
            },
        };
        var report = stack == Stacks.ClusterStack.Name
            ? await new ClusterRehearsal(rehearsalOptions).RunAsync(cancel.Token)
            : await new OffsiteRehearsal(rehearsalOptions).RunAsync(cancel.Token);
        var markdown = report.ToMarkdown();
        await stdout.WriteLineAsync(markdown);
        if (reportFile is not null)
        {
            try
            {
                await File.WriteAllTextAsync(reportFile, markdown);
                await stdout.WriteLineAsync($"report written to {reportFile}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The report is on stdout above; the run's verdict stands, the file is what failed.
                await stderr.WriteLineAsync($"boma rehearse: could not write --report {reportFile}: {e.Message} (the report is on stdout above)");
                return 1;
            }
        }

        return report.Passed ? 0 : 1;
    }

    /// <summary>
    /// Takes the lab's lock into <paramref name="held"/>; returns null then, or, when another process holds it, the
    /// holder as far as it is known (its pid, from PATH.pid: a reader cannot open the locked file itself). The lock is
    /// the kernel's, so a run that died leaves nothing held. A user who may not open the file gets no lock and no
    /// complaint here: preflight says that the rehearsal runs as root.
    /// </summary>
    internal static string? TakeLab(string path, out FileStream? held)
    {
        held = null;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Linux; a second holder gets an IOException.
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (IOException)
        {
            try
            {
                return File.ReadAllText(path + ".pid").Trim() is { Length: > 0 } holder ? $", process {holder}" : "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "";
            }
        }

        try
        {
            File.WriteAllText(path + ".pid", $"{Environment.ProcessId}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the message of a second run needs it.
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot take the report, or null: the kind checks every verb makes (a directory,
    /// a FIFO that would hang the final write, a path under a file), a missing directory, or a file that cannot be
    /// opened for writing. Nothing is left behind by the check.
    /// </summary>
    internal static string? ReportProblem(string path)
    {
        if (Cli.OutPath.FileProblem(path, followFinalLink: true) is { } kind)
        {
            return kind;
        }

        var dir = Path.GetDirectoryName(path);
        if (dir is null || !Directory.Exists(dir))
        {
            return $"is in a directory that does not exist ({dir}); create it or choose another path";
        }

        var existed = File.Exists(path);
        try
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }

            if (!existed)
            {
                File.Delete(path);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be written ({e.Message}); choose a writable path";
        }
    }

    /// <summary>The checkout: the directory (or a parent) holding rehearsal/lab/lab.sh and Pulumi.offsite.yaml.</summary>
    internal static string? FindRepo(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "rehearsal", "lab", "lab.sh")) && File.Exists(Path.Combine(dir.FullName, "Pulumi.offsite.yaml")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
