using Boma.Infra.Components;
using Boma.Infra.Config;

namespace Boma.Infra.Stacks;

using Pulumi;

/// <summary>
/// The offsite stack: askari, a hardened Hetzner VPS, and the public DNS names. Wiring only: config
/// is loaded and validated first (nothing is registered when it is bad), then the explicit providers,
/// then the components in dependency order.
/// </summary>
internal static class OffsiteStack
{
    public const string Name = "offsite";

    /// <summary>Runs the stack from the <c>boma</c> config namespace (under `pulumi` and in `plan`).</summary>
    public static StackBuild Run(IConfigSource source)
    {
        var config = OffsiteConfigLoader.Load(source, Name);
        return Build(config, NetbirdSettings.Load(source, config.Domain, Name));
    }

    public static StackBuild Build(OffsiteConfig config, NetbirdSettings netbird)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(netbird);
        var naming = config.Naming;
        var host = config.HostName;
        var fqdn = naming.InfraFqdn(host);
        var coordinatorFqdn = naming.OffsiteFqdn(config.CoordinatorService);

        // Explicit providers, one per package that needs credentials; children inherit them through their component.
        var hcloud = new Pulumi.HCloud.Provider("hcloud", new Pulumi.HCloud.ProviderArgs { Token = config.Secrets.HcloudToken });
        var gandi = new Pulumi.Gandi.Provider("gandi", new Pulumi.Gandi.ProviderArgs { PersonalAccessToken = config.Secrets.GandiToken });

        var policy = FirewallPolicy.Offsite(config.BreakGlassCidrs);
        foreach (var cidr in policy.BroadBreakGlassCidrs())
        {
            Log.Warn($"boma:breakGlassCidrs: {cidr} lets a large range reach SSH over the WAN; prefer your own addresses (/32, /128 or a small prefix)");
        }

        var firewall = new HetznerFirewall(host, new HetznerFirewallArgs { Name = host, Policy = policy },
            new ComponentResourceOptions { Providers = [hcloud] });

        var vps = new HetznerVps(host, new HetznerVpsArgs
        {
            HostName = host,
            Fqdn = fqdn,
            Location = config.Location,
            Image = config.Image,
            ServerType = config.ServerType,
            AdminUser = config.AdminUser,
            AdminPublicKey = config.AdminPublicKey,
            FirewallId = firewall.FirewallId,
            Ipv6 = config.Ipv6,
        }, new ComponentResourceOptions { Providers = [hcloud] });

        var dns = new DnsRecords("dns", new DnsRecordsArgs
        {
            Naming = naming,
            Ttl = config.DnsTtl,
            Host = host,
            Ipv4 = vps.Ipv4Address,
            Ipv6 = config.Ipv6 ? vps.Ipv6Address : null,
            OffsiteServices = config.OffsiteServices,
            HomeServices = config.HomeServices,
        }, new ComponentResourceOptions { Providers = [gandi] });

        // askari's one SSH connection, shared by the bootstrap and every compose stack and API command after it.
        var remote = new RemoteHost(new SshTarget(vps.Ipv4Address, config.AdminUser, config.Secrets.SshPrivateKey));
        var bootstrap = new HostBootstrap(host, new HostBootstrapArgs
        {
            HostName = host,
            Host = remote,
            Steps = HostHardening.Steps(new HardeningOptions
            {
                Policy = policy,
                AdminUser = config.AdminUser,
                CoordinatorFqdn = coordinatorFqdn,
                CoordinatorAddress = vps.Ipv4Address,
                // Created once, by the docker step, before either compose stack runs: the stacks never race to create it.
                EdgeNetwork = (NetbirdServer.EdgeNetwork, NetbirdServer.EdgeSubnet),
                // The NetBird API scripts (hosts/netbird-api) run on askari and need jq; Hetzner's image has none.
                ExtraPackages = ["jq"],
                RebootWindow = config.Updates.RebootWindow,
            }),
        }, new ComponentResourceOptions { DependsOn = new InputList<Resource> { vps.Server } });

        var mesh = EdgeServicesStack.Build(config, netbird, remote, vps.Ipv6Address, bootstrap);

        var outputs = new Dictionary<string, object?>(mesh.Outputs)
        {
            ["hostName"] = host,
            ["hostFqdn"] = fqdn,
            ["publicIpv4"] = vps.Ipv4Address,
            ["publicIpv6"] = vps.Ipv6Address,
            ["coordinatorFqdn"] = coordinatorFqdn,
            ["publicFqdns"] = dns.PublicFqdns,
            ["meshOnlyFqdns"] = dns.MeshOnlyFqdns,
            // The update policy an operator checks against: when askari may reboot, and the command that shows its state.
            ["updates"] = new Dictionary<string, object?>
            {
                ["rebootWindow"] = config.Updates.RebootWindow,
                ["statusCommand"] = UpdateStatusCommand(config.AdminUser, fqdn),
            },
        };
        return new StackBuild(outputs, [.. vps.HostFiles, .. bootstrap.HostFiles, .. mesh.HostFiles]);
    }

    /// <summary>What the operator runs to see a host's updates (hosts/bootstrap/files/boma-update-status).</summary>
    public static string UpdateStatusCommand(string adminUser, string host) => $"ssh {adminUser}@{host} sudo boma-update-status";
}
