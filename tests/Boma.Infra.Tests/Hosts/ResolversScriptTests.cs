using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Boma.Infra.Hosts;
using Boma.Infra.Tests.HostFiles;
using NUnit.Framework;

namespace Boma.Infra.Tests.Hosts;

/// <summary>
/// hosts/cluster/resolvers.sh.tmpl and the boma-dns-switch it installs, run for real in a sandbox root: the VM keeps
/// its first-boot resolvers until every DNS VM answers a real DNS query (UDP responders on loopback stand in for
/// mlinzi1/2), then switches once and stays switched.
/// </summary>
[TestFixture]
[SupportedOSPlatform("linux")] // Host scripts and their tools only exist on Linux.
public sealed class ResolversScriptTests
{
    private const string Template = "cluster/resolvers.sh.tmpl";

    private const string FirstBoot = "# written by cloud-init at first boot\nnameserver 192.168.20.1\nsearch boma.example.net\n";

    private static readonly Dictionary<string, string> Values = new()
    {
        ["dns_servers"] = "127.0.0.1 127.0.0.2",
        ["search_domain"] = "boma.example.net",
    };

    private static readonly UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private ScriptSandbox _sandbox = null!;
    private int _port;
    private readonly List<UdpClient> _responders = [];

    [SetUp]
    public void CreateSandbox()
    {
        _sandbox = new ScriptSandbox();
        _sandbox.Seed("etc/resolv.conf", FirstBoot, Mode0644);
        // The step runs "tool boma-dns-switch": in test mode that is the stub dir, so it points at the installed program.
        File.CreateSymbolicLink(Path.Combine(_sandbox.StubBin, "boma-dns-switch"), Path.Combine(_sandbox.Root, "usr/local/sbin/boma-dns-switch"));
        // A free UDP port on loopback that neither responder holds yet.
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    [TearDown]
    public void RemoveSandbox()
    {
        foreach (var responder in _responders)
        {
            responder.Dispose();
        }

        _sandbox.Dispose();
    }

    /// <summary>A DNS server that answers every query with REFUSED (the id echoed, QR set): serving, not resolving.</summary>
    private void Answer(string address)
    {
        var udp = new UdpClient(new IPEndPoint(IPAddress.Parse(address), _port));
        _responders.Add(udp);
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var query = await udp.ReceiveAsync();
                    var reply = query.Buffer.ToArray();
                    reply[2] |= 0x80;
                    reply[3] = (byte)((reply[3] & 0xF0) | 5);
                    await udp.SendAsync(reply, query.RemoteEndPoint);
                }
            }
            catch (ObjectDisposedException)
            {
            }
            catch (SocketException)
            {
            }
        });
    }

    private ScriptRun Run() => _sandbox.Run(Template, Values, null, new Dictionary<string, string> { ["BOMA_DNS_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Test]
    public void WhileTheDnsVmsServeNothingTheFirstBootResolversStay()
    {
        var run = Run();

        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(_sandbox.ReadFile("/etc/resolv.conf"), Is.EqualTo(FirstBoot));
        Assert.That(run.Unchanged, Has.Some.Contains("kept: first-boot resolvers").And.Contains("127.0.0.1 127.0.0.2 do not answer yet"));
        Assert.That(_sandbox.ReadFile("/etc/boma/dns.conf"), Does.Contain("DNS_SERVERS=127.0.0.1 127.0.0.2\n"));
        // The timer keeps trying after the deploy: the DNS VMs may start serving later.
        Assert.That(_sandbox.ReadFile("/etc/systemd/system/boma-dns-switch.timer"), Does.Contain("OnUnitActiveSec=5min"));
        Assert.That(run.Calls, Has.Some.EqualTo("systemctl enable boma-dns-switch.timer"));
    }

    [Test]
    public void OneSilentDnsVmKeepsTheFirstBootResolvers()
    {
        Answer("127.0.0.1");

        var run = Run();

        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(_sandbox.ReadFile("/etc/resolv.conf"), Is.EqualTo(FirstBoot));
        Assert.That(run.Unchanged, Has.Some.EndsWith("; 127.0.0.2 do not answer yet"));
    }

    [Test]
    public void OnceEveryDnsVmAnswersTheVmSwitchesOnceAndStays()
    {
        Answer("127.0.0.1");
        Answer("127.0.0.2");

        var first = Run();
        Assert.That(first.Result.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Changed, Has.Some.EqualTo("changed: resolvers are boma:network.dns (127.0.0.1 127.0.0.2)"));
        Assert.That(_sandbox.ReadFile("/etc/resolv.conf"), Is.EqualTo(
            "# Managed by boma (boma-dns-switch): boma:network.dns, which answered.\nsearch boma.example.net\n" +
            "nameserver 127.0.0.1\nnameserver 127.0.0.2\noptions timeout:2 attempts:2\n"));

        // A by-hand re-run changes nothing, and a DNS VM going silent later never flips the VM back.
        var again = Run();
        Assert.That(again.Lines[^1], Is.EqualTo("summary: 0 changed"), again.ToString());
        foreach (var responder in _responders)
        {
            responder.Dispose();
        }

        var silent = Run();
        Assert.That(silent.Lines[^1], Is.EqualTo("summary: 0 changed"), silent.ToString());
        Assert.That(_sandbox.ReadFile("/etc/resolv.conf"), Does.Contain("nameserver 127.0.0.2\n"));
    }

    [Test]
    public void WithSystemdResolvedTheSwitchIsAResolvedDropIn()
    {
        File.Delete(Path.Combine(_sandbox.Root, "etc/resolv.conf"));
        File.CreateSymbolicLink(Path.Combine(_sandbox.Root, "etc/resolv.conf"), "../run/systemd/resolve/stub-resolv.conf");
        Answer("127.0.0.1");
        Answer("127.0.0.2");

        var run = Run();

        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(_sandbox.ReadFile("/etc/systemd/resolved.conf.d/50-boma-dns.conf"), Does.Contain("[Resolve]\nDNS=127.0.0.1 127.0.0.2\nDomains=~. boma.example.net\n"));
        Assert.That(File.ResolveLinkTarget(Path.Combine(_sandbox.Root, "etc/resolv.conf"), false)!.ToString(), Does.Contain("stub-resolv.conf"), "resolved's stub stays");
    }

    [Test]
    public void ShellcheckAcceptsTheStepAndTheProgram()
    {
        var step = Path.Combine(_sandbox.Dir, "resolvers.sh");
        File.WriteAllText(step, HostTemplates.Render(Template, Values));
        var program = Path.Combine(HostTemplates.Root, "cluster", "files", "boma-dns-switch");
        foreach (var file in new[] { step, program })
        {
            var result = HostTool.Run(HostTool.Require("shellcheck", "shellcheck"), ["-s", "bash", "-S", "warning", file]);
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
        }
    }

    [Test]
    public void TheTemplateTakesTheServersAndTheSearchDomainOnly() =>
        Assert.That(HostTemplates.ParameterNames(Template), Is.EqualTo(Values.Keys.Order(StringComparer.Ordinal)));
}
