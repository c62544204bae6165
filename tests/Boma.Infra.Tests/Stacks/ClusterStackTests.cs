// Expected-value arrays in assertions run once per test; hoisting them to fields would only hide them.
#pragma warning disable CA1861
using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Hosts;
using Boma.Infra.Policy;
using Boma.Infra.Tests.Components;
using Boma.Pulumi;
using Boma.Pulumi.Testing;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

[TestFixture]
public sealed class ClusterStackTests
{
    private static readonly string[] StepRoles = ["base", "docker", "fail2ban", "baseline", "sshd", "nftables", "journald", "apparmor", "updates", "auditd", "hosts-pin", "resolvers", "mesh", "aide"];

    private static TestOptions Options(Action<Dictionary<string, string>>? edit = null)
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        edit?.Invoke(config);
        return new TestOptions { ProjectName = "boma", StackName = "cluster", Config = config, SecretKeys = secrets };
    }

    private static Task<TestResult> Run(ClusterMocks? mocks = null, Action<Dictionary<string, string>>? edit = null)
    {
        var options = Options(edit);
        return Deployment.TestAsync(mocks ?? new ClusterMocks(), Entry.ProgramFor("cluster", options.SecretKeys)!, options);
    }

    private static void EditMesh(Dictionary<string, string> config, Action<JsonObject> edit)
    {
        var mesh = JsonNode.Parse(config["boma:mesh"])!.AsObject();
        edit(mesh);
        config["boma:mesh"] = mesh.ToJsonString();
    }

    /// <summary>The JSON text of a value with every secret-wrapped part cut out: what a reader sees in clear.</summary>
    private static string Plain(JsonNode? value) => value switch
    {
        _ when WireValue.IsSecret(value) => "\"[secret]\"",
        JsonObject o => "{" + string.Join(",", o.Select(p => $"\"{p.Key}\":{Plain(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Plain)) + "]",
        null => "null",
        _ => value.ToJsonString(),
    };

    [Test]
    public async Task TheWholeStackSatisfiesEveryInvariantInTheRuleFile()
    {
        var result = (await Run()).Ok();

        var violations = new InvariantEvaluator(RuleSet.LoadDefault()).Check(result.Views(), EnforcementPoint.UnitTests);

        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    [Test]
    public async Task TheInvariantCheckFailsWhenAVmLosesItsGuards()
    {
        var result = (await Run()).Ok();
        var views = result.Views().Select(v => v.Type == "proxmoxve:index/vmLegacy:VmLegacy"
            ? v with { Protect = false, IgnoreChanges = [] }
            : v).ToList();

        var violations = new InvariantEvaluator(RuleSet.LoadDefault()).Check(views, EnforcementPoint.UnitTests);

        Assert.That(violations.Select(v => v.RuleId), Is.SupersetOf(new[] { "server-ignore-changes", "protected-types-protected" }));
    }

    [Test]
    public async Task EachUsedNodeGetsOneImageAndOneSnippetSharedByItsVms()
    {
        var result = (await Run()).Ok();
        var images = result.OfType("proxmoxve:download/file:File");
        var snippets = result.OfType("proxmoxve:index/fileLegacy:FileLegacy");
        var vms = result.OfType("proxmoxve:index/vmLegacy:VmLegacy");

        Assert.That(images.Select(i => i.InputString("nodeName")), Is.EquivalentTo(new[] { "pve1", "pve2" }));
        Assert.That(snippets.Select(i => i.InputString("nodeName")), Is.EquivalentTo(new[] { "pve1", "pve2" }));
        Assert.That(vms, Has.Count.EqualTo(4));
        foreach (var vm in vms)
        {
            var node = vm.InputString("nodeName");
            var image = images.Single(i => i.InputString("nodeName") == node);
            var snippet = snippets.Single(i => i.InputString("nodeName") == node);
            Assert.That(vm.Input("disks")![0]!["importFrom"]!.GetValue<string>(), Is.EqualTo(image.Id), vm.Urn);
            Assert.That(vm.Input("initialization")!["vendorDataFileId"]!.GetValue<string>(), Is.EqualTo(snippet.Id), vm.Urn);
        }
    }

    [Test]
    public async Task AnUnusedNodeGetsNoImage()
    {
        var result = (await Run(edit: config =>
        {
            var vms = JsonNode.Parse(config["boma:vms"])!.AsArray();
            foreach (var vm in vms)
            {
                vm!["node"] = "pve1";
            }

            config["boma:vms"] = vms.ToJsonString();
        })).Ok();

        Assert.That(result.OfType("proxmoxve:download/file:File").Select(i => i.InputString("nodeName")), Is.EqualTo(new[] { "pve1" }));
    }

    [Test]
    public async Task EveryProxmoxResourceUsesTheExplicitProviderWithTheSecretToken()
    {
        var result = (await Run()).Ok();
        var provider = result.Single("pulumi:providers:proxmoxve");

        Assert.That(WireValue.IsSecret(provider.Inputs["apiToken"]), Is.True);
        Assert.That(provider.InputString("endpoint"), Is.EqualTo("https://pve1.home.arpa:8006/"));
        Assert.That(result.Registrations.Where(r => r.Request.Type.StartsWith("proxmoxve:", StringComparison.Ordinal)).Select(r => r.Request.Provider),
            Is.All.StartsWith(provider.Urn + "::"));
    }

    [Test]
    public async Task EachVmIsBootstrappedOverTheLanByTheSharedComponentAndThenEnrolled()
    {
        var result = (await Run()).Ok();
        var bootstraps = result.OfType(HostBootstrap.TypeToken);
        var vmUrns = result.OfType("proxmoxve:index/vmLegacy:VmLegacy").ToDictionary(v => v.InputString("name")!, v => v.Urn);

        Assert.That(bootstraps.Select(b => b.Request.Name), Is.EquivalentTo(new[] { "mlinzi1", "mlinzi2", "ghala", "kazi1" }));
        var commands = result.OfType("command:remote:Command");
        foreach (var (name, address) in new[] { ("mlinzi1", "192.168.20.11"), ("ghala", "192.168.20.21") })
        {
            var own = commands.Where(c => c.Request.Name.StartsWith(name + "-", StringComparison.Ordinal)).ToList();
            Assert.That(own.Select(c => c.Request.Name), Is.EqualTo(StepRoles.Select(r => $"{name}-{r}")));
            Assert.That(own.Select(c => WireValue.Unwrap(c.Inputs["connection"])!["host"]!.GetValue<string>()), Is.All.EqualTo(address));
            Assert.That(own.Select(c => WireValue.Unwrap(c.Inputs["connection"])!["user"]!.GetValue<string>()), Is.All.EqualTo("kim"));
            // The first command waits for the VM (the component's dependsOn reaches its commands).
            Assert.That(own[0].Request.Dependencies, Does.Contain(vmUrns[name]));
        }
    }

    [Test]
    public async Task TheHardeningOnTheVmsAllowsSshFromTheLanSourcesAndPublishesNothing()
    {
        var result = (await Run()).Ok();
        var nftables = result.OfType("command:remote:Command").Single(c => c.Request.Name == "kazi1-nftables").InputString("stdin")!;
        var pin = result.OfType("command:remote:Command").Single(c => c.Request.Name == "kazi1-hosts-pin").InputString("stdin")!;

        Assert.That(nftables, Does.Contain("SSH_WAN_SOURCES='192.168.20.0/24 192.168.10.0/24'"));
        Assert.That(nftables, Does.Contain("TCP_PORTS=''").And.Contain("UDP_PORTS=''"));
        Assert.That(pin, Does.Contain($"ADDRESS='{ClusterMocks.AskariIpv4}'"));
        Assert.That(pin, Does.Contain("FQDN='netbird.askari.example.net'"));
    }

    [Test]
    public async Task ADnsVmOpensPort53AndTheOtherRolesNothing()
    {
        // A dns VM must answer on 53; with PublicPorts = [] for every VM it never could.
        var result = (await Run()).Ok();
        string Nft(string vm) => result.OfType("command:remote:Command").Single(c => c.Request.Name == $"{vm}-nftables").InputString("stdin")!;
        Assert.Multiple(() =>
        {
            Assert.That(Nft("mlinzi1"), Does.Contain("TCP_PORTS='53'").And.Contain("UDP_PORTS='53'"));
            Assert.That(Nft("mlinzi2"), Does.Contain("TCP_PORTS='53'").And.Contain("UDP_PORTS='53'"));
            Assert.That(Nft("ghala"), Does.Contain("TCP_PORTS=''").And.Contain("UDP_PORTS=''"));
            // From the LAN only (boma:network.subnet), never the admins' LAN or the mesh.
            Assert.That(Nft("mlinzi1"), Does.Contain("PUBLIC_SOURCES='192.168.20.0/24'"));
            Assert.That(Nft("kazi1"), Does.Contain("PUBLIC_SOURCES='192.168.20.0/24'"));
        });
    }

    [Test]
    public async Task EveryVmMovesFromTheFirstBootResolversToTheDnsVmsBeforeItEnrols()
    {
        var result = (await Run()).Ok();
        var commands = result.OfType("command:remote:Command").ToList();
        var resolvers = commands.Single(c => c.Request.Name == "kazi1-resolvers");
        var mesh = commands.Single(c => c.Request.Name == "kazi1-mesh");

        Assert.Multiple(() =>
        {
            Assert.That(resolvers.InputString("stdin"), Does.Contain("DNS_SERVERS='192.168.20.11 192.168.20.12'").And.Contain("SEARCH_DOMAIN='boma.example.net'"));
            // The enrolment needs names (pkgs.netbird.io, the coordinator): it waits for the resolvers step.
            Assert.That(mesh.Request.Dependencies, Does.Contain(resolvers.Urn));
        });
    }

    [Test]
    public async Task TheMeshStepGetsTheOffsiteKeyAsASecretThatLogsNothing()
    {
        var result = (await Run()).Ok();
        var mesh = result.OfType("command:remote:Command").Single(c => c.Request.Name == "ghala-mesh");
        var stdin = WireValue.Unwrap(mesh.Inputs["stdin"])!.GetValue<string>();
        var preamble = $"export {ClusterMeshEnrolment.SetupKeyVariable}='{ClusterMocks.SetupKey}'\n";
        var script = stdin.StartsWith(preamble, StringComparison.Ordinal) ? stdin[preamble.Length..] : stdin;

        Assert.Multiple(() =>
        {
            Assert.That(WireValue.IsSecret(mesh.Inputs["stdin"]), Is.True);
            Assert.That(mesh.InputString("logging"), Is.EqualTo("none"));
            Assert.That(mesh.Request.AdditionalSecretOutputs, Is.SupersetOf(new[] { "stdout", "stderr" }));
            // The key travels only in the export line ahead of the script; the script and its trigger never hold it.
            Assert.That(stdin, Does.StartWith(preamble));
            Assert.That(script, Does.Not.Contain(ClusterMocks.SetupKey));
            Assert.That(script, Does.StartWith("#!/usr/bin/env bash\n"));
            Assert.That(mesh.Input("triggers")!.AsArray().Single()!.GetValue<string>(), Is.EqualTo(HostTemplates.Sha256(script)));
            Assert.That(script, Does.Contain($"MANAGEMENT_URL='{ClusterMocks.ManagementUrl}'"));
            Assert.That(script, Does.Contain("PEER_NAME='ghala'"));
        });
    }

    [Test]
    public async Task TheSetupKeyStaysSecretEvenWhenTheOffsiteStackDidNotMarkIt()
    {
        var result = (await Run(new ClusterMocks(markSetupKeySecret: false))).Ok();
        var mesh = result.OfType("command:remote:Command").Single(c => c.Request.Name == "kazi1-mesh");

        Assert.That(WireValue.IsSecret(mesh.Inputs["stdin"]), Is.True);
    }

    [Test]
    public async Task NoSecretAppearsInClearInAnyInputOrOutput()
    {
        var result = (await Run()).Ok();
        var clear = string.Join("\n", result.Registrations.Select(r => Plain(r.Inputs)))
            + string.Join("\n", result.OutputRegistrations.Select(o => Plain(o.Outputs)));

        Assert.That(clear, Does.Not.Contain(ClusterMocks.SetupKey));
        Assert.That(clear, Does.Not.Contain("00000000-1111-2222-3333-444444444444"));
        Assert.That(clear, Does.Not.Contain("TESTONLYPRIVATEKEYMATERIAL"));
    }

    [Test]
    public async Task TheOutputsAreTheInventoryTheAnsibleFileAndTheZoneFragment()
    {
        var result = (await Run()).Ok();
        var outputs = result.StackOutputs;
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        var inventory = ClusterInventory.From(ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secrets)));

        Assert.That(outputs["ansibleInventory"], Is.EqualTo(ClusterInventoryRenderer.AnsibleInventory(inventory)));
        Assert.That(outputs["zoneFragment"], Is.EqualTo(ClusterInventoryRenderer.ZoneFragment(inventory)));
        Assert.That(outputs["internalZone"], Is.EqualTo("boma.example.net"));
        var hosts = ((System.Collections.IEnumerable)outputs["inventory"]!).Cast<IDictionary<string, object?>>().ToList();
        Assert.That(hosts.Select(h => h["host"]), Is.EqualTo(new[] { "mlinzi1", "mlinzi2", "ghala", "kazi1" }));
        Assert.That(hosts[3]["address"], Is.EqualTo("192.168.20.31"));
        Assert.That(hosts[3]["meshName"], Is.EqualTo("kazi1.boma.example.net"));
        Assert.That(hosts[3]["role"], Is.EqualTo("docker"));
    }

    [Test]
    public async Task EachVmRebootsInItsOwnWindowAndTheDnsVmsNeverTogether()
    {
        var result = (await Run()).Ok();
        var updates = (IDictionary<string, object?>)result.StackOutputs["updates"]!;
        var windows = (IDictionary<string, object?>)updates["rebootWindows"]!;
        Assert.That(windows, Is.EquivalentTo(new Dictionary<string, object?> { ["mlinzi1"] = "04:00", ["mlinzi2"] = "05:00", ["ghala"] = "04:00", ["kazi1"] = "04:00" }));
        Assert.That(updates["statusCommand"], Is.EqualTo("ssh kim@<vm>.boma.example.net sudo boma-update-status"));
        foreach (var (vm, window) in windows)
        {
            var script = result.OfType("command:remote:Command").Single(c => c.Request.Name == $"{vm}-updates").InputString("stdin")!;
            Assert.That(script, Does.Contain($"REBOOT_WINDOW='{window}'"), vm);
        }
    }

    [Test]
    public async Task TheOffsiteStackIsReadByItsConfiguredNameOrTheOrganisationsDefault()
    {
        var configured = new ClusterMocks();
        (await Run(configured)).Ok();
        var fallback = new ClusterMocks();
        (await Run(fallback, config => EditMesh(config, mesh => mesh.Remove("offsiteStack")))).Ok();

        Assert.That(configured.ReferencedStacks, Is.EqualTo(new[] { "organization/boma/offsite" }));
        Assert.That(fallback.ReferencedStacks, Is.EqualTo(new[] { "organization/boma/offsite" }));

        var other = new ClusterMocks();
        (await Run(other, config => EditMesh(config, mesh => mesh["offsiteStack"] = "kim/boma/offsite-test"))).Ok();
        Assert.That(other.ReferencedStacks, Is.EqualTo(new[] { "kim/boma/offsite-test" }));
    }

    [Test]
    public async Task AMissingOffsiteOutputIsAClearError()
    {
        var outputs = ClusterMocks.OffsiteOutputs();
        outputs.Remove("serversSetupKey");

        var result = await Run(new ClusterMocks(outputs));

        Assert.That(result.Exception, Is.Not.Null);
        Assert.That(result.Exception!.ToString(), Does.Contain("'serversSetupKey'").And.Contain("organization/boma/offsite"));
    }

    [Test]
    public async Task AnOffsiteOutputOfTheWrongShapeIsAClearError()
    {
        var outputs = ClusterMocks.OffsiteOutputs();
        outputs["askariIpv4"] = new List<object?> { "198.51.100.23" };

        var result = await Run(new ClusterMocks(outputs));

        Assert.That(result.Exception, Is.Not.Null);
        Assert.That(result.Exception!.ToString(), Does.Contain("output 'askariIpv4' of stack 'organization/boma/offsite'").And.Contain("not a string"));
    }

    [Test]
    public async Task AMeshBootstrapConnectsToTheMeshName()
    {
        var result = (await Run(edit: config => EditMesh(config, mesh => mesh["bootstrapVia"] = "mesh"))).Ok();
        var base1 = result.OfType("command:remote:Command").Single(c => c.Request.Name == "mlinzi1-base");

        Assert.That(WireValue.Unwrap(base1.Inputs["connection"])!["host"]!.GetValue<string>(), Is.EqualTo("mlinzi1.boma.example.net"));
    }

    [Test]
    public async Task BadConfigRegistersNothing()
    {
        var result = await Run(edit: config => config["boma:vms"] = config["boma:vms"].Replace("192.168.20.31", "10.0.0.31", StringComparison.Ordinal));

        Assert.That(result.Exception, Is.Not.Null);
        Assert.That(result.Exception!.ToString(), Does.Contain("boma:vms[3].address"));
        Assert.That(result.Registrations.Where(r => r.Request.Type != "pulumi:pulumi:Stack"), Is.Empty);
    }
}
