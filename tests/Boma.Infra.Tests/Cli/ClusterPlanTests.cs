using System.Text.Json.Nodes;
using Boma.Infra.Policy;
using Boma.Infra.Stacks;
using NUnit.Framework;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Cli;

[TestFixture]
public sealed class ClusterPlanTests
{
    [Test]
    public async Task TheTextPlanShowsTheTreeTheOutputsAndEveryPlaceholder()
    {
        var (exit, stdout, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "cluster");

        Assert.That(exit, Is.Zero, stderr);
        Assert.Multiple(() =>
        {
            Assert.That(stdout, Does.Match(@" \+   ├─ pulumi:providers:proxmoxve\s+proxmoxve\s+create"));
            Assert.That(stdout, Does.Match(@"proxmoxve:download/file:File\s+image-pve1-file\s+create"));
            Assert.That(stdout, Does.Match(@"proxmoxve:index/vmLegacy:VmLegacy\s+ghala-vm\s+create"));
            Assert.That(stdout, Does.Match(@"command:remote:Command\s+kazi1-mesh\s+create"));
            Assert.That(stdout, Does.Contain("[protect] [ignoreChanges=initialization,cdrom]"));
            Assert.That(stdout, Does.Contain("apiToken: [secret]"));
            Assert.That(stdout, Does.Contain("+ 78 to create"));
            Assert.That(stdout, Does.Contain("boma:proxmoxApiToken = <offline-placeholder:boma:proxmoxApiToken> [secret]"));
            Assert.That(stdout, Does.Contain("boma:sshPrivateKey = <offline-placeholder:boma:sshPrivateKey> [secret]"));
            Assert.That(stdout, Does.Contain("Offsite stack placeholders"));
            Assert.That(stdout, Does.Contain($"serversSetupKey = {ClusterPlanMocks.SetupKeyPlaceholder} [secret]"));
            Assert.That(stdout, Does.Contain($"askariIpv4 = {ClusterPlanMocks.CoordinatorIpv4Placeholder}"));
            Assert.That(stdout, Does.Contain("mlinzi1.boma.example.net"));
        });
    }

    [Test]
    public async Task TheJsonPlanPassesTheGuardRulesAndHidesTheSetupKey()
    {
        var (exit, stdout, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "cluster", "--json");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Not.Contain(ClusterPlanMocks.SetupKeyPlaceholder));
        Assert.That(stderr, Does.Contain("Offsite stack placeholders"));
        var doc = JsonNode.Parse(stdout)!.AsObject();
        Assert.That(doc["outputs"]!["zoneFragment"]!.GetValue<string>(), Does.Contain("ghala.boma.example.net. 300 IN A 192.168.20.21"));
        var preview = PreviewDocument.Parse(stdout);
        var violations = new InvariantEvaluator(RuleSet.LoadDefault()).CheckPreview(preview.Changes, new HashSet<string>());
        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    [Test]
    public async Task HostFilesAreWrittenWithNoSetupKeyInThem()
    {
        var dir = Directory.CreateTempSubdirectory("boma-cluster-plan-").FullName;
        try
        {
            var (exit, _, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "cluster", "--out", dir);

            Assert.That(exit, Is.Zero, stderr);
            Assert.That(File.ReadAllText(Path.Combine(dir, "cluster", "inventory.yaml")), Does.Contain("\"kazi1\":"));
            Assert.That(File.ReadAllText(Path.Combine(dir, "cluster", "boma.example.net.fragment")), Does.Contain("kazi1.boma.example.net. 300 IN A 192.168.20.31"));
            Assert.That(File.Exists(Path.Combine(dir, "cluster", "vendor-data.yaml")), Is.True);
            Assert.That(File.Exists(Path.Combine(dir, "ghala", "bootstrap", "nftables.sh")), Is.True);
            var all = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(File.ReadAllText);
            Assert.That(all, Has.None.Contains(ClusterPlanMocks.SetupKeyPlaceholder));
            // The enrolment script holds no key (it reads NB_SETUP_KEY from the export line ahead of it on stdin), so it is written like the others.
            var enrol = File.ReadAllText(Path.Combine(dir, "kazi1", "cluster", "netbird-enrol.sh"));
            Assert.That(enrol, Does.Contain("PEER_NAME='kazi1'").And.Contain("\"$NB_SETUP_KEY\"").And.Not.Contain("export NB_SETUP_KEY"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task ABadStackFileStopsThePlanWithTheKeyAndTheFix()
    {
        var yaml = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, "Pulumi.cluster.yaml")).Replace("vmid: 2012", "vmid: 2011", StringComparison.Ordinal);
        var dir = PlanRunner.TempProject(yaml, "cluster");
        try
        {
            var (exit, stdout, stderr) = await PlanRunner.RunAsync(dir, "plan", "cluster");

            Assert.That(exit, Is.EqualTo(1));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.Contain("boma:vms[1].vmid").And.Contain("boma:vms[0].vmid").And.Contain("nothing was created"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
