using NUnit.Framework;
using System.Runtime.Versioning;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>/etc/apt/apt.conf.d/20auto-upgrades as installed by the base script, parsed by apt itself.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class AptConfigTests
{
    [Test]
    public void Auto_upgrades_file_parses_and_turns_both_periodic_jobs_on()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/base.sh.tmpl", HostSamples.Base);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Calls, Has.Some.Match(@"^apt-get install .*\bunattended-upgrades\b.*\bhtop jq$"));
        // AIDE's packages in a second run without recommends (no cron, no mail server), still before auditd's step.
        Assert.That(run.Calls, Has.Some.Match(@"^apt-get install -y -qq --no-install-recommends .* aide$"));
        Assert.That(run.Changed, Has.Some.EqualTo("changed: packages installed (no recommends): aide"));

        var file = Path.Combine(box.Root, "etc/apt/apt.conf.d/20auto-upgrades");
        var dump = HostTool.Run(HostTool.Require("apt-config", "apt"), ["-c", file, "dump"]);
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        Assert.That(dump.Stdout.Split('\n'), Does.Contain("APT::Periodic::Update-Package-Lists \"1\";"));
        Assert.That(dump.Stdout.Split('\n'), Does.Contain("APT::Periodic::Unattended-Upgrade \"1\";"));
    }

    [Test]
    public void Apt_waits_for_the_dpkg_lock_instead_of_failing()
    {
        // Found by the rehearsal: peers-askari-enrol (apt-get install netbird) and backup-enable (apt-get install restic...)
        // are independent steps the engine runs in parallel; one failed at once with "Could not get lock
        // /var/lib/dpkg/lock-frontend". apt-daily can hold the same lock on a fresh VPS.
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/base.sh.tmpl", HostSamples.Base);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());

        var file = Path.Combine(box.Root, "etc/apt/apt.conf.d/80boma-lock-wait");
        Assert.That(File.Exists(file), Is.True, "the base script installs the lock-wait setting");
        var dump = HostTool.Run(HostTool.Require("apt-config", "apt"), ["-c", file, "dump"]);
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        Assert.That(dump.Stdout.Split('\n'), Does.Contain("DPkg::Lock::Timeout \"300\";"));
    }
}
