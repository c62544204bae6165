using System.Collections.Immutable;
using System.Globalization;
using Boma.Infra.Config;

namespace Boma.Infra.Components;

/// <summary>One VM as the rest of the homelab sees it: its names, its address, and what it is for.</summary>
internal sealed record ClusterInventoryHost(string Host, string Fqdn, string Address, string MeshName, string Role, string Node, int VmId)
{
    /// <summary>The stack-output form (plain values, camelCase keys).</summary>
    public IDictionary<string, object?> ToOutput() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["host"] = Host,
        ["fqdn"] = Fqdn,
        ["address"] = Address,
        ["meshName"] = MeshName,
        ["role"] = Role,
        ["node"] = Node,
        ["vmId"] = VmId,
    };
}

/// <summary>
/// The cluster's inventory, derived from the validated config alone (no provider output), so the same
/// inventory, Ansible file and zone fragment come out of a preview, an offline plan and an update.
/// </summary>
internal sealed record ClusterInventory(string Domain, string Zone, string MeshDomain, string AdminUser, ImmutableArray<ClusterInventoryHost> Hosts)
{
    /// <summary>TTL of the internal A records.</summary>
    public const int RecordTtl = 300;

    public static ClusterInventory From(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hosts = config.Vms
            .Select(vm => new ClusterInventoryHost(
                vm.Name, config.Fqdn(vm), vm.Address.ToString(), config.Mesh.MeshName(vm.Name), vm.Role, vm.Node, vm.VmId))
            .ToImmutableArray();
        return new ClusterInventory(config.Domain, config.InternalZone, config.Mesh.DnsDomain, config.Admin.User, hosts);
    }

    /// <summary>The roles in first-seen order, each with its hosts in config order.</summary>
    public IEnumerable<IGrouping<string, ClusterInventoryHost>> ByRole() => Hosts.GroupBy(h => h.Role, StringComparer.Ordinal);

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
