// CA1861: expected values read best inline in the assertion.
#pragma warning disable CA1861
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// The baseline steps beyond sshd/fail2ban/nftables (baseline, journald, auditd, apparmor, docker's daemon.json,
/// updates, aide): what each installs, checked with the real tool that reads it where one exists, and the paths a
/// script takes on a real host, in a container and on a change (the stubs model the kernel state).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
[SupportedOSPlatform("linux")]
public sealed partial class HardeningTests
{
    private static string File(string relative) => System.IO.File.ReadAllText(Path.Combine(HostTemplates.Root, "bootstrap", "files", relative));

    private static string Temp(string name, string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("boma-hardening-").FullName, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static IEnumerable<(string Key, string Value)> SysctlKeys() =>
        File("sysctl-60-boma.conf").Split('\n')
            .Select(l => SysctlLine().Match(l))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    // ---- sysctls -----------------------------------------------------------------------------------------

    [Test]
    public void Network_sysctls_apply_with_sysctl_p_in_a_throwaway_network_namespace()
    {
        var net = SysctlKeys().Where(k => k.Key.StartsWith("net.ipv4.", StringComparison.Ordinal) || k.Key.StartsWith("net.ipv6.", StringComparison.Ordinal)).ToList();
        Assert.That(net, Has.Count.GreaterThan(15));
        var file = Temp("net.conf", string.Join('\n', net.Select(k => $"{k.Key} = {k.Value}")) + "\n");
        var sysctl = HostTool.Require("sysctl", "procps");
        var unshare = HostTool.Require("unshare", "util-linux");

        // The new network namespace's own values: set by sysctl -p, then read back in the same namespace.
        var script = $"{sysctl} -p {file} >/dev/null && " + string.Join(" && ", net.Select(k => $"echo {k.Key}=$({sysctl} -n {k.Key})"));
        var result = HostTool.Run(unshare, ["-rn", "sh", "-c", script]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        foreach (var (key, value) in net)
        {
            Assert.That(result.Stdout, Does.Contain($"{key}={value}\n"), result.ToString());
        }

        // The check can fail: a misspelt key is refused.
        var bad = HostTool.Run(unshare, ["-rn", sysctl, "-p", Temp("bad.conf", "net.ipv4.conf.all.rp_filtr = 1\n")]);
        Assert.That(bad.ExitCode, Is.Not.Zero, bad.ToString());
    }

    [Test]
    public void Every_kernel_wide_sysctl_exists_in_the_running_kernel()
    {
        var others = SysctlKeys().Where(k => !k.Key.StartsWith("net.ipv4.", StringComparison.Ordinal) && !k.Key.StartsWith("net.ipv6.", StringComparison.Ordinal)).ToList();
        Assert.That(others.Select(k => k.Key), Does.Contain("kernel.kptr_restrict").And.Contain("kernel.unprivileged_bpf_disabled").And.Contain("fs.suid_dumpable"));
        // Every key is in this kernel, except those of build options a kernel may lack (Debian's has Yama and SysRq; the script
        // reports a missing key instead of failing, see the next test).
        string[] optional = ["kernel.yama.ptrace_scope", "kernel.sysrq"];
        var missing = others.Select(k => k.Key).Where(key => !System.IO.File.Exists("/proc/sys/" + key.Replace('.', '/'))).ToList();
        Assert.That(missing, Is.SubsetOf(optional));
        Assert.That(others.Count - missing.Count, Is.GreaterThan(10));
    }

    [Test]
    public void A_sysctl_the_kernel_lacks_is_reported_not_fatal()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>(), "sysctl -n kernel.yama.ptrace_scope");
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Unchanged, Has.Some.EqualTo("unchanged: sysctl keys this kernel does not have: kernel.yama.ptrace_scope"));
        Assert.That(run.Calls.Single(c => c.StartsWith("sysctl -q -w", StringComparison.Ordinal)), Does.Not.Contain("ptrace_scope"));
    }

    [Test]
    public void Baseline_sets_only_differing_sysctls_and_in_a_container_only_the_network_ones()
    {
        using var box = new ScriptSandbox();
        var first = box.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>());
        Assert.That(first.Result.ExitCode, Is.Zero, first.ToString());
        var set = first.Calls.Single(c => c.StartsWith("sysctl -q -w", StringComparison.Ordinal));
        Assert.That(set, Does.Contain("kernel.kptr_restrict=2").And.Contain("net.ipv4.tcp_syncookies=1"));

        // One value drifts: only that key is set again.
        System.IO.File.WriteAllText(Path.Combine(box.State, "sysctl", "kernel.dmesg_restrict"), "0\n");
        var second = box.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>());
        Assert.That(second.Changed, Is.EqualTo(new[] { "changed: sysctl set live: kernel.dmesg_restrict=1" }), second.ToString());

        using var container = new ScriptSandbox();
        var inContainer = container.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>(), null, new Dictionary<string, string> { ["BOMA_STUB_CONTAINER"] = "1" });
        Assert.That(inContainer.Result.ExitCode, Is.Zero, inContainer.ToString());
        var written = inContainer.Calls.Single(c => c.StartsWith("sysctl -q -w", StringComparison.Ordinal)).Split(' ').Skip(3).ToList();
        Assert.That(written, Is.Not.Empty.And.All.Match("^net\\.ipv[46]\\."));
        Assert.That(inContainer.Unchanged, Has.Some.Contains("left to the container's host: ").And.Some.Contains("kernel.kptr_restrict"));
        var again = container.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>(), null, new Dictionary<string, string> { ["BOMA_STUB_CONTAINER"] = "1" });
        Assert.That(again.Changed, Is.Empty, again.ToString());
    }

    [Test]
    public void A_container_that_refuses_its_network_sysctls_leaves_them_to_its_host()
    {
        // systemd-nspawn mounts /proc/sys read-only: even the container's own net.* keys are refused (found by the
        // offsite rehearsal). In a container that is reported, as for the kernel-wide keys.
        using var container = new ScriptSandbox();
        var run = container.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>(), "sysctl -q -w", new Dictionary<string, string> { ["BOMA_STUB_CONTAINER"] = "1" });
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Changed.Where(c => c.Contains("sysctl set live", StringComparison.Ordinal)), Is.Empty, run.ToString());
        Assert.That(run.Unchanged, Has.Some.Contains("left to the container's host: ").And.Some.Contains("net.ipv4.conf.all.rp_filter"));
    }

    // ---- modules, umask, core dumps -----------------------------------------------------------------------

    [Test]
    public void Modprobe_reads_every_blocked_module()
    {
        var modprobe = HostTool.Require("modprobe", "kmod");
        var result = HostTool.Run(modprobe, ["-C", Temp("60-boma.conf", File("modprobe-60-boma.conf")), "--showconfig"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stderr, Is.Empty, result.ToString());
        string[] modules = ["cramfs", "freevxfs", "hfs", "hfsplus", "jffs2", "udf", "usb_storage", "firewire_core", "dccp", "sctp", "rds", "tipc"];
        foreach (var module in modules)
        {
            Assert.That(result.Stdout, Does.Contain($"install {module} /bin/false").And.Contain($"blacklist {module}"), module);
        }

        // Modules Docker, cloud-init and NetBird need stay loadable.
        Assert.That(result.Stdout, Does.Not.Contain("overlay").And.Not.Contain("iso9660").And.Not.Contain("wireguard"));
    }

    [Test]
    public void Login_shells_get_umask_027_and_login_defs_says_so_once()
    {
        using var box = new ScriptSandbox();
        Assert.That(box.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>()).Result.ExitCode, Is.Zero);
        var defs = box.ReadFile("/etc/login.defs");
        Assert.That(Regex.Matches(defs, "^UMASK", RegexOptions.Multiline), Has.Count.EqualTo(1), defs);
        Assert.That(defs, Does.Contain("UMASK\t\t027\n").And.Contain("MAIL_DIR\t/var/mail\n").And.Contain("USERGROUPS_ENAB yes\n"));

        var profile = Path.Combine(box.Root, "etc/profile.d/60-boma-umask.sh");
        var umask = HostTool.Run(HostTool.Require("bash", "bash"), ["-c", $". {profile} && umask"]);
        Assert.That(umask.Stdout.Trim(), Is.EqualTo("0027"), umask.ToString());
        Assert.That(box.ReadFile("/etc/security/limits.d/60-boma-coredump.conf"), Does.Match(@"(?m)^\*\s+hard\s+core\s+0$").And.Match(@"(?m)^\*\s+soft\s+core\s+0$"));
        // A login shell starts with core dumps off (its soft limit 0), as Lynis KRNL-5820 looks for in profile.d.
        var core = HostTool.Run(HostTool.Require("bash", "bash"), ["-c", $". {Path.Combine(box.Root, "etc/profile.d/60-boma-coredump.sh")} && ulimit -c"]);
        Assert.That(core.Stdout.Trim(), Is.EqualTo("0"), core.ToString());
        Assert.That(box.ReadFile("/etc/systemd/coredump.conf.d/60-boma.conf"), Does.Contain("[Coredump]\nStorage=none\nProcessSizeMax=0\n"));
    }

    [Test]
    public void The_login_banners_warn_and_name_neither_the_distribution_nor_its_version()
    {
        using var box = new ScriptSandbox();
        Assert.That(box.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>()).Result.ExitCode, Is.Zero);
        foreach (var file in new[] { "/etc/issue", "/etc/issue.net" })
        {
            var text = box.ReadFile(file);
            // CIS 1.6.2/1.6.3: no OS information, no agetty escapes (\r, \v, \s...); Lynis BANN-7126/7130 count warning words.
            Assert.That(text, Does.Not.Contain("Debian").And.Not.Contain("\\"), file);
            var words = new[] { "authori", "private", "monitor", "log", "prohibited", "law", "report" }.Count(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
            Assert.That(words, Is.GreaterThanOrEqualTo(5), file);
        }
    }

    [Test]
    public void Unused_service_packages_are_purged_when_present()
    {
        using var box = new ScriptSandbox();
        Directory.CreateDirectory(Path.Combine(box.State, "installed"));
        System.IO.File.WriteAllText(Path.Combine(box.State, "installed", "rpcbind"), string.Empty);
        var run = box.Run("bootstrap/baseline.sh.tmpl", new Dictionary<string, string>());
        Assert.That(run.Calls, Has.Some.EqualTo("apt-get purge -y -qq rpcbind"), run.ToString());
        Assert.That(run.Changed, Has.Some.EqualTo("changed: packages purged: rpcbind"));
    }

    // ---- journald -------------------------------------------------------------------------------------------

    [Test]
    public void Journald_knows_every_key_of_the_drop_in()
    {
        // journald's configuration table is compiled in ("Journal.Storage", ...): every key boma sets must be in it.
        var binary = new[] { "/usr/lib/systemd/systemd-journald", "/lib/systemd/systemd-journald" }.FirstOrDefault(System.IO.File.Exists);
        Assert.That(binary, Is.Not.Null, "install systemd (see .ci/apt-packages.txt)");
        var table = System.Text.Encoding.Latin1.GetString(System.IO.File.ReadAllBytes(binary!));
        var keys = File("journald-60-boma.conf").Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#')).Select(l => l.Split('=')[0]).ToList();
        Assert.That(keys, Is.EqualTo(new[] { "Storage", "Compress", "SystemMaxUse", "SystemKeepFree", "SystemMaxFileSize" }));
        foreach (var key in keys)
        {
            Assert.That(table, Does.Contain($"Journal.{key}\0"), key);
        }

        Assert.That(table, Does.Not.Contain("Journal.SystemMaxUsage\0"), "the lookup must be able to fail");
        Assert.That(File("journald-60-boma.conf"), Does.StartWith("# Managed by boma").And.Contain("[Journal]\nStorage=persistent\n"));
    }

    // ---- auditd ---------------------------------------------------------------------------------------------

    private static string RulesOf(ScriptSandbox box, string name) => box.ReadFile($"/etc/audit/rules.d/{name}");

    [Test]
    public void Audit_rules_name_only_syscalls_and_fields_auditctl_knows()
    {
        var ausyscall = HostTool.Require("ausyscall", "auditd");
        var b64 = HostTool.Run(ausyscall, ["x86_64", "--dump"]).Stdout.Split('\n').Skip(1).Select(l => l.Split('\t').Last()).ToHashSet(StringComparer.Ordinal);
        var b32 = HostTool.Run(ausyscall, ["i386", "--dump"]).Stdout.Split('\n').Skip(1).Select(l => l.Split('\t').Last()).ToHashSet(StringComparer.Ordinal);
        Assert.That(b64, Does.Contain("execve").And.Contain("fchmodat"));

        var lines = File("audit-50-boma.rules").Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.That(lines, Has.Count.GreaterThan(30));
        string[] fields = ["arch", "auid", "path", "perm"];
        foreach (var line in lines)
        {
            Assert.That(line, Does.Match(@"^(-w /\S+ -p [rwxa]+ -k [A-Za-z_-]+|-a always,exit( -F [a-z]+(=|!=|>=)\S+| -C euid!=uid| -S [a-z_0-9,]+)+ -k [A-Za-z_-]+)$"), line);
            foreach (Match f in Regex.Matches(line, @"-F ([a-z]+)"))
            {
                Assert.That(fields, Does.Contain(f.Groups[1].Value), line);
            }

            var syscalls = Regex.Match(line, @"-S (\S+)");
            if (syscalls.Success)
            {
                var table = line.Contains("arch=b32", StringComparison.Ordinal) ? b32 : b64;
                Assert.That(syscalls.Groups[1].Value.Split(','), Is.SubsetOf(table), line);
            }
        }
    }

    [Test]
    public void Auditd_step_keeps_the_syscalls_this_machine_knows_and_lists_setuid_programs()
    {
        using var box = new ScriptSandbox();
        box.Seed("usr/bin/boma-suid-probe", "#!/bin/sh\n", (UnixFileMode)Convert.ToInt32("4755", 8));
        box.Seed("var/lib/docker/overlay2/l/usr/bin/su", "#!/bin/sh\n", (UnixFileMode)Convert.ToInt32("4755", 8));
        var run = box.Run("bootstrap/auditd.sh.tmpl", new Dictionary<string, string>());
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());

        // The test machine is x86_64: nothing of the shipped rules is dropped there.
        var installed = RulesOf(box, "50-boma.rules");
        Assert.That(installed, Is.EqualTo(File("audit-50-boma.rules")));
        var privileged = RulesOf(box, "55-boma-privileged.rules");
        Assert.That(privileged, Does.Contain("-a always,exit -F path=/usr/bin/boma-suid-probe -F perm=x -F auid>=1000 -F auid!=unset -k privileged\n"));
        Assert.That(privileged, Does.Not.Contain("overlay2"), "container image layers are not the host's programs");
        Assert.That(RulesOf(box, "99-boma-finalize.rules"), Does.EndWith("-e 2\n"));
        Assert.That(run.Calls, Has.Some.EqualTo("systemctl start auditd"));
    }

    [Test]
    public void Augenrules_puts_the_immutable_flag_last()
    {
        // Debian's augenrules, run for real on a copy whose paths point into a temp dir (it never loads here).
        var source = HostTool.Require("augenrules", "auditd");
        using var box = new ScriptSandbox();
        Assert.That(box.Run("bootstrap/auditd.sh.tmpl", new Dictionary<string, string>()).Result.ExitCode, Is.Zero);
        var rulesDir = Path.Combine(box.Root, "etc/audit/rules.d");
        System.IO.File.WriteAllText(Path.Combine(rulesDir, "audit.rules"), "-D\n-b 8192\n--backlog_wait_time 60000\n-f 1\n");
        var output = Path.Combine(box.Dir, "audit.rules");
        var script = System.IO.File.ReadAllText(source)
            .Replace("SourceRulesDir=/etc/audit/rules.d", $"SourceRulesDir={rulesDir}", StringComparison.Ordinal)
            .Replace("DestinationFile=/etc/audit/audit.rules", $"DestinationFile={output}", StringComparison.Ordinal)
            .Replace("/sbin/auditctl", "/bin/false", StringComparison.Ordinal);
        Assert.That(script, Does.Contain(rulesDir).And.Contain(output));
        var copy = Path.Combine(box.Dir, "augenrules");
        System.IO.File.WriteAllText(copy, script);
        var result = HostTool.Run(HostTool.Require("sh", "dash"), [copy]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        var merged = System.IO.File.ReadAllLines(output).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.That(merged[0], Is.EqualTo("-D"));
        Assert.That(merged[^1], Is.EqualTo("-e 2"));
        Assert.That(merged, Does.Contain("-w /etc/sudoers -p wa -k scope").And.Contain("-w /etc/ssh/sshd_config.d -p wa -k sshd"));
        Assert.That(merged.Count(l => l.StartsWith("-e", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void Changed_rules_on_an_immutable_kernel_ask_for_a_reboot()
    {
        using var box = new ScriptSandbox();
        Assert.That(box.Run("bootstrap/auditd.sh.tmpl", new Dictionary<string, string>()).Result.ExitCode, Is.Zero);
        System.IO.File.WriteAllText(Path.Combine(box.State, "audit-enabled"), "2\n");
        System.IO.File.AppendAllText(Path.Combine(box.Root, "etc/audit/rules.d/50-boma.rules"), "-w /tmp -p wa -k local\n");

        var run = box.Run("bootstrap/auditd.sh.tmpl", new Dictionary<string, string>());
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Changed, Has.Some.Contains("reboot requested"), run.ToString());
        Assert.That(run.Calls, Has.None.StartsWith("augenrules --load"));
        Assert.That(box.ReadFile("/run/reboot-required.pkgs"), Does.Contain("auditd"));

        // Not immutable (enabled 1): the rules are loaded at once instead.
        using var mutable = new ScriptSandbox();
        Assert.That(mutable.Run("bootstrap/auditd.sh.tmpl", new Dictionary<string, string>()).Result.ExitCode, Is.Zero);
        System.IO.File.AppendAllText(Path.Combine(mutable.Root, "etc/audit/rules.d/50-boma.rules"), "# edit\n");
        var load = mutable.Run("bootstrap/auditd.sh.tmpl", new Dictionary<string, string>());
        Assert.That(load.Calls, Has.Some.EqualTo("augenrules --load"), load.ToString());
        Assert.That(System.IO.File.Exists(Path.Combine(mutable.Root, "run/reboot-required")), Is.False);
    }

    [Test]
    public void Auditd_is_not_started_in_a_container()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/auditd.sh.tmpl", new Dictionary<string, string>(), null, new Dictionary<string, string> { ["BOMA_STUB_CONTAINER"] = "1" });
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Calls, Has.None.EqualTo("systemctl start auditd"));
        Assert.That(run.Unchanged, Has.Some.Contains("a container cannot run auditd"));
    }

    // ---- AppArmor -------------------------------------------------------------------------------------------

    // A profile shaped like Debian's unix-chkpwd (complain mode), in syntax this machine's apparmor_parser reads.
    private const string ComplainProfile = """
        # test profile shaped like Debian's unix-chkpwd
        include <tunables/global>

        profile unix-chkpwd /{,usr/}{,s}bin/unix_chkpwd flags=(complain) {
          include <abstractions/base>
          include <abstractions/nameservice>
          capability audit_write,
          network netlink raw,
          /{,usr/}{,s}bin/unix_chkpwd mr,
          /etc/shadow r,
        }
        """;

    private static ToolResult Parse(string profile) =>
        HostTool.Run(HostTool.Require("apparmor_parser", "apparmor"), ["--skip-kernel-load", "--skip-cache", "--base", "/etc/apparmor.d", Temp("profile", profile)]);

    [Test]
    public void A_complain_profile_is_switched_to_enforce_and_still_parses()
    {
        Assert.That(Parse(ComplainProfile).ExitCode, Is.Zero, "the test profile itself must parse");
        Assert.That(Parse(ComplainProfile.Replace("r,\n}", "r\n}", StringComparison.Ordinal)).ExitCode, Is.Not.Zero, "the parser must reject a broken profile");

        using var box = new ScriptSandbox();
        box.Seed("etc/apparmor.d/unix-chkpwd", ComplainProfile, (UnixFileMode)Convert.ToInt32("644", 8));
        var enforcing = new Dictionary<string, string> { ["BOMA_STUB_APPARMOR"] = "1" };
        var first = box.Run("bootstrap/apparmor.sh.tmpl", new Dictionary<string, string>(), null, enforcing);
        Assert.That(first.Result.ExitCode, Is.Zero, first.ToString());
        var enforced = box.ReadFile("/etc/apparmor.d/unix-chkpwd");
        Assert.That(enforced, Does.Not.Contain("complain").And.Contain("profile unix-chkpwd /{,usr/}{,s}bin/unix_chkpwd {"));
        var parsed = Parse(enforced);
        Assert.That(parsed.ExitCode, Is.Zero, parsed.ToString());
        Assert.That(first.Calls, Has.Some.Matches<string>(c => c.StartsWith("apparmor_parser --replace", StringComparison.Ordinal)));

        var second = box.Run("bootstrap/apparmor.sh.tmpl", new Dictionary<string, string>(), null, enforcing);
        Assert.That(second.Changed, Is.Empty, second.ToString());
        Assert.That(second.Unchanged, Has.Some.EqualTo("unchanged: AppArmor profile unix-chkpwd enforced"));
    }

    [Test]
    public void Without_kernel_AppArmor_the_step_says_it_cannot_enforce()
    {
        using var box = new ScriptSandbox();
        box.Seed("etc/apparmor.d/unix-chkpwd", ComplainProfile, (UnixFileMode)Convert.ToInt32("644", 8));
        var run = box.Run("bootstrap/apparmor.sh.tmpl", new Dictionary<string, string>());
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Calls, Has.None.Matches<string>(c => c.StartsWith("apparmor_parser --replace", StringComparison.Ordinal)));
        Assert.That(run.Unchanged, Has.Some.Contains("a container or chroot cannot enforce AppArmor"));
        Assert.That(box.ReadFile("/etc/apparmor.d/unix-chkpwd"), Does.Not.Contain("complain"), "set for the next boot of a real host");
    }

    // ---- Docker ---------------------------------------------------------------------------------------------

    [Test]
    public void Docker_daemon_json_hardens_the_daemon()
    {
        var json = JsonNode.Parse(File("docker-daemon.json"))!.AsObject();
        Assert.That(json["no-new-privileges"]!.GetValue<bool>(), Is.True);
        Assert.That(json["live-restore"]!.GetValue<bool>(), Is.True);
        Assert.That(json["icc"]!.GetValue<bool>(), Is.False);
        Assert.That(json["log-driver"]!.GetValue<string>(), Is.EqualTo("local"));
        Assert.That(json["log-opts"]!["max-size"]!.GetValue<string>(), Is.EqualTo("20m"));
        Assert.That(json["log-opts"]!["max-file"]!.GetValue<string>(), Is.EqualTo("5"));

        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/docker.sh.tmpl", HostSamples.Docker);
        Assert.That(run.Calls, Has.Some.Matches<string>(c => c.StartsWith("dockerd --validate --config-file ", StringComparison.Ordinal)), run.ToString());
        Assert.That(box.ReadFile("/etc/docker/daemon.json"), Is.EqualTo(File("docker-daemon.json")));

        // A rejected daemon.json changes nothing.
        using var rejected = new ScriptSandbox();
        var failed = rejected.Run("bootstrap/docker.sh.tmpl", HostSamples.Docker, "dockerd");
        Assert.That(failed.Result.ExitCode, Is.Not.Zero);
        Assert.That(System.IO.File.Exists(Path.Combine(rejected.Root, "etc/docker/daemon.json")), Is.False);
    }

    [Test]
    public void The_compose_stacks_talk_over_boma_edge_so_icc_off_does_not_cut_them()
    {
        // icc=false only cuts the default bridge; every service of askari's stacks is on boma-edge, which boma creates.
        foreach (var template in new[] { "netbird/compose.yaml.tmpl", "caddy/compose.yaml.tmpl", "caddy/compose.gandi.yaml.tmpl" })
        {
            var text = HostTemplates.Render(template, HostSamples.Templates[template]);
            var services = Regex.Matches(text, @"(?m)^  ([a-z-]+):$").Select(m => m.Groups[1].Value).Where(s => s != "boma-edge").ToList();
            Assert.That(services, Is.Not.Empty, template);
            var networks = Regex.Count(text, @"(?m)^    networks:\n      - boma-edge$");
            Assert.That(networks, Is.EqualTo(services.Count), $"{template}: every service joins boma-edge");
            Assert.That(text, Does.Contain("boma-edge:\n    external: true"), template);
            Assert.That(text, Does.Not.Contain("network_mode"), template);
        }
    }

    // ---- updates --------------------------------------------------------------------------------------------

    [Test]
    public void Needrestart_runs_in_automatic_mode()
    {
        // needrestart reads its conf.d files as Perl: evaluate the snippet as it does and read the settings back.
        var perl = HostTool.Require("perl", "perl");
        var conf = Temp("60-boma.conf", File("needrestart-60-boma.conf"));
        var result = HostTool.Run(perl, ["-e",
            "our %nrconf = (override_rc => {}); my $r = do $ARGV[0]; die \"$@$!\" unless defined $r; " +
            "print join(' ', $nrconf{restart}, $nrconf{kernelhints}, $nrconf{ucodehint}, grep { 'netbird' =~ $_ } keys %{$nrconf{override_rc}}), \"\\n\"",
            conf]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Match(@"^a -1 0 \(\?\^:\^netbird\)\n$"), result.ToString());

        var broken = HostTool.Run(perl, ["-e", "our %nrconf; my $r = do $ARGV[0]; die \"$@$!\" unless defined $r;", Temp("bad.conf", "$nrconf{restart} = 'a'\n$nrconf{x} = 1;\n")]);
        Assert.That(broken.ExitCode, Is.Not.Zero, "a syntax error must show");
    }

    [Test]
    public void Reboot_units_pass_systemd_analyze_verify()
    {
        var analyze = HostTool.Require("systemd-analyze", "systemd");
        using var box = new ScriptSandbox();
        Assert.That(box.Run("bootstrap/updates.sh.tmpl", new Dictionary<string, string> { ["reboot_window"] = "03:15" }).Result.ExitCode, Is.Zero);
        var units = Directory.CreateDirectory(Path.Combine(box.Dir, "units")).FullName;
        var script = Path.Combine(box.Root, "usr/local/sbin/boma-reboot-if-required");
        System.IO.File.WriteAllText(Path.Combine(units, "boma-reboot.service"),
            box.ReadFile("/etc/systemd/system/boma-reboot.service").Replace("/usr/local/sbin/boma-reboot-if-required", script, StringComparison.Ordinal));
        var timer = box.ReadFile("/etc/systemd/system/boma-reboot.timer");
        Assert.That(timer, Does.Contain("OnCalendar=*-*-* 03:15:00\n").And.Contain("Persistent=false"));
        System.IO.File.WriteAllText(Path.Combine(units, "boma-reboot.timer"), timer);

        var result = HostTool.Run(analyze, ["verify", "--man=no", Path.Combine(units, "boma-reboot.service"), Path.Combine(units, "boma-reboot.timer")]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Not.Contain("boma-reboot"), result.ToString());
        var calendar = HostTool.Run(analyze, ["calendar", "*-*-* 03:15:00"]);
        Assert.That(calendar.ExitCode, Is.Zero, calendar.ToString());

        // The check can fail: a unit whose ExecStart is missing is rejected.
        System.IO.File.Delete(script);
        var broken = HostTool.Run(analyze, ["verify", "--man=no", Path.Combine(units, "boma-reboot.service")]);
        Assert.That(broken.ExitCode, Is.Not.Zero, broken.ToString());
    }

    [Test]
    public void A_window_of_off_disables_the_timer_and_a_bad_window_is_refused()
    {
        using var box = new ScriptSandbox();
        var on = box.Run("bootstrap/updates.sh.tmpl", HostSamples.Updates);
        Assert.That(on.Calls, Has.Some.EqualTo("systemctl enable boma-reboot.timer").And.Some.EqualTo("systemctl start boma-reboot.timer"), on.ToString());

        var off = box.Run("bootstrap/updates.sh.tmpl", new Dictionary<string, string> { ["reboot_window"] = "off" });
        Assert.That(off.Calls, Has.Some.EqualTo("systemctl disable --now boma-reboot.timer"), off.ToString());
        var offAgain = box.Run("bootstrap/updates.sh.tmpl", new Dictionary<string, string> { ["reboot_window"] = "off" });
        Assert.That(offAgain.Changed, Is.Empty, offAgain.ToString());

        var ex = Assert.Throws<ArgumentException>(() => HostTemplates.Render("bootstrap/updates.sh.tmpl", new Dictionary<string, string> { ["reboot_window"] = "4am" }));
        Assert.That(ex!.Message, Does.Contain("reboot_window"));
    }

    private static ToolResult RunWithFakeTools(string script, string root, Dictionary<string, string> tools)
    {
        var bin = Directory.CreateDirectory(Path.Combine(root, "..", "fake-bin")).FullName;
        foreach (var (name, body) in tools)
        {
            var path = Path.Combine(bin, name);
            System.IO.File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            System.IO.File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        return HostTool.Run(HostTool.Require("bash", "bash"), [Path.Combine(HostTemplates.Root, "bootstrap", "files", script)],
            new Dictionary<string, string> { ["BOMA_ROOT"] = root, ["PATH"] = $"{bin}:/usr/bin:/bin" });
    }

    [TestCase("no", 90000, "no reboot needed", false)]
    [TestCase("yes", 90000, "rebooted: reboot-required (linux-image-6.12.48+deb13-amd64)", true)]
    [TestCase("yes", 120, "skipped: reboot-required (linux-image-6.12.48+deb13-amd64) (uptime < 1h)", false)]
    public void The_window_reboots_only_when_an_update_asks(string required, int uptime, string logged, bool reboots)
    {
        var root = Directory.CreateTempSubdirectory("boma-reboot-").FullName;
        var box = Directory.CreateDirectory(Path.Combine(root, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(box, "run"));
        Directory.CreateDirectory(Path.Combine(box, "proc"));
        System.IO.File.WriteAllText(Path.Combine(box, "proc/uptime"), $"{uptime}.42 100.00\n");
        if (required == "yes")
        {
            System.IO.File.WriteAllText(Path.Combine(box, "run/reboot-required"), "*** System restart required ***\n");
            System.IO.File.WriteAllText(Path.Combine(box, "run/reboot-required.pkgs"), "linux-image-6.12.48+deb13-amd64\n");
        }

        var calls = Path.Combine(root, "calls");
        var result = RunWithFakeTools("boma-reboot-if-required", box, new()
        {
            ["systemctl"] = $"echo \"systemctl $*\" >>{calls}",
            ["needrestart"] = "echo 'NEEDRESTART-KSTA: 1'",
        });
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(System.IO.File.ReadAllText(Path.Combine(box, "var/lib/boma/updates/last-window")), Does.EndWith($" {logged}\n"));
        Assert.That(System.IO.File.Exists(calls) && System.IO.File.ReadAllText(calls).Contains("systemctl reboot", StringComparison.Ordinal), Is.EqualTo(reboots));
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public void A_newer_kernel_found_by_needrestart_also_opens_the_window()
    {
        var root = Directory.CreateTempSubdirectory("boma-reboot-").FullName;
        var box = Directory.CreateDirectory(Path.Combine(root, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(box, "proc"));
        System.IO.File.WriteAllText(Path.Combine(box, "proc/uptime"), "90000.00 1.00\n");
        var result = RunWithFakeTools("boma-reboot-if-required", box, new()
        {
            ["systemctl"] = "true",
            ["needrestart"] = "echo 'NEEDRESTART-KVER: 6.12.40'; echo 'NEEDRESTART-KSTA: 3'",
        });
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("rebooting: newer kernel installed (needrestart KSTA 3)"));
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public void Update_status_shows_pending_updates_last_run_and_reboot_state()
    {
        var root = Directory.CreateTempSubdirectory("boma-status-").FullName;
        var box = Directory.CreateDirectory(Path.Combine(root, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(box, "run"));
        System.IO.File.WriteAllText(Path.Combine(box, "run/reboot-required"), "*** System restart required ***\n");
        System.IO.File.WriteAllText(Path.Combine(box, "run/reboot-required.pkgs"), "auditd\n");
        Directory.CreateDirectory(Path.Combine(box, "var/log/unattended-upgrades"));
        System.IO.File.WriteAllText(Path.Combine(box, "var/log/unattended-upgrades/unattended-upgrades.log"),
            "2026-12-02 06:12:01,123 INFO Packages that will be upgraded: openssl\n2026-12-02 06:12:40,456 INFO All upgrades installed\n");
        var result = RunWithFakeTools("boma-update-status", box, new()
        {
            ["apt"] = "printf 'Listing...\\nopenssl/trixie-security 3.5.1 amd64 [upgradable from: 3.5.0]\\ncurl/trixie-updates 8.14 amd64 [upgradable from: 8.13]\\n'",
            ["systemctl"] = """
                case "$*" in
                  *"is-enabled --quiet boma-reboot.timer"*) exit 0 ;;
                  *"boma-reboot.timer -p TimersCalendar"*) echo '{ OnCalendar=*-*-* 04:00:00 ; next_elapse=Fri 2026-12-04 04:00:00 UTC }' ;;
                  *"-p NextElapseUSecRealtime"*) echo 'Fri 2026-12-04 04:00:00 UTC' ;;
                  *"-p Result"*) echo success ;;
                  *"-p ExecMainExitTimestamp"*) echo 'Thu 2026-12-03 06:12:41 UTC' ;;
                esac
                """,
            ["needrestart"] = "echo 'NEEDRESTART-VER: 3.11'; echo 'NEEDRESTART-SVC: cron.service'",
            ["hostname"] = "echo askari",
            ["uptime"] = "echo '2026-12-01 04:01:10'",
        });
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split(": ", 2)[0], l => l.Split(": ", 2)[1]);
        Assert.That(lines["host"], Is.EqualTo("askari"));
        Assert.That(lines["pending-updates"], Is.EqualTo("2"));
        Assert.That(lines["pending-security-updates"], Is.EqualTo("1"));
        Assert.That(lines["last-unattended-upgrade-run"], Is.EqualTo("success (Thu 2026-12-03 06:12:41 UTC)"));
        Assert.That(lines["last-unattended-upgrade-log"], Does.EndWith("INFO All upgrades installed"));
        Assert.That(lines["reboot-required"], Is.EqualTo("yes (auditd)"));
        Assert.That(lines["reboot-window"], Is.EqualTo("*-*-* 04:00:00"));
        Assert.That(lines["next-reboot-window"], Is.EqualTo("Fri 2026-12-04 04:00:00 UTC"));
        Assert.That(lines["last-reboot-window"], Is.EqualTo("never"));
        Assert.That(lines["services-to-restart"], Is.EqualTo("cron.service"));
        Assert.That(lines, Does.ContainKey("last-aide-check").And.ContainKey("running-kernel").And.ContainKey("booted-since"));
        Directory.Delete(root, recursive: true);
    }

    // ---- AIDE -----------------------------------------------------------------------------------------------

    private static ToolResult Aide(params string[] args) => HostTool.Run(HostTool.Require("aide", "aide"), args);

    /// <summary>boma's aide.conf with one more line (e.g. a broken rule), as a file AIDE can read.</summary>
    private static string AideConfig(string extra = "") => Temp("aide.conf", File("aide.conf") + extra);

    [TestCase("f:/var/lib/docker/overlay2/abc/diff/etc/passwd", false)]
    [TestCase("d:/var/lib/docker", false)]
    [TestCase("f:/var/lib/netbird/state.json", false)]
    [TestCase("f:/etc/netbird/config.json", false)]
    [TestCase("f:/var/log/journal/abc/system.journal", false)]
    [TestCase("f:/var/log/audit/audit.log", false)]
    [TestCase("f:/var/lib/fail2ban/fail2ban.sqlite3", false)]
    [TestCase("f:/var/log/syslog.1", false)]
    [TestCase("f:/var/log/dpkg.log.2.gz", false)]
    [TestCase("f:/etc/resolv.conf", false)]
    [TestCase("f:/etc/passwd", true)]
    [TestCase("f:/etc/resolv.conf.d/head", true)]
    [TestCase("f:/etc/ssh/sshd_config.d/10-boma.conf", true)]
    [TestCase("f:/usr/sbin/sshd", true)]
    [TestCase("f:/usr/lib/x86_64-linux-gnu/libc.so.6", true)]
    [TestCase("f:/boot/vmlinuz-6.12.0-1-amd64", true)]
    [TestCase("f:/root/.ssh/authorized_keys", true)]
    [TestCase("f:/var/lib/dockerfile-not-docker", false)]
    [TestCase("f:/var/log/auth.log", true)]
    public void Aide_watches_the_system_and_leaves_out_what_changes_by_design(string path, bool checkedByAide)
    {
        var config = AideConfig();
        var check = Aide("--config", config, "--config-check");
        Assert.That(check.ExitCode, Is.Zero, check.ToString());
        var result = Aide("--config", config, $"--path-check={path}");
        Assert.That(result.Stdout, Does.StartWith(checkedByAide ? "[X]" : "[ ]"), result.ToString());
    }

    [Test]
    public void Aide_hashes_content_with_sha512_only()
    {
        // One strong hash (Lynis FINT-4402 asks for SHA-256 or SHA-512): AIDE's own view of the rule applied to a binary.
        var result = Aide("--config", AideConfig(), "--path-check=f:/usr/bin/ls");
        Assert.That(result.Stdout, Does.Match(@"\+sha512\b"), result.ToString());
        Assert.That(result.Stdout, Does.Not.Match(@"\b(md5|sha1|sha256|rmd160|tiger|haval|crc32|whirlpool|gost|stribog256|stribog512)\b"), result.ToString());
    }

    [Test]
    public void Aide_config_check_rejects_a_broken_rule()
    {
        var result = Aide("--config", AideConfig("!/var/lib/(docker\n"), "--config-check");
        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
    }

    [Test]
    public void Aide_check_units_pass_systemd_analyze()
    {
        var dir = Directory.CreateTempSubdirectory("boma-aide-units-").FullName;
        try
        {
            foreach (var unit in new[] { "boma-aide-check.service", "boma-aide-check.timer" })
            {
                System.IO.File.WriteAllText(Path.Combine(dir, unit), File(unit));
            }

            var analyze = HostTool.Run(HostTool.Require("systemd-analyze", "systemd"), ["verify", "--man=no", Path.Combine(dir, "boma-aide-check.timer"), Path.Combine(dir, "boma-aide-check.service")],
                new Dictionary<string, string> { ["SYSTEMD_UNIT_PATH"] = dir + ":" });
            // verify also checks ExecStart's binary exists: aide is installed here (the tests need it).
            Assert.That(analyze.ExitCode, Is.Zero, analyze.ToString());
            Assert.That(analyze.Stderr, Does.Not.Contain("boma-aide-check"), analyze.ToString());
            Assert.That(File("boma-aide-check.service"), Does.Contain("ExecStart=/usr/bin/aide --check --config /etc/aide/aide.conf"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Aide_database_is_built_once_and_rebuilt_when_the_configuration_changes()
    {
        using var box = new ScriptSandbox();
        var first = box.Run("bootstrap/aide.sh.tmpl", new Dictionary<string, string>());
        Assert.That(first.Changed, Has.Some.Contains("AIDE database built"), first.ToString());
        // The aide package alone: aide-common's recommends (cron, a mail server) and its setgid dotlockfile never come.
        Assert.That(first.Calls, Has.Some.Matches<string>(c => c.StartsWith("apt-get install -y -qq --no-install-recommends", StringComparison.Ordinal) && c.EndsWith(" aide", StringComparison.Ordinal)));
        Assert.That(first.Calls, Has.Some.EqualTo("systemctl enable boma-aide-check.timer").And.Some.EqualTo("systemctl start boma-aide-check.timer"));
        Assert.That(first.Calls.Count(c => c.StartsWith("aide --init", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(box.Root, "var/lib/aide/aide.db")), Is.EqualTo("stub AIDE database\n"));
        Assert.That(System.IO.File.Exists(Path.Combine(box.Root, "var/lib/aide/aide.db.new")), Is.False, "the new database became the database");
        Assert.That(System.IO.File.GetUnixFileMode(Path.Combine(box.Root, "etc/aide/aide.conf")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var same = box.Run("bootstrap/aide.sh.tmpl", new Dictionary<string, string>());
        Assert.That(same.Calls, Has.None.StartsWith("aide --init"), same.ToString());

        System.IO.File.AppendAllText(Path.Combine(box.Root, "etc/aide/aide.conf"), "!/srv/x\n");
        var again = box.Run("bootstrap/aide.sh.tmpl", new Dictionary<string, string>());
        Assert.That(again.Changed, Has.Some.Contains("AIDE database rebuilt (configuration changed)"), again.ToString());

        // A config AIDE rejects is put back and nothing else runs.
        using var rejected = new ScriptSandbox();
        var failed = rejected.Run("bootstrap/aide.sh.tmpl", new Dictionary<string, string>(), "aide --config-check");
        Assert.That(failed.Result.ExitCode, Is.Not.Zero);
        Assert.That(failed.Calls, Has.None.StartsWith("aide --init"));
        Assert.That(System.IO.File.Exists(Path.Combine(rejected.Root, "etc/aide/aide.conf")), Is.False);
    }

    [GeneratedRegex(@"^([a-z0-9_.-]+)\s*=\s*([0-9]+)$")]
    private static partial Regex SysctlLine();
}
