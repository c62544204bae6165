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

    /// <summary>
    /// The cluster rehearsal end to end: the offsite lab and deploy first (the setup key and management URL come from
    /// its stack outputs), then one VM per role of Pulumi.cluster.yaml booted from the plan's NoCloud seed on a LAN
    /// shaped like boma:network, deployed and checked.
    /// </summary>
    [Test]
    public async Task The_cluster_rehearsal_passes_every_check()
    {
        var report = Path.Combine(Path.GetTempPath(), $"boma-rehearsal-cluster-{Guid.NewGuid():N}.md");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await RehearseCommand.RunAsync(["cluster", "--report", report], stdout, stderr, Docs.RepoRoot.Path);

        var text = File.Exists(report) ? await File.ReadAllTextAsync(report) : stdout.ToString();
        TestContext.Out.WriteLine(text);
        Assert.That(stderr.ToString(), Is.Empty, "preflight or usage problem");
        Assert.That(exit, Is.Zero, "a check failed (report above)");
        Assert.That(text, Does.StartWith("# Rehearsal: cluster"));
        foreach (var check in new[] { "offsite converge", "first boot", "converge", "idempotence", "lynis", "dns switch", "access", "exposure", "reboot", "lockout" })
        {
            Assert.That(text, Does.Contain($"| {check} | pass |"), check);
        }

        File.Delete(report);
    }
}
