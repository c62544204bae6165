using System.Collections.Immutable;

namespace Boma.Infra.Components;

/// <summary>
/// The one place that says what may reach a host from the internet: the public ports every
/// source may use, and SSH from the break-glass CIDRs only. The Hetzner Cloud Firewall rules and
/// the host's nftables INPUT chain are both derived from this object, so they cannot drift apart.
/// </summary>
internal sealed record FirewallPolicy
{
    /// <summary>Description prefix the invariant rule file looks for on the single WAN SSH rule.</summary>
    public const string BreakGlassPrefix = "break-glass:";

    public const int SshPort = 22;

    /// <summary>The NetBird client's WireGuard listen port (its default, client/cmd/root.go --wireguard-port).</summary>
    public const int WireguardPort = 51820;

    /// <summary>Both address families' "anywhere" sources.</summary>
    public static readonly ImmutableArray<string> Anywhere = ["0.0.0.0/0", "::/0"];

    public required ImmutableArray<PublicPort> PublicPorts { get; init; }

    /// <summary>
    /// Who may reach <see cref="PublicPorts"/>: everyone on askari; a cluster VM's LAN (<c>boma:network.subnet</c>)
    /// only, so a dns VM never answers over the mesh or from a routed network.
    /// </summary>
    public ImmutableArray<string> PortSources { get; init; } = Anywhere;

    /// <summary>
    /// What the host accepts on its mesh interface (wt0): SSH everywhere, plus what a cluster VM's role serves to the mesh
    /// (<see cref="RoleMeshPorts"/>). Who may send it is NetBird's part: the offsite stack derives its per-role policies from
    /// the same table, so the VM's wt0 ports and the mesh policies cannot drift apart.
    /// </summary>
    public ImmutableArray<PublicPort> MeshPorts { get; init; } = [MeshSsh];

    /// <summary>SSH over the mesh: every host, every role (the admins' way in; NetBird's admins-ssh policy says from whom).</summary>
    public static readonly PublicPort MeshSsh = new(SshPort, "tcp", "ssh: the admins over the mesh");

    /// <summary>CIDRs (already validated: never 0.0.0.0/0 or ::/0) allowed to reach SSH over the WAN.</summary>
    public required ImmutableArray<string> BreakGlassCidrs { get; init; }

    /// <summary>askari's policy: ACME/HTTP redirect, HTTPS (Caddy, NetBird relay over WebSocket), NetBird's STUN and askari's WireGuard port.</summary>
    public static FirewallPolicy Offsite(IEnumerable<string> breakGlassCidrs) => new()
    {
        PublicPorts =
        [
            new PublicPort(80, "tcp", "http: ACME challenges and redirect to https"),
            new PublicPort(443, "tcp", "https: Caddy in front of NetBird and the public services"),
            new PublicPort(3478, "udp", "stun: NetBird's embedded STUN server"),
            new PublicPort(WireguardPort, "udp", "wireguard: askari's NetBird client, so peers connect directly instead of through the relay"),
        ],
        BreakGlassCidrs = [.. breakGlassCidrs],
    };

    /// <summary>
    /// A cluster VM's policy: the ports its role serves (a <c>dns</c> VM answers on 53/udp and 53/tcp; the others serve
    /// nothing), open to the LAN (<paramref name="lan"/>, <c>boma:network.subnet</c>) only, and SSH from
    /// <c>boma:network.sshSources</c>. Over the mesh every role accepts SSH plus what <see cref="RoleMeshPorts"/> lists for it.
    /// </summary>
    public static FirewallPolicy ForClusterRole(string role, IEnumerable<string> sshSources, string lan) => new()
    {
        PublicPorts = RolePorts(role),
        PortSources = [lan],
        MeshPorts = [MeshSsh, .. RoleMeshPorts(role)],
        BreakGlassCidrs = [.. sshSources],
    };

    /// <summary>
    /// The ports a cluster role serves over the mesh, to the admins (ubongo's and the road-warriors' groups), on top of SSH.
    /// A dns VM answers DNS so an admin away from home can resolve the internal zone; the cluster's own VMs resolve over
    /// the LAN (<c>boma:network.dns</c>) and askari runs with the client's DNS off, so neither is a client here. Every other
    /// role serves nothing over the mesh. The offsite stack turns each entry into one NetBird policy per port and protocol
    /// (<c>cluster-&lt;role&gt;-&lt;port&gt;-&lt;protocol&gt;</c>, destination group <see cref="ClusterRoleGroup"/>).
    /// </summary>
    public static ImmutableArray<PublicPort> RoleMeshPorts(string role) => role switch
    {
        "dns" => [new PublicPort(53, "udp", "dns: the internal zone for the admins over the mesh"), new PublicPort(53, "tcp", "dns: large answers over the mesh")],
        _ => [],
    };

    /// <summary>The roles the offsite stack issues a setup key for unless <c>boma:netbird.clusterRoles</c> says otherwise.</summary>
    public static readonly ImmutableArray<string> DefaultClusterRoles = ["dns", "docker", "storage"];

    /// <summary>
    /// The NetBird group of a cluster role's VMs (<c>cluster-dns</c>), besides the common cluster group. A role may hold
    /// '_' (an Ansible group), a NetBird group here is a DNS label, so '_' becomes '-' (roles never contain '-').
    /// </summary>
    public static string ClusterRoleGroup(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return "cluster-" + role.Replace('_', '-');
    }

    /// <summary>The ports a cluster role serves.</summary>
    public static ImmutableArray<PublicPort> RolePorts(string role) => role switch
    {
        "dns" => [new PublicPort(53, "udp", "dns: the cluster's resolvers"), new PublicPort(53, "tcp", "dns: large answers and zone transfers")],
        _ => [],
    };

    /// <summary>
    /// The inbound rules, in order: one per public port from <see cref="PortSources"/>, then the single
    /// break-glass SSH rule. Nothing else is allowed in (a Hetzner firewall drops unmatched inbound traffic).
    /// </summary>
    public ImmutableArray<FirewallRuleSpec> InboundRules()
    {
        if (BreakGlassCidrs.IsDefaultOrEmpty)
        {
            throw new InvalidOperationException("the firewall policy needs at least one break-glass CIDR (boma:breakGlassCidrs)");
        }

        if (BreakGlassCidrs.Any(Anywhere.Contains))
        {
            throw new InvalidOperationException("a break-glass CIDR must not be 0.0.0.0/0 or ::/0 (boma:breakGlassCidrs)");
        }

        var rules = PublicPorts
            .Select(p => new FirewallRuleSpec(p.Protocol, p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), PortSources, p.Purpose))
            .ToList();
        rules.Add(new FirewallRuleSpec("tcp", SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture), BreakGlassCidrs,
            $"{BreakGlassPrefix} WAN SSH from boma:breakGlassCidrs only"));
        return [.. rules];
    }

    /// <summary>Break-glass CIDRs wider than an IPv4 /24 or an IPv6 /48: allowed, but worth a warning.</summary>
    public IEnumerable<string> BroadBreakGlassCidrs() =>
        BreakGlassCidrs.Where(c =>
        {
            var network = System.Net.IPNetwork.Parse(c);
            return network.PrefixLength < (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 48);
        });

    public IEnumerable<int> PortsFor(string protocol) =>
        PublicPorts.Where(p => p.Protocol == protocol).Select(p => p.Port);

    /// <summary>The mesh interface's ports of one protocol (the nftables <c>tcp_mesh</c>/<c>udp_mesh</c> sets).</summary>
    public IEnumerable<int> MeshPortsFor(string protocol) =>
        MeshPorts.Where(p => p.Protocol == protocol).Select(p => p.Port).Distinct();
}
