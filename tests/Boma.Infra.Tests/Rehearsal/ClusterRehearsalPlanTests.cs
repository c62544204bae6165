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
    private const string DnsKey = "D0D0D0D0-1111-4222-8333-444455556666";
    private const string StorageKey = "5A5A5A5A-1111-4222-8333-444455556666";

    private string _dir = null!;

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("boma-cluster-plan-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private DeployInputs Inputs(IReadOnlyDictionary<string, object?>? outputs = null, IReadOnlySet<string>? exclude = null)
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        return new DeployInputs
        {
            Config = ClusterStackConfigFile.Source(config, secrets),
            Ipv4 = "192.168.20.11",
            StateDirectory = Path.Combine(_dir, "state"),
            Stack = ClusterStack.Name,
            Program = source => ClusterStack.Run(source).Outputs,
            StackReferenceOutputs = outputs ?? new Dictionary<string, object?>
            {
                // The offsite stack's role keys (secret map), as its deploy exports them.
                ["clusterSetupKeys"] = new Dictionary<string, object?> { ["dns"] = DnsKey, ["docker"] = SetupKey, ["storage"] = StorageKey },
                ["managementUrl"] = ManagementUrl,
                ["askariIpv4"] = "198.18.1.10",
            },
            StackReferenceSecrets = new HashSet<string> { "clusterSetupKeys" },
            ExcludeDependentsOf = exclude ?? new HashSet<string>(),
        };
    }

    [Test]
    public async Task Part_one_leaves_out_exactly_the_steps_that_need_the_offsite_outputs_and_part_two_runs_only_those()
    {
        // Part 1, while askari deploys: placeholders for the outputs, the StackReference's dependents left out.
        var placeholders = new Dictionary<string, object?>
        {
            ["clusterSetupKeys"] = new Dictionary<string, object?> { ["dns"] = "PLACEHOLDER-KEY-dns", ["docker"] = "PLACEHOLDER-KEY-docker", ["storage"] = "PLACEHOLDER-KEY-storage" },
            ["managementUrl"] = "https://placeholder.invalid",
            ["askariIpv4"] = "198.51.100.254",
        };
        var shell = new FakeRemoteShell();
        var early = await (await DeployRunner.PlanAsync(Inputs(placeholders, new HashSet<string> { ClusterRehearsal.StackReferenceType }), CancellationToken.None))
            .ExecuteAsync(shell, new ExecuteHooks(), CancellationToken.None);

        var left = early.Steps.Where(s => s.Action == DeployAction.Excluded).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        string[] needOffsite = ["aide", "hosts-pin", "mesh", "resolvers"];
        var vms = early.Steps.Select(s => s.Name.Split('-')[0]).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(early.Succeeded, Is.True, early.Failure);
            // The coordinator pin reads askariIpv4, the enrolment the key and URL; the resolvers step and AIDE come after.
            Assert.That(left, Is.EqualTo(vms.SelectMany(vm => needOffsite.Select(step => $"{vm}-{step}")).Order(StringComparer.Ordinal).ToList()));
            Assert.That(early.Ran.Select(s => s.Name), Does.Contain("kazi1-base").And.Contain("mlinzi1-auditd"));
            Assert.That(shell.Calls.Any(c => (c.Stdin ?? "").Contains("PLACEHOLDER", StringComparison.Ordinal) || (c.Stdin ?? "").Contains("198.51.100.254", StringComparison.Ordinal)), Is.False);
        });

        // Part 2, with the real outputs: what ran is unchanged and skips; only what was left out runs, once.
        var rest = await (await DeployRunner.PlanAsync(Inputs(), CancellationToken.None)).ExecuteAsync(shell, new ExecuteHooks(), CancellationToken.None);
        var (passed, evidence) = ClusterRehearsal.Converged(early, rest);
        Assert.Multiple(() =>
        {
            Assert.That(rest.Ran.Select(s => s.Name).Order(StringComparer.Ordinal), Is.EqualTo(left));
            Assert.That(passed, Is.True, evidence);
        });

        // And the converge check notices a step run twice.
        var (twice, why) = ClusterRehearsal.Converged(early, early);
        Assert.That(twice, Is.False, why);
    }

    [Test]
    public async Task The_offsite_outputs_reach_the_enrolment_and_the_coordinator_pin()
    {
        var graph = await DeployRunner.PlanAsync(Inputs(), CancellationToken.None);

        var mesh = graph.Steps.Single(s => s.Name == "kazi1-mesh");
        var pin = graph.Steps.Single(s => s.Name == "kazi1-hosts-pin");
        Assert.Multiple(() =>
        {
            // kazi1 is a docker VM: the docker role's key, never another role's.
            Assert.That(mesh.Inputs["stdin"] as string, Does.Contain($"NB_SETUP_KEY='{SetupKey}'").And.Contain($"MANAGEMENT_URL='{ManagementUrl}'").And.Not.Contain(DnsKey));
            Assert.That(graph.Steps.Single(s => s.Name == "mlinzi1-mesh").Inputs["stdin"] as string, Does.Contain($"NB_SETUP_KEY='{DnsKey}'"));
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
