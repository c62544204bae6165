using Boma.Infra.Rehearsal;
using NUnit.Framework;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>
/// The offsite rehearsal end to end (docs/rehearsal.md): askari booted with systemd-nspawn in the lab's network
/// namespaces, the real program's command graph deployed over SSH, every check of the report. Needs root,
/// systemd-container, debootstrap and the mirror through the relay: .ci/run installs them; unprivileged CI jobs
/// filter this category out.
/// </summary>
[TestFixture]
[Category("Rehearsal")]
[NonParallelizable]
public class RehearsalTests
{
    [Test]
    public async Task The_offsite_rehearsal_passes_every_check()
    {
        var report = Path.Combine(Path.GetTempPath(), $"boma-rehearsal-{Guid.NewGuid():N}.md");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await RehearseCommand.RunAsync(["offsite", "--report", report], stdout, stderr, Docs.RepoRoot.Path);

        var text = File.Exists(report) ? await File.ReadAllTextAsync(report) : stdout.ToString();
        TestContext.Out.WriteLine(text);
        Assert.That(stderr.ToString(), Is.Empty, "preflight or usage problem");
        Assert.That(exit, Is.Zero, "a check failed (report above)");
        foreach (var check in new[] { "converge", "idempotence", "access", "exposure", "services", "fail2ban", "backup", "reboot", "lockout" })
        {
            Assert.That(text, Does.Contain($"| {check} | pass |"), check);
        }

        File.Delete(report);
    }
}
