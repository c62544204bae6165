using Boma.Infra.Rehearsal;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>
/// The rehearsals' Lynis measurement (rehearsal/LynisAudit.cs, rehearsal/lab/lynis-audit.sh, docs/lynis.md): the
/// report parsed as Lynis writes it, every finding held against the classification, and the audit script installing,
/// auditing and purging exactly what it added (with apt, dpkg-query and lynis as recording stand-ins on PATH).
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LynisAuditTests
{
    // The shape of lynis 3.1's report.dat lines (a trimmed real report: key=value, findings as ID|text|details|solution|).
    private const string Report = """
        lynis_version=3.1.4
        tests_executed=ACCT-9622|AUTH-9208|BOOT-5122|SSH-7408|KRNL-6000|
        warning[]=FIRE-4512|iptables module(s) loaded, but no rules active|-|-|
        suggestion[]=SSH-7408|Consider hardening SSH configuration|AllowTcpForwarding (set YES to NO)|-|
        suggestion[]=SSH-7408|Consider hardening SSH configuration|ClientAliveCountMax (set 3 to 2)|-|
        suggestion[]=BOOT-5122|Set a password on GRUB boot loader to prevent altering boot configuration|-|-|
        hardening_index=71
        boma_lynis_added=e2fsprogs lynis
        """;

    private static readonly string[] Warnings = ["FIRE-4512"];
    private static readonly string[] Suggestions =
    [
        "SSH-7408 (AllowTcpForwarding (set YES to NO))", "SSH-7408 (ClientAliveCountMax (set 3 to 2))", "BOOT-5122",
    ];

    private static readonly string[] Unexplained = ["SSH-7408 (ClientAliveCountMax (set 3 to 2))", "BOOT-5122"];

    [Test]
    public void The_report_gives_the_index_the_test_count_and_every_finding_with_its_detail()
    {
        var r = LynisAudit.Parse(Report);
        Assert.Multiple(() =>
        {
            Assert.That(r.Version, Is.EqualTo("3.1.4"));
            Assert.That(r.HardeningIndex, Is.EqualTo(71));
            Assert.That(r.Tests, Is.EqualTo(5));
            Assert.That(r.Warnings.Select(w => w.Key), Is.EqualTo(Warnings));
            Assert.That(r.Suggestions.Select(s => s.Key), Is.EqualTo(Suggestions));
            Assert.That(r.Added, Is.EqualTo("e2fsprogs lynis"));
        });
    }

    [Test]
    public void A_report_without_an_index_is_an_error_not_a_zero()
    {
        var e = Assert.Throws<FormatException>(() => LynisAudit.Parse("lynis_version=3.1.4\n"));
        Assert.That(e!.Message, Does.Contain("hardening_index"));
    }

    [Test]
    public void A_finding_is_explained_by_its_test_id_or_by_its_id_and_detail_and_otherwise_listed()
    {
        var classification = LynisAudit.Classification("""
            | Lynis test | what it says | status |
            | --- | --- | --- |
            | `FIRE-4512` | iptables loaded, no rules | not applicable: boma's rules are nftables |
            | `SSH-7408 (AllowTcpForwarding (set YES to NO))` | forwarding | fixed |
            """);
        var unexplained = LynisAudit.Unexplained(LynisAudit.Parse(Report), classification);
        Assert.That(unexplained.Select(f => f.Key), Is.EqualTo(Unexplained));
        var text = LynisAudit.Comparison("askari", LynisAudit.Parse(Report.Replace("hardening_index=71", "hardening_index=58", StringComparison.Ordinal)), LynisAudit.Parse(Report), classification);
        Assert.That(text, Does.Contain("| hardening index | 58 | 71 |"));
        Assert.That(text, Does.Contain("| suggestion | `BOOT-5122` |").And.Contain("**UNEXPLAINED**"));
    }

    [Test]
    public void Every_status_in_docs_lynis_md_is_fixed_accepted_or_not_applicable_with_a_reason()
    {
        var classification = LynisAudit.Classification(File.ReadAllText(Tools.Repo("docs", "lynis.md")));
        Assert.That(classification, Is.Not.Empty);
        foreach (var (id, status) in classification)
        {
            Assert.That(status, Does.Match("^(fixed|accepted|not applicable)\\b.{8,}"), $"docs/lynis.md, {id}: the status must be fixed / accepted / not applicable with its reason");
        }
    }

    [Test]
    public async Task The_audit_script_passes_shellcheck()
    {
        var path = Tools.Repo("rehearsal", "lab", "lynis-audit.sh");
        var result = await Tools.RunAsync(Tools.Require("shellcheck"), ["--severity=style", path]);
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
    }

    [Test]
    public async Task The_audit_script_installs_lynis_audits_and_purges_lynis_again()
    {
        var dir = Directory.CreateTempSubdirectory("boma-lynis-").FullName;
        try
        {
            var bin = Path.Combine(dir, "bin");
            Directory.CreateDirectory(bin);
            var calls = Path.Combine(dir, "calls");
            File.WriteAllText(Path.Combine(dir, "installed"), "bash\ncoreutils\n");
            // dpkg-query lists the installed set; apt-get install adds lynis (and its dependency) and makes the lynis
            // command appear; lynis writes its report where --report-file says.
            Stub(bin, "dpkg-query", $"cat '{dir}/installed'");
            Stub(bin, "apt-get", $"""
                echo "apt-get $*" >>'{calls}'
                case "$*" in
                  *install*lynis*) printf 'e2fsprogs\nlynis\n' >>'{dir}/installed'
                    printf '#!/bin/bash\necho "lynis $*" >>"{calls}"\nwhile [[ $# -gt 0 ]]; do [[ $1 == --report-file ]] && printf "lynis_version=3.1.4\nhardening_index=64\nwarning[]=X-1|w|-|-|\nother=1\n" >"$2"; shift; done\n' >'{bin}/lynis'
                    chmod +x '{bin}/lynis' ;;
                esac
                """);
            var r = await Tools.RunAsync("/bin/bash", [Tools.Repo("rehearsal", "lab", "lynis-audit.sh")],
                env: new Dictionary<string, string> { ["PATH"] = $"{bin}:/usr/bin:/bin" });
            Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
            var log = File.ReadAllLines(calls);
            Assert.Multiple(() =>
            {
                Assert.That(r.Stdout, Does.Contain("hardening_index=64").And.Contain("warning[]=X-1|w|-|-|").And.Not.Contain("other=1"));
                Assert.That(r.Stdout, Does.Contain("boma_lynis_added=e2fsprogs lynis"));
                Assert.That(log, Has.Some.Matches<string>(l => l.StartsWith("apt-get install", StringComparison.Ordinal) && l.Contains("--no-install-recommends lynis", StringComparison.Ordinal)));
                Assert.That(log, Has.Some.Matches<string>(l => l.StartsWith("lynis audit system --quick", StringComparison.Ordinal)));
                // Only lynis goes again: e2fsprogs is Protected in Debian 13 (and a real image has it).
                Assert.That(log[^1], Is.EqualTo("apt-get purge -y -qq lynis"));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Stub(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
