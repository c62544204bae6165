using System.Text;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

/// <summary>
/// Renders the inventory into the two files other tools consume, from the templates in <c>hosts/cluster/</c>:
/// an Ansible inventory (YAML, one group per role) and a zone fragment with the internal A records.
/// Each template covers one line shape; this class only repeats them per group and host.
/// </summary>
internal static class ClusterInventoryRenderer
{
    public static string AnsibleInventory(ClusterInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var text = new StringBuilder(HostTemplates.Render("cluster/ansible-inventory.yaml.tmpl", new Dictionary<string, string>
        {
            ["admin_user"] = inventory.AdminUser,
            ["domain"] = inventory.Domain,
            ["mesh_domain"] = inventory.MeshDomain,
        }));
        foreach (var group in inventory.ByRole())
        {
            text.Append(HostTemplates.Render("cluster/ansible-group.yaml.tmpl", new Dictionary<string, string> { ["role"] = group.Key }));
            foreach (var host in group)
            {
                text.Append(HostTemplates.Render("cluster/ansible-host.yaml.tmpl", new Dictionary<string, string>
                {
                    ["host"] = host.Host,
                    ["address"] = host.Address,
                    ["fqdn"] = host.Fqdn,
                    ["mesh_name"] = host.MeshName,
                    ["node"] = host.Node,
                    ["vmid"] = ClusterInventory.Invariant(host.VmId),
                }));
            }
        }

        return text.ToString();
    }

    public static string ZoneFragment(ClusterInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var text = new StringBuilder(HostTemplates.Render("cluster/zone-fragment.tmpl", new Dictionary<string, string> { ["zone"] = inventory.Zone }));
        foreach (var host in inventory.Hosts)
        {
            text.Append(HostTemplates.Render("cluster/zone-record.tmpl", new Dictionary<string, string>
            {
                ["fqdn"] = host.Fqdn,
                ["ttl"] = ClusterInventory.Invariant(ClusterInventory.RecordTtl),
                ["address"] = host.Address,
            }));
        }

        return text.ToString();
    }
}
