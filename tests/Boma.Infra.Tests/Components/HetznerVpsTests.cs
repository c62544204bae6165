// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using NUnit.Framework;
using Boma.Infra.Components;
using Boma.Infra.Tests.Config;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Components;

[TestFixture]
public class HetznerVpsTests
{
    private static Task<TestResult> Build(bool ipv6 = true, bool preview = false) =>
        Deployment.TestAsync(new CloudMocks(), () =>
        {
            var firewall = new HetznerFirewall("askari", new HetznerFirewallArgs
            {
                Name = "askari",
                Policy = FirewallPolicy.Offsite(["203.0.113.7/32"]),
            });
            _ = new HetznerVps("askari", new HetznerVpsArgs
            {
                HostName = "askari",
                Fqdn = "askari.boma.example.org",
                Location = "hel1",
                Image = "debian-13",
                ServerType = "cx23",
                AdminUser = "kim",
                AdminPublicKey = ValidConfig.PublicKey,
                FirewallId = firewall.FirewallId,
                Ipv6 = ipv6,
            });
            return new Dictionary<string, object?>();
        }, new TestOptions { IsPreview = preview });

    [Test]
    public async Task Server_gets_the_firewall_at_creation_and_is_protected_against_replacement()
    {
        var result = (await Build()).Ok();
        var firewall = result.Single("hcloud:index/firewall:Firewall");
        var server = result.Single("hcloud:index/server:Server");
        Assert.Multiple(() =>
        {
            Assert.That(server.Input("firewallIds")!.AsArray().Select(n => n!.GetValue<double>()), Is.EqualTo(new[] { double.Parse(firewall.Id, System.Globalization.CultureInfo.InvariantCulture) }));
            Assert.That(server.Request.Dependencies, Does.Contain(firewall.Urn), "the server waits for the firewall");
            Assert.That(server.Request.IgnoreChanges, Is.EquivalentTo(new[] { "userData", "sshKeys" }));
            Assert.That(server.Request.Protect, Is.True);
            Assert.That(server.InputString("location"), Is.EqualTo("hel1"));
            Assert.That(server.InputString("image"), Is.EqualTo("debian-13"));
            Assert.That(server.InputString("serverType"), Is.EqualTo("cx23"));
            Assert.That(server.InputString("name"), Is.EqualTo("askari"));
        });
    }

    [Test]
    public async Task Server_uses_the_ssh_key_and_the_primary_ips()
    {
        var result = (await Build()).Ok();
        var server = result.Single("hcloud:index/server:Server");
        var key = result.Single("hcloud:index/sshKey:SshKey");
        var ips = result.OfType("hcloud:index/primaryIp:PrimaryIp");
        var v4 = ips.Single(r => r.InputString("type") == "ipv4");
        var v6 = ips.Single(r => r.InputString("type") == "ipv6");
        var net = server.Input("publicNets")!.AsArray().Single()!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(server.Input("sshKeys")!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { key.Id }));
            Assert.That(key.InputString("publicKey"), Is.EqualTo(ValidConfig.PublicKey));
            Assert.That(net["ipv4"]!.GetValue<double>().ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(v4.Id));
            Assert.That(net["ipv6"]!.GetValue<double>().ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(v6.Id));
            Assert.That(v4.Input("autoDelete")!.GetValue<bool>(), Is.False, "a rebuild keeps the address");
            Assert.That(v4.Request.Protect && v6.Request.Protect, Is.True);
        });
    }

    [Test]
    public async Task Cloud_init_creates_the_admin_with_the_key_and_turns_root_off()
    {
        var result = (await Build()).Ok();
        var userData = result.Single("hcloud:index/server:Server").InputString("userData")!;
        Assert.Multiple(() =>
        {
            Assert.That(userData, Does.StartWith("#cloud-config"));
            Assert.That(userData, Does.Contain("name: kim"));
            Assert.That(userData, Does.Contain(ValidConfig.PublicKey));
            Assert.That(userData, Does.Contain("disable_root: true"));
            Assert.That(userData, Does.Contain("ssh_pwauth: false"));
        });
    }

    [Test]
    public async Task Rdns_points_each_address_at_the_fqdn()
    {
        var result = (await Build()).Ok();
        var rdns = result.OfType("hcloud:index/rdns:Rdns");
        Assert.That(rdns.Select(r => (r.InputString("ipAddress"), r.InputString("dnsPtr"))), Is.EquivalentTo(new[]
        {
            (CloudMocks.Ipv4, "askari.boma.example.org"),
            (CloudMocks.ServerIpv6, "askari.boma.example.org"),
        }));
    }

    [Test]
    public async Task Without_ipv6_there_is_no_ipv6_address_or_rdns()
    {
        var result = (await Build(ipv6: false)).Ok();
        Assert.That(result.OfType("hcloud:index/primaryIp:PrimaryIp").Select(r => r.InputString("type")), Is.EqualTo(new[] { "ipv4" }));
        Assert.That(result.OfType("hcloud:index/rdns:Rdns"), Has.Count.EqualTo(1));
        var net = result.Single("hcloud:index/server:Server").Input("publicNets")!.AsArray().Single()!.AsObject();
        Assert.That(net["ipv6Enabled"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task In_a_preview_cloud_values_are_unknown_but_the_firewall_is_still_wired()
    {
        var result = (await Build(preview: true)).Ok();
        var server = result.Single("hcloud:index/server:Server");
        var firewall = result.Single("hcloud:index/firewall:Firewall");
        Assert.That(server.Request.Dependencies, Does.Contain(firewall.Urn));
        Assert.That(server.Request.PropertyDependencies["firewallIds"].Urns, Does.Contain(firewall.Urn));
    }

    [Test]
    public async Task Every_child_hangs_off_the_component()
    {
        var result = (await Build()).Ok();
        var vps = result.Single(HetznerVps.TypeToken);
        var children = result.Registrations.Where(r => r.Request.Type.StartsWith("hcloud:", StringComparison.Ordinal)
                                                        && r.Request.Type != "hcloud:index/firewall:Firewall");
        Assert.That(children.Select(r => r.Request.Parent).Distinct(), Is.EqualTo(new[] { vps.Urn }));
    }
}
