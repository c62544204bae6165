// CA1861: expected values read best inline in the assertion.
#pragma warning disable CA1861

using NUnit.Framework;
using System.Runtime.Versioning;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>The sshd drop-in the sshd script installs, checked by the real sshd (-t and -T) against a throw-away config.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)] // Independent temp dirs; the external tools dominate the run time.
[SupportedOSPlatform("linux")]
public sealed class SshdTests
{
    private string dir = string.Empty;
    private string sshd = string.Empty;

    [SetUp]
    public void SetUp()
    {
        sshd = HostTool.Require("sshd", "openssh-server");
        dir = Directory.CreateTempSubdirectory("boma-sshd-").FullName;
        var keygen = HostTool.Require("ssh-keygen", "openssh-client");
        var key = HostTool.Run(keygen, ["-q", "-t", "ed25519", "-N", string.Empty, "-f", Path.Combine(dir, "host_key")]);
        Assert.That(key.ExitCode, Is.Zero, key.ToString());
        Directory.CreateDirectory(Path.Combine(dir, "sshd_config.d"));

        // Like Debian's sshd_config: the drop-in directory first, then the distribution's own settings.
        File.WriteAllText(Path.Combine(dir, "sshd_config"),
            $"Include {dir}/sshd_config.d/*.conf\nKbdInteractiveAuthentication yes\nUsePAM yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem sftp /usr/lib/openssh/sftp-server\n");

        // What cloud-init writes when a password login was allowed: it must lose against boma's drop-in.
        File.WriteAllText(Path.Combine(dir, "sshd_config.d", "50-cloud-init.conf"), "PasswordAuthentication yes\n");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    /// <summary>
    /// Runs sshd on the test config. sshd insists on its privilege-separation directory /run/sshd, which only the
    /// ssh service creates; rather than creating it on the test machine, sshd runs in a private mount namespace
    /// with a fresh tmpfs on /run (no change visible outside). Needs root, as CI is.
    /// </summary>
    private ToolResult Sshd(string mode)
    {
        string[] args = [mode, "-f", Path.Combine(dir, "sshd_config"), "-h", Path.Combine(dir, "host_key")];
        if (Directory.Exists("/run/sshd"))
        {
            return HostTool.Run(sshd, args);
        }

        var unshare = HostTool.Require("unshare", "util-linux");
        return HostTool.Run(unshare,
            ["-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && exec \"$0\" \"$@\"", sshd, .. args]);
    }

    private void InstallDropIn(string text) => File.WriteAllText(Path.Combine(dir, "sshd_config.d", "10-boma.conf"), text);

    private static string RenderedDropIn()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/sshd.sh.tmpl", HostSamples.Sshd);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        return box.ReadFile("/etc/ssh/sshd_config.d/10-boma.conf");
    }

    [Test]
    public void Drop_in_passes_sshd_t_and_wins_over_later_settings()
    {
        InstallDropIn(RenderedDropIn());
        var check = Sshd("-t");
        Assert.That(check.ExitCode, Is.Zero, check.ToString());

        var effective = Sshd("-T");
        Assert.That(effective.ExitCode, Is.Zero, effective.ToString());
        var lines = effective.Stdout.Split('\n');
        Assert.That(lines, Does.Contain("permitrootlogin no"));
        Assert.That(lines, Does.Contain("passwordauthentication no"));
        Assert.That(lines, Does.Contain("kbdinteractiveauthentication no"));
        Assert.That(lines, Does.Contain("pubkeyauthentication yes"));
        Assert.That(lines, Does.Contain("authenticationmethods publickey"));
        Assert.That(lines, Does.Contain("permitemptypasswords no"));
        // No forwarding, dead clients dropped in-protocol, few multiplexed sessions, key fingerprints logged.
        Assert.That(lines, Does.Contain("disableforwarding yes").And.Contain("allowtcpforwarding no").And.Contain("allowagentforwarding no"));
        Assert.That(lines, Does.Contain("clientaliveinterval 300").And.Contain("clientalivecountmax 2").And.Contain("tcpkeepalive no"));
        Assert.That(lines, Does.Contain("maxsessions 2").And.Contain("loglevel VERBOSE").And.Contain("maxauthtries 4"));
        // Exactly the admin account: another account with an authorized_keys file cannot log in.
        Assert.That(lines.Where(l => l.StartsWith("allowusers ", StringComparison.Ordinal)), Is.EqualTo(new[] { "allowusers boma" }));
    }

    [Test]
    public void Script_reloads_with_reload_or_restart_so_a_socket_activated_sshd_does_not_fail_the_step()
    {
        // Debian 13 can run sshd from ssh.socket; ssh.service is then inactive and "systemctl reload ssh" fails.
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/sshd.sh.tmpl", HostSamples.Sshd);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Calls.Where(c => c.StartsWith("systemctl reload", StringComparison.Ordinal)), Is.EqualTo(new[] { "systemctl reload-or-restart ssh" }));
    }

    [Test]
    public void Allow_users_refuses_an_account_name_that_is_not_one()
    {
        var values = new Dictionary<string, string> { ["admin_user"] = "kim bob" };
        Assert.That(() => Boma.Infra.Hosts.HostTemplates.Render("bootstrap/sshd.sh.tmpl", values), Throws.ArgumentException.With.Message.Contain("admin_user"));
    }

    [Test]
    public void Sshd_t_really_rejects_a_broken_drop_in()
    {
        // Guards the check above: the same invocation must fail on a bad keyword.
        InstallDropIn(RenderedDropIn() + "PermitRootLogin sometimes\n");
        var check = Sshd("-t");
        Assert.That(check.ExitCode, Is.Not.Zero, check.ToString());
        Assert.That(check.Stderr, Does.Contain("10-boma.conf").And.Contain("sometimes"));
    }

    [Test]
    public void Without_the_drop_in_the_test_config_would_allow_passwords()
    {
        // Shows the -T assertions above are caused by the drop-in, not by sshd's defaults.
        var effective = Sshd("-T");
        Assert.That(effective.ExitCode, Is.Zero, effective.ToString());
        Assert.That(effective.Stdout.Split('\n'), Does.Contain("passwordauthentication yes"));
    }

    [Test]
    public void Script_restores_the_old_drop_in_when_sshd_t_fails_and_does_not_reload()
    {
        using var box = new ScriptSandbox();
        box.Seed("etc/ssh/sshd_config.d/10-boma.conf", "PermitRootLogin no\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var run = box.Run("bootstrap/sshd.sh.tmpl", HostSamples.Sshd, failTool: "sshd");
        Assert.That(run.Result.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(run.Result.Stderr, Does.Contain("sshd -t rejected"));
        Assert.That(box.ReadFile("/etc/ssh/sshd_config.d/10-boma.conf"), Is.EqualTo("PermitRootLogin no\n"));
        Assert.That(run.Calls, Has.None.StartsWith("systemctl reload"));
    }

    [Test]
    public void Script_refuses_a_main_config_without_the_drop_in_include()
    {
        using var box = new ScriptSandbox();
        box.Seed("etc/ssh/sshd_config", "UsePAM yes\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var run = box.Run("bootstrap/sshd.sh.tmpl", HostSamples.Sshd);
        Assert.That(run.Result.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(run.Result.Stderr, Does.Contain("Include /etc/ssh/sshd_config.d/*.conf"));
    }
}
