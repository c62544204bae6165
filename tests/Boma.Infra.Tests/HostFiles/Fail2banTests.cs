using NUnit.Framework;
using System.Runtime.Versioning;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// The sshd jail the fail2ban script installs, checked with the real fail2ban-client against a copy of the
/// package's /etc/fail2ban. `-t` only warns on bad values, so the effective settings are asserted from `--dp`.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)] // Independent temp dirs; the external tools dominate the run time.
[SupportedOSPlatform("linux")]
public sealed class Fail2banTests
{
    private string dir = string.Empty;
    private string client = string.Empty;

    [SetUp]
    public void SetUp()
    {
        client = HostTool.Require("fail2ban-client", "fail2ban");
        Assert.That(Directory.Exists("/etc/fail2ban/filter.d"), Is.True, "install fail2ban (see .ci/apt-packages.txt): /etc/fail2ban is missing");
        dir = Directory.CreateTempSubdirectory("boma-f2b-").FullName;
        var cp = HostTool.Run(HostTool.Require("cp", "coreutils"), ["-r", "/etc/fail2ban/.", dir]);
        Assert.That(cp.ExitCode, Is.Zero, cp.ToString());
        Directory.CreateDirectory(Path.Combine(dir, "jail.d"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    private void InstallJail(Dictionary<string, string> values)
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/fail2ban.sh.tmpl", values);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        File.WriteAllText(Path.Combine(dir, "jail.d", "boma-sshd.local"), box.ReadFile("/etc/fail2ban/jail.d/boma-sshd.local"));
    }

    [Test]
    public void Jail_passes_the_config_test_with_the_intended_values()
    {
        InstallJail(HostSamples.Fail2ban);
        var test = HostTool.Run(client, ["-c", dir, "-t"]);
        Assert.That(test.ExitCode, Is.Zero, test.ToString());

        var dump = HostTool.Run(client, ["-c", dir, "--dp"]);
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        var lines = dump.Stdout.Split('\n').Select(l => l.Trim()).ToList();
        Assert.That(lines, Does.Contain("['add', 'sshd', 'systemd']"), "jail sshd enabled with backend systemd");
        Assert.That(lines, Does.Contain("['set', 'sshd', 'maxretry', 5]"));
        Assert.That(lines, Does.Contain("['set', 'sshd', 'findtime', '10m']"));
        Assert.That(lines, Does.Contain("['set', 'sshd', 'bantime', '1h']"));
        Assert.That(lines, Does.Contain("['set', 'sshd', 'addignoreip', '127.0.0.1/8', '::1', '100.64.0.0/10']"));
        Assert.That(lines, Does.Contain("['set', 'sshd', 'addaction', 'nftables']"));
    }

    [Test]
    public void On_Debian_13_the_jail_reads_the_failures_sshd_session_logs()
    {
        // Debian 13's fail2ban ships this jail.d/defaults-debian.conf (journal narrowed to _COMM=sshd), while OpenSSH 10
        // logs "Invalid user" and friends from sshd-session: without boma's own journalmatch the jail never bans.
        File.WriteAllText(Path.Combine(dir, "jail.d", "defaults-debian.conf"),
            "[DEFAULT]\nbanaction = nftables\nbanaction_allports = nftables[type=allports]\n\n[sshd]\nbackend = systemd\n" +
            "journalmatch = _SYSTEMD_UNIT=ssh.service + _COMM=sshd\nenabled = true\n");
        InstallJail(HostSamples.Fail2ban);
        var dump = HostTool.Run(client, ["-c", dir, "--dp"]);
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        var match = dump.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("'sshd'", StringComparison.Ordinal) && l.Contains("journalmatch", StringComparison.Ordinal)).ToList();
        Assert.That(string.Join("\n", match), Does.Contain("_COMM=sshd-session").And.Contain("_SYSTEMD_UNIT=ssh.service"), dump.Stdout);
    }

    [Test]
    public void The_break_glass_sources_are_never_banned()
    {
        // askari's hardening: the jail fail2ban-client checks is rendered from the same values the stack uses.
        var options = new Boma.Infra.Components.HardeningOptions
        {
            Policy = Boma.Infra.Components.FirewallPolicy.Offsite(["203.0.113.7/32", "2001:db8:1234::/48"]),
            AdminUser = "kim",
            CoordinatorFqdn = "netbird.askari.example.org",
            CoordinatorAddress = Boma.Pulumi.Output.Create("203.0.113.10"),
        };
        InstallJail(new Dictionary<string, string> { ["fail2ban_ignore_cidrs"] = string.Join(' ', Boma.Infra.Components.HostHardening.Fail2banIgnore(options)) });
        var test = HostTool.Run(client, ["-c", dir, "-t"]);
        Assert.That(test.ExitCode, Is.Zero, test.ToString());
        var dump = HostTool.Run(client, ["-c", dir, "--dp"]);
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        Assert.That(dump.Stdout.Split('\n').Select(l => l.Trim()),
            Does.Contain("['set', 'sshd', 'addignoreip', '127.0.0.1/8', '::1', '100.64.0.0/10', '203.0.113.7/32', '2001:db8:1234::/48']"));
    }

    [Test]
    public void Empty_ignore_list_leaves_only_loopback()
    {
        InstallJail(new Dictionary<string, string> { ["fail2ban_ignore_cidrs"] = string.Empty });
        var dump = HostTool.Run(client, ["-c", dir, "--dp"]);
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        Assert.That(dump.Stdout.Split('\n').Select(l => l.Trim()), Does.Contain("['set', 'sshd', 'addignoreip', '127.0.0.1/8', '::1']"));
    }

    [Test]
    public void Without_the_jail_the_values_differ()
    {
        // Shows the dump assertions above come from boma's jail, not from the package defaults.
        var dump = HostTool.Run(client, ["-c", dir, "--dp"]);
        // The dump itself must succeed and say something, or the "not contains" below would pass on a failure.
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        Assert.That(dump.Stdout, Does.Contain("['set', "), dump.ToString());
        Assert.That(dump.Stdout, Does.Not.Contain("['set', 'sshd', 'bantime', '1h']"));
        Assert.That(dump.Stdout, Does.Not.Contain("100.64.0.0/10"));
    }

    [Test]
    public void Script_restores_the_old_jail_when_the_config_test_fails()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/fail2ban.sh.tmpl", HostSamples.Fail2ban, failTool: "fail2ban-client");
        Assert.That(run.Result.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(File.Exists(Path.Combine(box.Root, "etc/fail2ban/jail.d/boma-sshd.local")), Is.False, "a new jail that fails the test must be removed again");
        Assert.That(run.Calls, Has.None.StartsWith("systemctl start").And.None.StartsWith("systemctl reload"));
    }
}
