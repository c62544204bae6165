// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using NUnit.Framework;
using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using Boma.Infra.Policy;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Config;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Stacks;

[TestFixture]
public class OffsiteStackTests
{
    private static Task<TestResult> Run(Action<Dictionary<string, string>>? edit = null, bool preview = false)
    {
        var options = ValidConfig.Offsite(edit, preview);
        return Deployment.TestAsync(new CloudMocks(), Entry.ProgramFor("offsite", options.SecretKeys)!, options);
    }

    [Test]
    public async Task Askaris_base_step_installs_every_tool_the_netbird_api_scripts_need()
    {
        // Found by the rehearsal: on a fresh Debian 13, netbird-setup failed "jq is not installed" (only the backup step,
        // which runs later, installed jq). The API scripts state their tools with nb_need; the base step must install them.
        var needed = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "hosts", "netbird-api"), "*.sh")
            .SelectMany(File.ReadAllLines)
            .Where(l => l.StartsWith("nb_need ", StringComparison.Ordinal))
            .SelectMany(l => l["nb_need ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet();
        var result = (await Run()).Ok();
        var basis = result.OfType("command:remote:Command").Single(r => r.Request.Name == "askari-base").InputString("stdin")!;
        var installLine = basis.Split('\n').Single(l => l.StartsWith("EXTRA_PACKAGES=", StringComparison.Ordinal))
            + " " + basis.Split('\n').Single(l => l.StartsWith("ensure_packages ", StringComparison.Ordinal));

        Assert.That(needed, Is.SupersetOf(new[] { "curl", "jq" }), "the scan found the scripts' tools");
        foreach (var tool in needed)
        {
            Assert.That(installLine.Split(' ', '\'', '"').Contains(tool), Is.True, $"askari-base does not install {tool}: {installLine}");
        }
    }

    [Test]
    public async Task The_whole_stack_satisfies_every_invariant_in_the_rule_file()
    {
        var result = (await Run()).Ok();
        var evaluator = new InvariantEvaluator(RuleSet.LoadDefault());
        var violations = evaluator.Check(result.Views(), EnforcementPoint.UnitTests);
        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    [Test]
    public async Task The_invariant_check_fails_when_the_server_loses_its_guards()
    {
        // Proves the check above can fail: the same evaluator over the stack with the server's guards stripped.
        var result = (await Run()).Ok();
        var views = result.Views().Select(v => v.Type == "hcloud:index/server:Server"
            ? v with { Protect = false, IgnoreChanges = [], Inputs = new JsonObject() }
            : v).ToList();
        var violations = new InvariantEvaluator(RuleSet.LoadDefault()).Check(views, EnforcementPoint.UnitTests);
        Assert.That(violations.Select(v => v.RuleId), Is.SupersetOf(new[] { "firewall-at-creation", "server-ignore-changes", "protected-types-protected" }));
    }

    [Test]
    public async Task Every_non_root_resource_has_a_parent_and_components_sit_under_the_stack()
    {
        var result = (await Run()).Ok();
        var root = result.Single("pulumi:pulumi:Stack");
        foreach (var r in result.Registrations.Where(r => r != root))
        {
            Assert.That(r.Request.Parent, Is.Not.Empty, r.Urn);
            if (r.Request.Parent == root.Urn)
            {
                Assert.That(r.Request.Type, Does.StartWith("boma:").Or.StartWith("pulumi:providers:"), r.Urn);
            }
        }
    }

    [Test]
    public async Task Askari_never_bans_its_break_glass_sources_and_lets_only_the_admin_log_in()
    {
        var result = (await Run()).Ok();
        var fail2ban = result.Registrations.Single(r => r.Request.Name == "askari-fail2ban").InputString("stdin")!;
        var sshd = result.Registrations.Single(r => r.Request.Name == "askari-sshd").InputString("stdin")!;
        Assert.Multiple(() =>
        {
            Assert.That(fail2ban, Does.Contain("ignoreip = 127.0.0.1/8 ::1 100.64.0.0/10 203.0.113.7/32 2001:db8:1234::/48"));
            Assert.That(sshd, Does.Contain("AllowUsers kim\n"));
        });
    }

    [Test]
    public async Task Hcloud_and_gandi_resources_use_the_explicit_providers()
    {
        var result = (await Run()).Ok();
        var hcloud = result.Single("pulumi:providers:hcloud");
        var gandi = result.Single("pulumi:providers:gandi");
        // "all of them" over none would pass: askari's server, firewall, primary IPs and the DNS records exist.
        Assert.That(result.Registrations.Count(r => r.Request.Type.StartsWith("hcloud:", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(3));
        Assert.That(result.Registrations.Count(r => r.Request.Type.StartsWith("gandi:", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(result.Registrations.Where(r => r.Request.Type.StartsWith("hcloud:", StringComparison.Ordinal)).Select(r => r.Request.Provider),
                Is.All.StartsWith(hcloud.Urn + "::"));
            Assert.That(result.Registrations.Where(r => r.Request.Type.StartsWith("gandi:", StringComparison.Ordinal)).Select(r => r.Request.Provider),
                Is.All.StartsWith(gandi.Urn + "::"));
            Assert.That(WireValue.IsSecret(hcloud.Inputs["token"]), Is.True);
            Assert.That(WireValue.IsSecret(gandi.Inputs["personalAccessToken"]), Is.True);
        });
    }

    [Test]
    public async Task Outputs_are_askaris_addresses_and_names()
    {
        var result = (await Run()).Ok();
        var outputs = result.StackOutputs;
        Assert.Multiple(() =>
        {
            Assert.That(outputs["hostFqdn"], Is.EqualTo("askari.boma.example.org"));
            Assert.That(outputs["coordinatorFqdn"], Is.EqualTo("netbird.askari.example.org"));
            Assert.That(outputs["publicIpv4"], Is.EqualTo(CloudMocks.Ipv4));
            Assert.That(outputs["publicIpv6"], Is.EqualTo(CloudMocks.ServerIpv6));
            Assert.That(outputs["publicFqdns"], Does.Contain("test.askari.example.org"));
            Assert.That(outputs["meshOnlyFqdns"], Is.EqualTo(new[] { "jellyfin.example.org" }));
            var updates = (IDictionary<string, object?>)outputs["updates"]!;
            Assert.That(updates["rebootWindow"], Is.EqualTo("04:00"));
            Assert.That(updates["statusCommand"], Is.EqualTo("ssh kim@askari.boma.example.org sudo boma-update-status"));
        });
    }

    [Test]
    public async Task No_secret_appears_in_plain_text_in_any_registration_or_output()
    {
        var result = (await Run()).Ok();
        var everything = string.Join("\n", result.Registrations.Select(r => WithoutSecrets(r.Inputs)))
                         + string.Join("\n", result.OutputRegistrations.Select(o => WithoutSecrets(o.Outputs)));
        foreach (var secret in ValidConfig.SecretMarkers)
        {
            Assert.That(everything, Does.Not.Contain(secret));
        }

        // Positive control: the secrets are in the registrations, only wrapped; without the unwrapping filter
        // each marker shows up, so the absence above is the filter's doing and not an empty scan.
        var raw = string.Join("\n", result.Registrations.Select(r => r.Inputs.ToJsonString()));
        Assert.That(ValidConfig.SecretMarkers.Where(m => raw.Contains(m, StringComparison.Ordinal)), Is.Not.Empty);
        Assert.That(everything, Does.Contain("[secret]"));
    }

    [Test]
    public async Task Bad_config_stops_before_anything_but_the_root_stack_is_registered()
    {
        var result = await Run(v =>
        {
            v["breakGlassCidrs"] = "[\"0.0.0.0/0\"]";
            v["location"] = "fra1";
        });
        Assert.That(result.Exception, Is.Not.Null);
        Assert.That(result.Exception!.ToString(), Does.Contain("boma:breakGlassCidrs[0]").And.Contain("boma:location"));
        Assert.That(result.Registrations.Select(r => r.Request.Type), Is.All.EqualTo("pulumi:pulumi:Stack"));
    }

    [Test]
    public async Task The_cluster_stack_without_config_reports_its_keys_and_registers_nothing()
    {
        // The cluster stack itself is tested in ClusterStackTests.
        var result = await Deployment.TestAsync(new CloudMocks(), Entry.ProgramFor("cluster")!, new TestOptions { StackName = "cluster" });
        Assert.That(result.Exception?.ToString(), Does.Contain("stack config for 'cluster'").And.Contain("boma:proxmoxApiToken"));
        Assert.That(result.Registrations.Select(r => r.Request.Type), Is.All.EqualTo("pulumi:pulumi:Stack"));
    }

    [TestCase("offsite", true)]
    [TestCase("acme/boma/offsite", true)]
    [TestCase("cluster", true)]
    [TestCase("staging", false)]
    public void Pulumi_stack_names_pick_the_program(string stack, bool known)
    {
        Assert.That(Entry.ProgramFor(stack) is not null, Is.EqualTo(known));
    }

    // Removes the secret-wrapped values: what is left must not contain any secret.
    private static string WithoutSecrets(JsonNode? node) => node switch
    {
        JsonObject o when WireValue.IsSecret(o) => "[secret]",
        JsonObject o => string.Join(",", o.Select(p => p.Key + ":" + WithoutSecrets(p.Value))),
        JsonArray a => string.Join(",", a.Select(WithoutSecrets)),
        null => "null",
        _ => node.ToJsonString(),
    };
}
