// CA1861: expected values read best inline in the assertion.
#pragma warning disable CA1861
using System.Text.RegularExpressions;
using Boma.Infra.Cli;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Config;
using Boma.Pulumi;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Cli;

namespace Boma.Infra.Tests.Stacks;

/// <summary>
/// The two halves of a role's mesh access cannot drift: what each cluster VM's nftables accepts on wt0 (from the cluster
/// stack's rendered nftables step) is exactly what the offsite stack's NetBird policies let reach that VM's groups (the
/// groups its role key puts it in), port by port and protocol by protocol.
/// </summary>
[TestFixture]
public sealed partial class MeshRoleAgreementTests
{
    /// <summary>Per protocol (tcp, udp), the ports the VM's wt0 rules accept.</summary>
    private static async Task<Dictionary<string, (string Role, SortedSet<int> Tcp, SortedSet<int> Udp)>> VmMeshPorts()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        var options = new TestOptions { ProjectName = "boma", StackName = "cluster", Config = config, SecretKeys = secrets };
        var result = (await Deployment.TestAsync(new ClusterMocks(), Entry.ProgramFor("cluster", options.SecretKeys)!, options)).Ok();
        var cluster = ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secrets));
        return cluster.Vms.ToDictionary(vm => vm.Name, vm =>
        {
            var script = result.OfType("command:remote:Command").Single(c => c.Request.Name == $"{vm.Name}-nftables").InputString("stdin")!;
            return (vm.Role, Ports(script, "MESH_TCP_PORTS"), Ports(script, "MESH_UDP_PORTS"));
        });
    }

    private static SortedSet<int> Ports(string script, string variable)
    {
        var match = Regex.Match(script, $"(?m)^{variable}='([0-9 ]*)'$");
        Assert.That(match.Success, Is.True, $"{variable} in the nftables step");
        return [.. match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
    }

    /// <summary>Per protocol, the ports the policies open towards any of <paramref name="groups"/>.</summary>
    private static SortedSet<int> PolicyPorts(IEnumerable<NetbirdPolicySpec> policies, IReadOnlyCollection<string> groups, string protocol) =>
        [.. policies.Where(p => p.Protocol == protocol && p.Destinations.Intersect(groups).Any()).SelectMany(p => p.Ports).Select(int.Parse)];

    /// <summary>Every disagreement between the VMs' wt0 ports and the policies reaching their groups.</summary>
    private static List<string> Disagreements(
        Dictionary<string, (string Role, SortedSet<int> Tcp, SortedSet<int> Udp)> vms, NetbirdConfig netbird, IEnumerable<NetbirdPolicySpec> policies)
    {
        var list = policies.ToList();
        var problems = new List<string>();
        foreach (var (vm, (role, tcp, udp)) in vms)
        {
            var groups = netbird.ClusterRoleKeys.Single(k => k.Role == role).Key.Groups;
            foreach (var (protocol, wt0) in new[] { ("tcp", tcp), ("udp", udp) })
            {
                var mesh = PolicyPorts(list, groups, protocol);
                if (!mesh.SetEquals(wt0))
                {
                    problems.Add($"{vm} ({role}) {protocol}: wt0 accepts [{string.Join(' ', wt0)}], NetBird lets in [{string.Join(' ', mesh)}]");
                }
            }

            // A policy without ports (all, or tcp/udp without ports) would open more than any wt0 set says.
            problems.AddRange(list.Where(p => p.Destinations.Intersect(groups).Any() && p.Protocol is "all" or "tcp" or "udp" && p.Ports.Length == 0)
                .Select(p => $"{vm} ({role}): policy {p.Name} opens every {p.Protocol} port"));
        }

        return problems;
    }

    private static NetbirdConfig DefaultNetbird() =>
        NetbirdSettings.Load(new DictionaryConfigSource(ValidConfig.Values(), ValidConfig.SecretKeys()), "example.org").Netbird;

    [Test]
    public async Task Every_vms_wt0_ports_are_exactly_what_the_netbird_policies_let_reach_its_groups()
    {
        var vms = await VmMeshPorts();
        var netbird = DefaultNetbird();

        Assert.That(vms.Select(v => v.Value.Role).Distinct(), Is.EquivalentTo(netbird.ClusterRoles), "the stack file uses every default role");
        Assert.That(Disagreements(vms, netbird, netbird.AllPolicies), Is.Empty);
        Assert.That(vms["mlinzi1"].Udp, Is.EqualTo(new SortedSet<int> { 53 }), "the dns VM answers DNS over the mesh");
        Assert.That(vms["kazi1"].Tcp, Is.EqualTo(new SortedSet<int> { FirewallPolicy.SshPort }), "docker: SSH only");
    }

    [Test]
    public async Task The_check_fails_when_either_side_opens_what_the_other_does_not()
    {
        var vms = await VmMeshPorts();
        var netbird = DefaultNetbird();

        // NetBird loses the dns udp policy: wt0 would accept what no peer may send.
        var withoutUdp = netbird.AllPolicies.Where(p => p.Name != "cluster-dns-53-udp");
        Assert.That(Disagreements(vms, netbird, withoutUdp), Is.EqualTo(new[]
        {
            "mlinzi1 (dns) udp: wt0 accepts [53], NetBird lets in []",
            "mlinzi2 (dns) udp: wt0 accepts [53], NetBird lets in []",
        }));

        // A policy opens a port to the storage VMs that their wt0 rules do not accept.
        var extra = netbird.AllPolicies.Append(new NetbirdPolicySpec("storage-nfs", "", ["control"], ["cluster-storage"], "tcp", ["2049"], false));
        Assert.That(Disagreements(vms, netbird, extra), Is.EqualTo(new[] { "ghala (storage) tcp: wt0 accepts [22], NetBird lets in [22 2049]" }));

        // A policy with every port to the whole cluster.
        var all = netbird.AllPolicies.Append(new NetbirdPolicySpec("wide", "", ["control"], ["cluster"], "all", [], false));
        Assert.That(Disagreements(vms, netbird, all), Has.Count.EqualTo(4).And.All.Contain("policy wide opens every all port"));
    }
}
