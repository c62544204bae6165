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
    /// <c>boma:network.sshSources</c>. Over the mesh every role accepts SSH and nothing else.
    /// </summary>
    public static FirewallPolicy ForClusterRole(string role, IEnumerable<string> sshSources, string lan) => new()
    {
        PublicPorts = RolePorts(role),
        PortSources = [lan],
        BreakGlassCidrs = [.. sshSources],
    };

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
}
