using System.Text.Json.Nodes;
using Boma.Infra.Policy;
using NUnit.Framework;
using static Boma.Infra.Tests.Policy.Views;

namespace Boma.Infra.Tests.Policy;

/// <summary>Each rule of the shipped rule file on resources in the recording monitor's wire form.</summary>
[TestFixture]
public class InvariantRulesTests
{
    private const string Server = "hcloud:index/server:Server";
    private const string RemoteCommand = "command:remote:Command";
    private const string Record = "gandi:livedns/record:Record";
    private static readonly InvariantEvaluator Evaluator = new(RuleSet.LoadDefault());

    private static List<Violation> Check(string ruleId, params ResourceView[] resources) =>
        Evaluator.Check(resources, EnforcementPoint.UnitTests).Where(v => v.RuleId == ruleId).ToList();

    [TestCase("22")]
    [TestCase("20-30")]
    [TestCase("any")]
    public void Ssh_world_flags_a_world_rule_covering_port_22(string port)
    {
        var fw = Firewall("fw", FirewallRule(port, "admin", "10.0.0.0/8", "::/0"));

        var violations = Check("ssh-world", fw);

        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0].Urn, Is.EqualTo(fw.Urn));
        Assert.That(violations[0].Message, Does.StartWith("SSH rules[0] together open SSH to the internet: IPv6 sources cover 100.0 %"));
    }

    [Test]
    public void Ssh_world_leaves_other_ports_udp_outbound_and_narrow_sources_alone()
    {
        var udp = FirewallRule("22", "mosh-ish", "0.0.0.0/0");
        udp["protocol"] = "udp";
        var outbound = FirewallRule("22", "out", "0.0.0.0/0");
        outbound["direction"] = "out";
        var fw = Firewall("fw",
            FirewallRule("443", "https", "0.0.0.0/0", "::/0"),
            FirewallRule("23-80", "range", "0.0.0.0/0"),
            FirewallRule("22", "admins", "198.51.100.0/24"),
            udp,
            outbound);

        Assert.That(Check("ssh-world", fw), Is.Empty);
    }

    [Test]
    public void Ssh_world_exempts_no_rule_by_its_description()
    {
        // The break-glass label used to exempt a rule; now only narrow sources pass (docs/invariants.md, ssh-world).
        var open = Firewall("fw", FirewallRule("22", "break-glass: WAN", "0.0.0.0/0", "::/0"));
        var narrow = Firewall("fw", FirewallRule("22", "break-glass: WAN", "203.0.113.7/32", "2001:db8:1234::/48"));

        Assert.That(Check("ssh-world", open), Has.Count.EqualTo(1));
        Assert.That(Check("ssh-world", narrow), Is.Empty);
    }

    [Test]
    public void Ssh_world_flags_the_second_break_glass_rule_even_on_another_firewall()
    {
        var first = Firewall("fw-a", FirewallRule("22", "break-glass: WAN", "203.0.113.7/32"));
        var second = Firewall("fw-b", FirewallRule("2222", "web", "0.0.0.0/0"), FirewallRule("22", "break-glass: office", "203.0.113.9/32"));

        var violations = Check("ssh-world", first, second);

        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0].Urn, Is.EqualTo(second.Urn));
        Assert.That(violations[0].Message, Does.StartWith("rules[1] is break-glass rule number 2, but at most 1 may exist"));
    }

    [Test]
    public void Ssh_world_reads_rules_inside_a_recorded_secret()
    {
        var fw = Custom("hcloud:index/firewall:Firewall", "fw",
            new JsonObject { ["rules"] = Secret(new JsonArray(FirewallRule("22", "oops", "0.0.0.0/0"))) });

        Assert.That(Check("ssh-world", fw), Has.Count.EqualTo(1));
    }

    [Test]
    public void Firewall_at_creation_requires_firewall_ids_on_the_server()
    {
        var missing = Custom(Server, "a", new JsonObject(), protect: true);
        var empty = Custom(Server, "b", new JsonObject { ["firewallIds"] = new JsonArray() }, protect: true);
        var unknown = Custom(Server, "c", new JsonObject { ["firewallIds"] = WireValue.UnknownSentinel }, protect: true);
        var set = Custom(Server, "d", new JsonObject { ["firewallIds"] = new JsonArray(42) }, protect: true);

        var violations = Check("firewall-at-creation", missing, empty, unknown, set);

        Assert.That(violations.Select(v => v.Urn), Is.EqualTo(new[] { missing.Urn, empty.Urn }));
        Assert.That(violations[0].Message, Does.StartWith("firewallIds is not set: pass the Firewall's id"));
        Assert.That(violations[1].Message, Does.StartWith("firewallIds is empty"));
    }

    [Test]
    public void Server_ignore_changes_names_what_is_missing()
    {
        var partial = Custom(Server, "a", ignoreChanges: ["userData"]);
        var full = Custom(Server, "b", ignoreChanges: ["sshKeys", "userData", "labels"]);

        var violations = Check("server-ignore-changes", partial, full);

        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0].Urn, Is.EqualTo(partial.Urn));
        Assert.That(violations[0].Message, Does.StartWith("ignoreChanges lacks sshKeys (a change there would replace the machine)"));
    }

    [Test]
    public void Secret_command_needs_logging_none_and_secret_stdout_stderr()
    {
        var loud = Custom(RemoteCommand, "loud", new JsonObject
        {
            ["connection"] = Secret(new JsonObject { ["host"] = "askari" }),
            ["create"] = "netbird-setup",
            ["environment"] = new JsonObject { ["NB_TOKEN"] = Secret("s3cr3t-value") },
        });
        var half = Custom(RemoteCommand, "half", new JsonObject
        {
            ["stdin"] = Secret("s3cr3t-value"),
            ["logging"] = "none",
        }, secretOutputs: ["stdout"]);

        var violations = Check("secret-command-logging", loud, half);

        Assert.That(violations.Select(v => (v.Urn, v.Message.Split(':')[0])), Is.EqualTo(new[]
        {
            (loud.Urn, "logging is not set (the provider logs stdout and stderr) but it receives a secret in environment"),
            (loud.Urn, "additionalSecretOutputs lacks stdout, stderr but it receives a secret in environment"),
            (half.Urn, "additionalSecretOutputs lacks stderr but it receives a secret in stdin"),
        }));
        Assert.That(string.Join("\n", violations), Does.Not.Contain("s3cr3t-value"));
    }

    [Test]
    public void Secret_command_rule_ignores_commands_whose_only_secret_is_the_connection()
    {
        var plain = Custom(RemoteCommand, "uptime", new JsonObject
        {
            ["connection"] = Secret(new JsonObject { ["privateKey"] = "k" }),
            ["create"] = "uptime",
        });
        var quiet = Custom("command:local:Command", "quiet", new JsonObject
        {
            ["create"] = Secret("curl -H 'Authorization: Bearer x'"),
            ["logging"] = "none",
        }, secretOutputs: ["stdout", "stderr"]);

        Assert.That(Check("secret-command-logging", plain, quiet), Is.Empty);
    }

    [Test]
    public void Secret_command_rule_sees_the_preview_secret_marker()
    {
        var cmd = Custom(RemoteCommand, "c", new JsonObject { ["stdin"] = WireValue.PreviewSecretMarker, ["logging"] = "stdout" },
            secretOutputs: ["stdout", "stderr"]);

        var violations = Check("secret-command-logging", cmd);

        Assert.That(violations.Single().Message, Does.StartWith("logging is 'stdout' but it receives a secret in stdin"));
    }

    [Test]
    public void Parent_required_checks_every_resource_but_the_root_and_default_providers()
    {
        var root = RegistrationAdapter.FromRequest(Root, "pulumi:pulumi:Stack", "boma-test", null, false, false, []);
        var component = RegistrationAdapter.FromRequest(Component, "boma:test:Host", "host", Root, false, false, []);
        var provider = RegistrationAdapter.FromRequest("urn:pulumi:test::boma::pulumi:providers:hcloud::hcloud",
            "pulumi:providers:hcloud", "hcloud", Root, true, false, []);
        var defaultProvider = RegistrationAdapter.FromRequest("urn:pulumi:test::boma::pulumi:providers:random::default_4_18_0",
            "pulumi:providers:random", "default_4_18_0", null, true, false, []);
        var orphanProvider = RegistrationAdapter.FromRequest("urn:pulumi:test::boma::pulumi:providers:gandi::gandi",
            "pulumi:providers:gandi", "gandi", "", true, false, []);
        var child = Custom(Record, "ok");
        var underRoot = Custom(Record, "stray", parent: Root);
        var orphan = Custom(Record, "orphan", parent: null);

        var violations = Check("parent-required", root, component, provider, defaultProvider, orphanProvider, child, underRoot, orphan);

        Assert.That(violations.Select(v => v.Urn), Is.EqualTo(new[] { orphanProvider.Urn, underRoot.Urn, orphan.Urn }));
        Assert.That(violations[1].Message, Does.StartWith("hangs directly off the root stack"));
        Assert.That(violations[2].Message, Does.StartWith("has no parent"));
    }

    [Test]
    public void Protected_types_must_be_protected()
    {
        var server = Custom(Server, "askari");
        var vm = Custom("proxmoxve:index/vmLegacy:VmLegacy", "vm", protect: true);
        var record = Custom(Record, "r");

        var violations = Check("protected-types-protected", server, vm, record);

        Assert.That(violations.Select(v => v.Urn), Is.EqualTo(new[] { server.Urn }));
        Assert.That(violations[0].Message, Is.EqualTo("is not protected: register it with Protect = true"));
    }

    [TestCase(60, true)]
    [TestCase(299, true)]
    [TestCase(300, false)]
    [TestCase(3600, false)]
    public void Dns_ttl_is_at_least_300(int ttl, bool violates)
    {
        var record = Custom(Record, "r", new JsonObject { ["ttl"] = ttl });

        Assert.That(Check("dns-ttl-min", record), Has.Count.EqualTo(violates ? 1 : 0));
    }

    [Test]
    public void Dns_ttl_does_not_judge_unknown_values()
    {
        var record = Custom(Record, "r", new JsonObject { ["ttl"] = WireValue.UnknownSentinel });

        Assert.That(Check("dns-ttl-min", record), Is.Empty);
    }

    [Test]
    public void A_compliant_host_passes_every_unit_test_rule()
    {
        var resources = new[]
        {
            RegistrationAdapter.FromRequest(Root, "pulumi:pulumi:Stack", "boma-test", null, false, false, []),
            RegistrationAdapter.FromRequest(Component, "boma:test:Host", "host", Root, false, false, []),
            Firewall("fw", FirewallRule("443", "https", "0.0.0.0/0", "::/0"), FirewallRule("22", "break-glass: WAN", "203.0.113.7/32", "2001:db8:1234::/48")),
            Custom(Server, "askari", new JsonObject { ["firewallIds"] = new JsonArray(WireValue.UnknownSentinel) }, protect: true,
                ignoreChanges: ["userData", "sshKeys"]),
            Custom(RemoteCommand, "env", new JsonObject { ["stdin"] = Secret("x"), ["logging"] = "none" }, secretOutputs: ["stdout", "stderr"]),
            Custom(Record, "a", new JsonObject { ["ttl"] = 300 }),
        };

        Assert.That(Evaluator.Check(resources, EnforcementPoint.UnitTests), Is.Empty);
    }
}
