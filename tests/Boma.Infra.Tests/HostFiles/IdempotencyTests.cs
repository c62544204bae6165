using NUnit.Framework;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// "A script run twice changes nothing the second time": each rendered script runs twice in a sandbox root
/// (BOMA_ROOT) with recording stubs for the service tools. The second run must report zero changes, make no
/// changing tool call, and leave the file tree (content and modes) byte-identical.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)] // Independent temp dirs; the external tools dominate the run time.
[SupportedOSPlatform("linux")]
public sealed class IdempotencyTests
{
    // Tool calls that change the machine; a second run must make none of them.
    private static readonly Regex ChangingCall = new(
        @"^(apt-get (install|purge)|systemctl (enable|disable|start|reload|restart|daemon-reload)|nft -f|docker network create|docker compose -f \S+ (up|restart|exec)|restic init|sysctl .*-w|augenrules --load|apparmor_parser --replace|aide --init)\b",
        RegexOptions.CultureInvariant);

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var script in HostSamples.AllScripts)
        {
            yield return new TestCaseData(script, HostSamples.Templates[script]).SetArgDisplayNames(script);
        }

        yield return new TestCaseData("bootstrap/nftables.sh.tmpl", HostSamples.NftablesCluster).SetArgDisplayNames("nftables (cluster values)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Second_run_changes_nothing(string template, Dictionary<string, string> values)
    {
        using var box = new ScriptSandbox();

        var first = box.Run(template, values);
        Assert.That(first.Result.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Changed, Is.Not.Empty, "the first run on a fresh root must change something\n" + first);
        Assert.That(first.Lines[^1], Is.EqualTo($"summary: {first.Changed.Count} changed"), first.ToString());
        if (template != "bootstrap/hosts-pin.sh.tmpl")
        {
            // Proves the "no changing call" check below can see one (hosts-pin only edits files).
            Assert.That(first.Calls.Any(c => ChangingCall.IsMatch(c)), Is.True, first.ToString());
        }

        var treeAfterFirst = box.Snapshot();
        var stateAfterFirst = ScriptSandbox.Snapshot(box.State);

        var second = box.Run(template, values);
        Assert.That(second.Result.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Changed, Is.Empty, second.ToString());
        Assert.That(second.Unchanged, Is.Not.Empty, second.ToString());
        Assert.That(second.Lines[^1], Is.EqualTo("summary: 0 changed"), second.ToString());
        Assert.That(second.Calls.Where(c => ChangingCall.IsMatch(c)), Is.Empty, second.ToString());
        Assert.That(box.Snapshot(), Is.EqualTo(treeAfterFirst), "the second run changed the file tree");
        stateAfterFirst.Remove("calls.log");
        var stateAfterSecond = ScriptSandbox.Snapshot(box.State);
        stateAfterSecond.Remove("calls.log");
        Assert.That(stateAfterSecond, Is.EqualTo(stateAfterFirst), "the second run changed the (stubbed) machine state");
    }

    // Scripts that create files of their own (hosts-pin edits /etc/hosts, see HostsPinTests; apparmor only edits a
    // profile the package ships, which the sandbox does not have: see HardeningTests).
    public static IEnumerable<TestCaseData> FileWritingCases() =>
        Cases().Where(c => (string)c.Arguments[0]! is not ("bootstrap/hosts-pin.sh.tmpl" or "bootstrap/apparmor.sh.tmpl"));

    [TestCaseSource(nameof(FileWritingCases))]
    public void A_drifted_file_is_put_back_and_reported(string template, Dictionary<string, string> values)
    {
        using var box = new ScriptSandbox();
        var seeded = box.Snapshot();
        Assert.That(box.Run(template, values).Result.ExitCode, Is.Zero);
        var expected = box.Snapshot();
        // AIDE's database is data AIDE owns (built once, see AideTests), not a file the script manages.
        var created = expected.Keys.Where(k => !seeded.ContainsKey(k) && File.Exists(Path.Combine(box.Root, k)) && k != "var/lib/aide/aide.db").ToList();
        Assert.That(created, Is.Not.Empty);

        foreach (var file in created)
        {
            File.AppendAllText(Path.Combine(box.Root, file), "# local edit\n");
        }

        var repair = box.Run(template, values);
        Assert.That(repair.Result.ExitCode, Is.Zero, repair.ToString());
        Assert.That(repair.Changed, Has.Count.GreaterThanOrEqualTo(created.Count), repair.ToString());
        Assert.That(box.Snapshot(), Is.EqualTo(expected), "the run did not restore the managed files");
    }
}
