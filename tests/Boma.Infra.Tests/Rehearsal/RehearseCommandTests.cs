using Boma.Infra.Rehearsal;
using NUnit.Framework;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>The verb's command line and preflight, and the report's parsing helpers (no lab needed).</summary>
public class RehearseCommandTests
{
    private static readonly int[] WebPorts = [80, 443];

    [Test]
    public async Task A_stack_other_than_offsite_or_cluster_is_a_usage_error_before_anything_runs()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await RehearseCommand.RunAsync(["edge"], stdout, stderr, Docs.RepoRoot.Path);

        Assert.That(exit, Is.EqualTo(64));
        Assert.That(stderr.ToString(), Does.Contain("'offsite' or 'cluster'").And.Contain("usage: rehearse offsite|cluster"));
    }

    [Test]
    public async Task An_unknown_flag_is_a_usage_error()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await RehearseCommand.RunAsync(["offsite", "--fast"], stdout, stderr, Docs.RepoRoot.Path);

        Assert.That(exit, Is.EqualTo(64));
        Assert.That(stderr.ToString(), Does.Contain("'--fast'"));
    }

    [Test]
    public async Task A_rehearsal_beside_a_running_one_stops_before_preflight_and_names_the_holder()
    {
        var dir = Directory.CreateTempSubdirectory("boma-rehearse-lock-").FullName;
        try
        {
            var path = Path.Combine(dir, "lab.lock");
            Assert.That(RehearseCommand.TakeLab(path, out var first), Is.Null, "a free lab");
            using (first)
            {
                using var stdout = new StringWriter();
                using var stderr = new StringWriter();

                var exit = await RehearseCommand.RunAsync(["cluster"], stdout, stderr, Docs.RepoRoot.Path, path);

                Assert.That(exit, Is.EqualTo(RehearseCommand.MissingExit));
                Assert.That(stderr.ToString(), Does.StartWith($"boma rehearse: another rehearsal holds the lab ({path}, process {Environment.ProcessId})"));
                Assert.That(stdout.ToString(), Is.Empty, "nothing ran: not even preflight");
            }

            // The lock goes with its holder.
            Assert.That(RehearseCommand.TakeLab(path, out var again), Is.Null, "the lab is free again");
            again?.Dispose();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("dir", "is a directory")]
    [TestCase("fifo", "is a device, pipe or socket")]
    [TestCase("missing-dir", "does not exist")]
    [TestCase("under-file", "is a file, so nothing can be written under it")]
    public async Task A_report_path_that_cannot_take_the_report_is_refused_before_the_lab(string kind, string message)
    {
        var dir = Directory.CreateTempSubdirectory("boma-rehearse-report-").FullName;
        try
        {
            var path = kind switch
            {
                "dir" => dir,
                "fifo" => Path.Combine(dir, "report.fifo"),
                "missing-dir" => Path.Combine(dir, "nope", "report.md"),
                _ => Path.Combine(dir, "plain", "report.md"),
            };
            if (kind == "fifo")
            {
                Assert.That(HostFiles.HostTool.Run(HostFiles.HostTool.Require("mkfifo", "coreutils"), [path]).ExitCode, Is.Zero);
            }
            else if (kind == "under-file")
            {
                File.WriteAllText(Path.Combine(dir, "plain"), "x");
            }

            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            // Run from a directory that is no checkout: a path accepted here would fail next on "run it from the checkout",
            // so exit 64 with the --report line proves the path was judged first. A FIFO must not hang: bounded by the timeout.
            var run = RehearseCommand.RunAsync(["offsite", "--report", path], stdout, stderr, dir);
            Assert.That(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20))), Is.SameAs(run), "the check must not block on a FIFO");

            Assert.That(await run, Is.EqualTo(64));
            Assert.That(stderr.ToString(), Does.StartWith("boma rehearse: --report ").And.Contain(message));
            Assert.That(stderr.ToString().TrimEnd(), Does.Not.Contain("\n"), "one line");
            Assert.That(Directory.GetFileSystemEntries(dir), Has.Length.LessThanOrEqualTo(1), "nothing left behind");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void A_writable_report_path_passes_and_leaves_nothing_behind()
    {
        var dir = Directory.CreateTempSubdirectory("boma-rehearse-report-").FullName;
        try
        {
            Assert.That(RehearseCommand.ReportProblem(Path.Combine(dir, "report.md")), Is.Null);
            Assert.That(Directory.GetFileSystemEntries(dir), Is.Empty);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Nmap_grepable_output_gives_the_open_ports_of_one_protocol()
    {
        const string grepable = "Host: 198.18.1.10 ()\tPorts: 80/open/tcp//http///, 443/open/tcp//https///, 22/filtered/tcp//ssh///, 3478/open|filtered/udp//stun///\tIgnored State: filtered (65532)\n";

        Assert.That(OffsiteRehearsal.OpenPorts(grepable, "tcp"), Is.EqualTo(WebPorts));
        Assert.That(OffsiteRehearsal.OpenPorts(grepable, "udp"), Is.Empty);
    }
}
