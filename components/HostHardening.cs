using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// The base bootstrap and hardening every boma host gets, as <see cref="BootstrapStep"/>s rendered
/// from hosts/bootstrap/: base packages and unattended-upgrades, the sshd drop-in, the fail2ban sshd
/// jail, the nftables INPUT policy, Docker with compose, and the coordinator pin in /etc/hosts.
/// </summary>
internal static class HostHardening
{
    public static IReadOnlyList<BootstrapStep> Steps(HardeningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.Policy;
        return
        [
            Static("base", "bootstrap/base.sh.tmpl", new() { ["extra_packages"] = string.Join(' ', options.ExtraPackages) }),
            Static("sshd", "bootstrap/sshd.sh.tmpl", new() { ["admin_user"] = options.AdminUser }),
            Static("fail2ban", "bootstrap/fail2ban.sh.tmpl", new() { ["fail2ban_ignore_cidrs"] = string.Join(' ', Fail2banIgnore(options)) }),
            Static("nftables", "bootstrap/nftables.sh.tmpl", new()
            {
                ["public_tcp_ports"] = string.Join(' ', policy.PortsFor("tcp")),
                ["public_udp_ports"] = string.Join(' ', policy.PortsFor("udp")),
                ["ssh_wan_sources"] = string.Join(' ', policy.BreakGlassCidrs),
                ["mesh_interface"] = options.MeshInterface,
            }),
            Static("docker", "bootstrap/docker.sh.tmpl", new() { ["edge_network"] = options.EdgeNetwork is { } net ? $"{net.Name} {net.Subnet}" : string.Empty }),
            new BootstrapStep("hosts-pin", "bootstrap/hosts-pin.sh.tmpl", options.CoordinatorAddress.Apply(address =>
                HostTemplates.Render("bootstrap/hosts-pin.sh.tmpl", new Dictionary<string, string>
                {
                    ["pin_address"] = address,
                    ["pin_fqdn"] = options.CoordinatorFqdn,
                }))),
        ];
    }

    /// <summary>
    /// What fail2ban never bans besides loopback: the mesh range and the break-glass sources. A deploy over WAN SSH
    /// with an agent offering several keys fails authentication a few times per connection; banning the operator's own
    /// break-glass address for an hour would leave only Hetzner's rescue system (docs/operations/rescue.md).
    /// </summary>
    public static IReadOnlyList<string> Fail2banIgnore(HardeningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. options.Fail2banIgnoreCidrs.Concat(options.Policy.BreakGlassCidrs).Distinct(StringComparer.Ordinal)];
    }

    private static BootstrapStep Static(string role, string template, Dictionary<string, string> values) =>
        new(role, template, Output.Create(HostTemplates.Render(template, values)));
}
