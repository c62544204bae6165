using NUnit.Framework;
using System.Runtime.Versioning;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// The ruleset the nftables script installs, checked with the real nft. Every nft call runs inside
/// `unshare -rn` (a fresh user + network namespace), so loading rules there never touches the machine's
/// own firewall; that also lets the tests load the file for real next to Docker/fail2ban/NetBird-like tables.
/// If user namespaces are not available the check-only (`nft -c`) test falls back to plain root.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)] // Independent temp dirs; the external tools dominate the run time.
[SupportedOSPlatform("linux")]
public sealed class NftablesTests
{
    // Stand-ins for the tables other software keeps; a boma reload must never remove them.
    private const string ForeignTables = """
        table ip filter {
        	chain DOCKER-USER {
        	}
        	chain FORWARD {
        		type filter hook forward priority filter; policy drop;
        		jump DOCKER-USER
        	}
        }
        table inet f2b-table {
        	chain f2b-chain {
        		type filter hook input priority filter - 1; policy accept;
        	}
        }
        table inet netbird {
        	chain netbird-rt-fwd {
        	}
        }

        """;

    private static readonly string[] DeclareThenDelete = ["table inet boma", "delete table inet boma"];

    private static (string Conf, string DropIn) Installed(Dictionary<string, string> values)
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/nftables.sh.tmpl", values);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Calls, Has.Some.StartsWith("nft -c -f"), "the script must check the ruleset before installing it");
        return (box.ReadFile("/etc/nftables.conf"), box.ReadFile("/etc/systemd/system/nftables.service.d/10-boma.conf"));
    }

    /// <summary>Runs a shell snippet in a fresh user+network namespace; files are passed as $1, $2, ...</summary>
    private static ToolResult InNamespace(string snippet, params string[] files)
    {
        HostTool.Require("nft", "nftables");
        var unshare = HostTool.Require("unshare", "util-linux");
        return HostTool.Run(unshare, ["-rn", "sh", "-ec", "PATH=/usr/sbin:/sbin:$PATH\n" + snippet, "sh", .. files]);
    }

    private static string WriteTemp(string text)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, text);
        return path;
    }

    public static IEnumerable<TestCaseData> Values()
    {
        yield return new TestCaseData(HostSamples.NftablesAskari).SetArgDisplayNames("askari");
        yield return new TestCaseData(HostSamples.NftablesCluster).SetArgDisplayNames("cluster");
        yield return new TestCaseData(HostSamples.NftablesClusterDns).SetArgDisplayNames("cluster-dns");
    }

    [TestCaseSource(nameof(Values))]
    public void Ruleset_passes_nft_check(Dictionary<string, string> values)
    {
        var conf = WriteTemp(Installed(values).Conf);
        try
        {
            var check = InNamespace("nft -c -f \"$1\"", conf);
            if (check.ExitCode != 0 && check.Stderr.Contains("unshare", StringComparison.Ordinal))
            {
                // No user namespaces here: a check-only run as root changes nothing either.
                check = HostTool.Run(HostTool.Require("nft", "nftables"), ["-c", "-f", conf]);
            }

            Assert.That(check.ExitCode, Is.Zero, check.ToString());
        }
        finally
        {
            File.Delete(conf);
        }
    }

    [Test]
    public void Nft_check_really_rejects_a_broken_ruleset()
    {
        var conf = WriteTemp(Installed(HostSamples.NftablesAskari).Conf + "add element inet boma tcp_public { 70000 }\n");
        try
        {
            var check = InNamespace("nft -c -f \"$1\"", conf);
            Assert.That(check.ExitCode, Is.Not.Zero, check.ToString());
        }
        finally
        {
            File.Delete(conf);
        }
    }

    [Test]
    public void Never_flushes_the_whole_ruleset()
    {
        var (conf, dropIn) = Installed(HostSamples.NftablesAskari);
        var statements = conf.Split('\n').Where(l => !l.TrimStart().StartsWith('#'));
        Assert.That(statements, Has.None.Contain("flush"));
        Assert.That(statements.Where(l => l.Length > 0).Take(2), Is.EqualTo(DeclareThenDelete));
        Assert.That(conf, Does.StartWith("#!/usr/sbin/nft -f\n"));
        Assert.That(dropIn, Does.Contain("\nExecStop=\nExecStop=-/usr/sbin/nft delete table inet boma\n"));
        Assert.That(dropIn.Split('\n').Where(l => !l.StartsWith('#')), Has.None.Contain("flush"));
    }

    [Test]
    public void Loading_twice_keeps_foreign_tables_and_holds_the_askari_policy()
    {
        var foreign = WriteTemp(ForeignTables);
        var conf = WriteTemp(Installed(HostSamples.NftablesAskari).Conf);
        try
        {
            var run = InNamespace("nft -f \"$1\"; nft -f \"$2\"; nft -f \"$2\"; nft list ruleset", foreign, conf);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var ruleset = run.Stdout;
            Assert.That(ruleset, Does.Contain("table ip filter").And.Contain("table inet f2b-table").And.Contain("table inet netbird"));
            Assert.That(ruleset.Split("table inet boma").Length - 1, Is.EqualTo(1), ruleset);
            Assert.That(ruleset, Does.Contain("policy drop;"));
            Assert.That(ruleset, Does.Contain("ct state established,related accept"));
            Assert.That(ruleset, Does.Contain("iifname \"wt0\" tcp dport 22 accept"));
            Assert.That(ruleset, Does.Match(@"set tcp_public \{[^}]*elements = \{ 80, 443 \}"));
            Assert.That(ruleset, Does.Match(@"set udp_public \{[^}]*elements = \{ 3478 \}"));
            Assert.That(ruleset, Does.Match(@"set ssh_wan_v4 \{[^}]*elements = \{ 0\.0\.0\.0/0 \}"));
            Assert.That(ruleset, Does.Match(@"set ssh_wan_v6 \{[^}]*elements = \{ ::/0 \}"));
            Assert.That(ruleset, Does.Match(@"set public_v4 \{[^}]*elements = \{ 0\.0\.0\.0/0 \}"), "askari's public ports are open to everyone");
            Assert.That(ruleset, Does.Match(@"set public_v6 \{[^}]*elements = \{ ::/0 \}"));
        }
        finally
        {
            File.Delete(foreign);
            File.Delete(conf);
        }
    }

    [Test]
    public void A_dns_vm_answers_53_from_its_lan_only_and_the_mesh_reaches_ssh_alone()
    {
        // The ruleset as the real nft loads it (in a throw-away namespace): 53 is accepted from the LAN's addresses only,
        // so the admins' LAN (SSH only), other networks and the mesh (which admits only SSH) never reach it.
        var conf = WriteTemp(Installed(HostSamples.NftablesClusterDns).Conf);
        try
        {
            var run = InNamespace("nft -f \"$1\"; nft list table inet boma", conf);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stdout, Does.Match(@"set tcp_public \{[^}]*elements = \{ 53 \}"));
            Assert.That(run.Stdout, Does.Match(@"set udp_public \{[^}]*elements = \{ 53 \}"));
            Assert.That(run.Stdout, Does.Match(@"set public_v4 \{[^}]*elements = \{ 192\.168\.20\.0/24 \}"));
            Assert.That(run.Stdout, Does.Match(@"set public_v6 \{\s*type ipv6_addr\s*flags interval\s*auto-merge\s*\}"), "no IPv6 source");
            Assert.That(run.Stdout, Does.Contain("ip saddr @public_v4 udp dport @udp_public accept"));
            Assert.That(run.Stdout, Does.Contain("ip saddr @public_v4 tcp dport @tcp_public accept"));
            Assert.That(run.Stdout, Does.Not.Match(@"\n\s*(tcp|udp) dport @(tcp|udp)_public accept"), "no rule opens the role's ports to every source");
            Assert.That(run.Stdout, Does.Contain("iifname \"wt0\" tcp dport 22 accept"));
        }
        finally
        {
            File.Delete(conf);
        }
    }

    [Test]
    public void Cluster_values_open_nothing_public_and_ssh_only_from_the_lan()
    {
        var conf = WriteTemp(Installed(HostSamples.NftablesCluster).Conf);
        try
        {
            var run = InNamespace("nft -f \"$1\"; nft list table inet boma", conf);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stdout, Does.Match(@"set tcp_public \{\s*type inet_service\s*\}"));
            Assert.That(run.Stdout, Does.Match(@"set udp_public \{\s*type inet_service\s*\}"));
            Assert.That(run.Stdout, Does.Match(@"set ssh_wan_v4 \{[^}]*elements = \{ 192\.168\.10\.0/24 \}"));
            Assert.That(run.Stdout, Does.Match(@"set ssh_wan_v6 \{[^}]*elements = \{ fd00:10::/64 \}"));
        }
        finally
        {
            File.Delete(conf);
        }
    }

    [Test]
    public void Service_stop_command_removes_only_the_boma_table()
    {
        var foreign = WriteTemp(ForeignTables);
        var (confText, dropIn) = Installed(HostSamples.NftablesAskari);
        var conf = WriteTemp(confText);
        var stop = dropIn.Split('\n').Last(l => l.StartsWith("ExecStop=-", StringComparison.Ordinal))["ExecStop=-".Length..];
        try
        {
            var run = InNamespace($"nft -f \"$1\"; nft -f \"$2\"; {stop}; nft list tables", foreign, conf);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stdout, Does.Not.Contain("inet boma"));
            Assert.That(run.Stdout, Does.Contain("ip filter").And.Contain("inet f2b-table").And.Contain("inet netbird"));
        }
        finally
        {
            File.Delete(foreign);
            File.Delete(conf);
        }
    }

    [TestCase("public_tcp_ports", "80,443")]
    [TestCase("ssh_wan_sources", "0.0.0.0/0; flush ruleset")]
    [TestCase("mesh_interface", "wt0\" accept")]
    public void Bad_values_are_rejected_before_anything_is_rendered(string key, string value)
    {
        var values = new Dictionary<string, string>(HostSamples.NftablesAskari) { [key] = value };
        Assert.That(() => Boma.Infra.Hosts.HostTemplates.Render("bootstrap/nftables.sh.tmpl", values),
            Throws.ArgumentException.With.Message.Contain($"'{key}'"));
    }
}
