using Boma.Infra.Config;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// The bootstrap step that moves a cluster VM from its first-boot resolvers (<c>boma:network.bootstrapDns</c>, set by
/// cloud-init) to <c>boma:network.dns</c> once every DNS VM answers (hosts/cluster/resolvers.sh.tmpl). It runs before
/// the mesh enrolment, which needs names (pkgs.netbird.io, the coordinator) while the DNS VMs may not serve yet.
/// </summary>
internal static class ClusterResolvers
{
    public const string Role = "resolvers";

    public const string Template = "cluster/resolvers.sh.tmpl";

    public static BootstrapStep Step(ClusterNetworkSettings network, string searchDomain)
    {
        ArgumentNullException.ThrowIfNull(network);
        var script = HostTemplates.Render(Template, new Dictionary<string, string>
        {
            ["dns_servers"] = string.Join(' ', network.DnsServers.Select(server => server.ToString())),
            ["search_domain"] = searchDomain,
        });
        return new BootstrapStep(Role, Template, Output.Create(script));
    }
}
