// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using NUnit.Framework;
using Boma.Infra.Components;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Components;

[TestFixture]
public class HetznerFirewallTests
{
    private static readonly string[] Cidrs = ["203.0.113.7/32", "2001:db8:1234::/48"];

    private static Task<TestResult> Build(FirewallPolicy policy) =>
        Deployment.TestAsync(new CloudMocks(), () =>
        {
            _ = new HetznerFirewall("askari", new HetznerFirewallArgs { Name = "askari", Policy = policy });
            return new Dictionary<string, object?>();
        });

    private static List<(string Protocol, string? Port, string[] Sources, string Description, string Direction)> Rules(TestResult result)
    {
        var firewall = result.Single("hcloud:index/firewall:Firewall");
        return firewall.Input("rules")!.AsArray()
            .Select(r => Boma.Infra.Policy.WireValue.Unwrap(r)!.AsObject())
            .Select(r => (
                r["protocol"]!.GetValue<string>(),
                r["port"]?.GetValue<string>(),
                r["sourceIps"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray(),
                r["description"]!.GetValue<string>(),
                r["direction"]!.GetValue<string>()))
            .ToList();
    }

    [Test]
    public async Task Rules_are_exactly_the_public_ports_and_one_break_glass_ssh_rule()
    {
        var result = (await Build(FirewallPolicy.Offsite(Cidrs))).Ok();
        var rules = Rules(result);
        string[] anywhere = ["0.0.0.0/0", "::/0"];
        Assert.Multiple(() =>
        {
            Assert.That(rules.Select(r => (r.Protocol, r.Port)), Is.EqualTo(new[] { ("tcp", "80"), ("tcp", "443"), ("udp", "3478"), ("udp", "51820"), ("tcp", "22") }));
            Assert.That(rules.All(r => r.Direction == "in"), Is.True, "only inbound rules: an outbound rule would turn outbound into deny-by-default");
            Assert.That(rules[0].Sources, Is.EqualTo(anywhere));
            Assert.That(rules[1].Sources, Is.EqualTo(anywhere));
            Assert.That(rules[2].Sources, Is.EqualTo(anywhere));
            Assert.That(rules[3].Sources, Is.EqualTo(anywhere), "WireGuard to askari's client: direct peer connections, not only the relay");
            Assert.That(rules[4].Sources, Is.EqualTo(Cidrs), "SSH only from the break-glass CIDRs");
            Assert.That(rules[4].Description, Does.StartWith("break-glass:"));
            Assert.That(rules.Count(r => r.Port == "22"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Rules_follow_the_policy_object()
    {
        var policy = FirewallPolicy.Offsite(["192.0.2.0/24"]) with
        {
            PublicPorts = [new PublicPort(443, "tcp", "https only")],
        };
        var rules = Rules((await Build(policy)).Ok());
        Assert.That(rules.Select(r => (r.Protocol, r.Port, string.Join(",", r.Sources))), Is.EqualTo(new[]
        {
            ("tcp", "443", "0.0.0.0/0,::/0"),
            ("tcp", "22", "192.0.2.0/24"),
        }));
    }

    [Test]
    public async Task Firewall_is_named_and_parented_by_the_component()
    {
        var result = (await Build(FirewallPolicy.Offsite(Cidrs))).Ok();
        var component = result.Single(HetznerFirewall.TypeToken);
        var firewall = result.Single("hcloud:index/firewall:Firewall");
        Assert.That(firewall.Request.Parent, Is.EqualTo(component.Urn));
        Assert.That(firewall.Request.Name, Is.EqualTo("askari-firewall"));
        Assert.That(firewall.InputString("name"), Is.EqualTo("askari"));
    }

    [TestCase("0.0.0.0/0")]
    [TestCase("::/0")]
    public void Policy_refuses_ssh_from_anywhere(string cidr)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FirewallPolicy.Offsite([cidr]).InboundRules());
        Assert.That(ex!.Message, Does.Contain("boma:breakGlassCidrs"));
    }

    [Test]
    public void Policy_refuses_no_break_glass_path()
    {
        Assert.Throws<InvalidOperationException>(() => FirewallPolicy.Offsite([]).InboundRules());
    }
}
