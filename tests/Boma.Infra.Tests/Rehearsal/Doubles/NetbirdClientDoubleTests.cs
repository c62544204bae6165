using System.Text.Json.Nodes;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Rehearsal.Doubles;

/// <summary>
/// The netbird client double: the real client's flags and cobra's refusals, and a whole enrolment — the product's
/// scripts and enrol-peer.sh against the server double — inside throw-away user/network/PID namespaces.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NetbirdClientDoubleTests
{
    private static string Client => Tools.Repo("rehearsal", "doubles", "netbird-client", "netbird");

    private static Task<Tools.Result> Run(string root, params string[] args) =>
        Tools.RunAsync(Tools.Require("bash"), [Client, .. args], env: new Dictionary<string, string> { ["NB_DOUBLE_ROOT"] = root });

    [TestCase("up", "--bogus", "unknown flag: --bogus")]
    [TestCase("up", "-x", "unknown shorthand flag: 'x' in -x")]
    [TestCase("up", "--setup-key", "flag needs an argument: --setup-key")]
    [TestCase("up", "--json", "unknown flag: --json")] // a status flag is not an up flag
    [TestCase("status", "--hostname-x", "unknown flag: --hostname-x")]
    [TestCase("status", "--json=maybe", "invalid argument \"maybe\" for \"--json\" flag")]
    [TestCase("down", "--ipv4", "unknown flag: --ipv4")]
    [TestCase("service", "install --interface-name wt0", "unknown flag: --interface-name")]
    [TestCase("version", "--detail", "unknown flag: --detail")]
    [TestCase("frobnicate", "", "unknown command \"frobnicate\" for \"netbird\"")]
    public async Task Unknown_flags_and_commands_are_refused_as_cobra_refuses_them(string command, string args, string message)
    {
        var root = Directory.CreateTempSubdirectory("boma-nb-client-").FullName;
        try
        {
            var result = await Run(root, [.. command.Split(' '), .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Stderr, Does.StartWith("Error: " + message));
            Assert.That(Directory.EnumerateFileSystemEntries(root), Is.Empty, "a refused command changes nothing");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task The_flags_boma_uses_are_accepted_and_up_needs_the_daemon_first()
    {
        var root = Directory.CreateTempSubdirectory("boma-nb-client-").FullName;
        try
        {
            // enrol-peer.sh and netbird-enrol.sh.tmpl: these parse; without a daemon the real client cannot connect either.
            var up = await Run(root, "up", "--management-url", "https://netbird.boma.test", "--setup-key-file", "/nonexistent", "--hostname", "askari");
            Assert.That(up.ExitCode, Is.EqualTo(1));
            Assert.That(up.Stderr, Does.StartWith("Error: failed to connect to daemon").And.Contain("netbird service install"));
            foreach (var args in new[] { new[] { "status", "--json" }, ["status", "--ipv4"], ["status", "-d"], ["down"], ["up", "-m", "https://x", "-k", "KEY", "-n", "h"] })
            {
                var r = await Run(root, args);
                Assert.That(r.Stderr, Does.Contain("failed to connect to daemon"), string.Join(' ', args));
            }

            Assert.That((await Run(root, "service", "install", "--service-env", "NB_LOG_LEVEL=debug")).ExitCode, Is.Zero);
            var unit = File.ReadAllText(Path.Combine(root, "etc", "systemd", "system", "netbird.service"));
            Assert.That(unit, Does.Contain("ExecStart=/usr/bin/netbird service run").And.Contain("WantedBy=multi-user.target"));
            Assert.That((await Run(root, "service", "install")).ExitCode, Is.EqualTo(1), "a second install is refused (the unit exists)");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task Version_prints_the_pinned_server_version()
    {
        var version = await Run("/nonexistent", "version");
        Assert.That((version.ExitCode, version.Stdout), Is.EqualTo((0, Boma.Infra.Config.NetbirdConfig.Version + "\n")));
    }

    [Test]
    public async Task Enrolment_through_the_products_scripts_configures_wt0_and_is_listed_as_a_peer()
    {
        Tools.Require("unshare");
        Tools.Require("jq");
        Tools.Require("dotnet");
        var work = Directory.CreateTempSubdirectory("boma-nb-e2e-").FullName;
        try
        {
            var config = await DoubleServer.RenderConfigAsync(work);
            var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "netbird-server-double.dll");
            var run = await Tools.RunAsync(Tools.Require("unshare"),
                ["-rnpf", "--mount-proc", "bash", Tools.Repo("tests", "Boma.Infra.Tests", "Rehearsal", "Doubles", "enrol-e2e.sh"), Tools.RepoRoot, dll, config, work, Boma.Infra.Config.NetbirdConfig.Version]);
            string Read(string name) => File.Exists(Path.Combine(work, name)) ? File.ReadAllText(Path.Combine(work, name)).Trim() : $"<no {name}>";
            Assert.That(run.ExitCode, Is.Zero, run.Stderr + Read("server.log"));
            Assert.That(Read("finished"), Is.EqualTo("finished"));

            var ip = Read("ip-first");
            Assert.That(ip, Does.Match(@"^100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.\d+\.\d+$"), "an address in 100.64.0.0/10");
            Assert.That(Read("ip-second"), Is.EqualTo(ip), "the second run keeps the address");
            Assert.That(Read("enrol-second.log"), Does.Contain("already connected"));
            Assert.That(Read("wt0"), Is.EqualTo(ip + "/16"));

            var status = JsonNode.Parse(Read("status.json"))!;
            Assert.That(status["management"]!["url"]!.GetValue<string>(), Is.EqualTo("http://127.0.0.1:8081"));
            Assert.That(status["management"]!["connected"]!.GetValue<bool>(), Is.True);
            Assert.That(status["netbirdIp"]!.GetValue<string>(), Is.EqualTo(ip + "/16"));
            Assert.That(status["fqdn"]!.GetValue<string>(), Is.EqualTo("askari.boma.example.org"), "the account's dns_domain");
            Assert.That(status["daemonVersion"]!.GetValue<string>(), Is.EqualTo("0.72.4"));
            Assert.That(Read("status.txt"), Does.Contain("\nManagement: Connected\n"), "what netbird-enrol.sh.tmpl greps");

            Assert.That(Read("one-off-again.rc"), Is.EqualTo("1"));
            Assert.That(Read("one-off-again.err"), Does.Contain("setup key is invalid"));
            var peers = JsonNode.Parse(Read("peers.json"))!.AsArray();
            Assert.That(peers.Select(p => p!["name"]!.GetValue<string>()), Is.EquivalentTo(PeerNames));
            var askari = peers.Single(p => p!["name"]!.GetValue<string>() == "askari")!;
            Assert.That(askari["ip"]!.GetValue<string>(), Is.EqualTo(ip));
            Assert.That(askari["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()), Is.EquivalentTo(AskariGroups), "All plus the key's auto group");

            Assert.That(Read("wt0-after-down"), Is.EqualTo("0"), "down removes the address");
            Assert.That(Read("ipv4-after-down"), Is.Empty);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static readonly string[] PeerNames = ["askari", "laptop1"];
    private static readonly string[] AskariGroups = ["All", "infra"];
}
