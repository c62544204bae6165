using Boma.Infra.Rehearsal;
using Boma.Infra.Rehearsal.Deploy;
using Boma.Infra.Stacks;
using Boma.Infra.Tests.Stacks;
using NUnit.Framework;

namespace Boma.Infra.Tests.Rehearsal;

/// <summary>
/// The cluster rehearsal's plan without a lab: the real cluster program on the deploy executor, its StackReference
/// answered by given offsite outputs, and the NoCloud seed rendered from a registered VM as Proxmox's drive would.
/// </summary>
[TestFixture]
public sealed class ClusterRehearsalPlanTests
{
    // Shaped like a NetBird setup key and a management URL; what an offsite deploy's outputs would hold.
    private const string SetupKey = "C0FFEE00-1111-4222-8333-444455556666";
    private const string ManagementUrl = "https://netbird.askari.example.net";

    private string _dir = null!;

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("boma-cluster-plan-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private DeployInputs Inputs()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        return new DeployInputs
        {
            Config = ClusterStackConfigFile.Source(config, secrets),
            Ipv4 = "192.168.20.11",
            StateDirectory = Path.Combine(_dir, "state"),
            Stack = ClusterStack.Name,
            Program = source => ClusterStack.Run(source).Outputs,
            StackReferenceOutputs = new Dictionary<string, object?>
            {
                ["serversSetupKey"] = SetupKey,
                ["managementUrl"] = ManagementUrl,
                ["askariIpv4"] = "198.18.1.10",
            },
            StackReferenceSecrets = new HashSet<string> { "serversSetupKey" },
        };
    }

    [Test]
    public async Task The_offsite_outputs_reach_the_enrolment_and_the_coordinator_pin()
    {
        var graph = await DeployRunner.PlanAsync(Inputs(), CancellationToken.None);

        var mesh = graph.Steps.Single(s => s.Name == "kazi1-mesh");
        var pin = graph.Steps.Single(s => s.Name == "kazi1-hosts-pin");
        Assert.Multiple(() =>
        {
            Assert.That(mesh.Inputs["stdin"] as string, Does.Contain($"NB_SETUP_KEY='{SetupKey}'").And.Contain($"MANAGEMENT_URL='{ManagementUrl}'"));
            Assert.That(pin.Inputs["stdin"] as string, Does.Contain("ADDRESS='198.18.1.10'"));
            // The resolvers step runs before the enrolment on every VM.
            Assert.That(graph.Steps.Select(s => s.Name).ToList().IndexOf("kazi1-resolvers"), Is.LessThan(graph.Steps.Select(s => s.Name).ToList().IndexOf("kazi1-mesh")));
            Assert.That(graph.CloudResources.Count(r => r.Type == "proxmoxve:index/vmLegacy:VmLegacy"), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task The_seed_is_what_the_proxmox_drive_carries_with_the_first_boot_resolvers()
    {
        var graph = await DeployRunner.PlanAsync(Inputs(), CancellationToken.None);

        var seed = Path.Combine(_dir, "seed");
        var resolv = ClusterRehearsal.WriteSeed(graph, "mlinzi1", seed, Path.Combine(_dir, "mlinzi1.resolv.conf"));

        var userData = await File.ReadAllTextAsync(Path.Combine(seed, "user-data"));
        Assert.Multiple(async () =>
        {
            Assert.That(userData, Does.StartWith("#cloud-config\n").And.Contain("user: kim\n").And.Contain("hostname: mlinzi1\n"));
            Assert.That(userData, Does.Contain("  - 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFxMeMuWmaqXwXSEQrSqzt+tFv0U9fKgoveF5Ap8O/s0 kim@laptop'\n"));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(seed, "vendor-data")), Does.Contain("qemu-guest-agent").And.StartWith("#cloud-config"));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(seed, "meta-data")), Does.Contain("local-hostname: mlinzi1"));
            // The router (boma:network.bootstrapDns), not mlinzi1/2, which serve nothing at first boot.
            Assert.That(await File.ReadAllTextAsync(resolv), Is.EqualTo("search boma.example.net\nnameserver 192.168.20.1\n"));
        });
    }
}
