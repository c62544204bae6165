using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// The base bootstrap and hardening every boma host gets, as <see cref="BootstrapStep"/>s rendered from
/// hosts/bootstrap/, in this order: base packages and unattended-upgrades; the kernel and login baseline (sysctls,
/// core dumps, unused modules, umask, unused packages); the sshd drop-in; the fail2ban sshd jail; the nftables INPUT
/// policy; journald; AppArmor; Docker with its hardened daemon; the update policy (needrestart, reboot window, status
/// command); auditd, whose rules are immutable once loaded, so it comes after every step that adds a setuid program;
/// the coordinator pin in /etc/hosts; then the host's own steps (<paramref name="hostSteps"/>, e.g. a cluster VM's
/// mesh enrolment); and AIDE last, so its database is built once the host is set up.
/// </summary>
internal static class HostHardening
{
    /// <summary>The roles in the order they run (the tests and hosts/README.md hold the same order).</summary>
    public static readonly IReadOnlyList<string> Order =
        ["base", "baseline", "sshd", "fail2ban", "nftables", "journald", "apparmor", "docker", "updates", "auditd", "hosts-pin", "aide"];

    public static IReadOnlyList<BootstrapStep> Steps(HardeningOptions options, IEnumerable<BootstrapStep>? hostSteps = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.Policy;
        return
        [
            Static("base", "bootstrap/base.sh.tmpl", new() { ["extra_packages"] = string.Join(' ', options.ExtraPackages) }),
            Static("baseline", "bootstrap/baseline.sh.tmpl", []),
            Static("sshd", "bootstrap/sshd.sh.tmpl", new() { ["admin_user"] = options.AdminUser }),
            Static("fail2ban", "bootstrap/fail2ban.sh.tmpl", new() { ["fail2ban_ignore_cidrs"] = string.Join(' ', Fail2banIgnore(options)) }),
            Static("nftables", "bootstrap/nftables.sh.tmpl", new()
            {
                ["public_tcp_ports"] = string.Join(' ', policy.PortsFor("tcp")),
                ["public_udp_ports"] = string.Join(' ', policy.PortsFor("udp")),
                ["public_sources"] = string.Join(' ', policy.PortSources),
                ["ssh_wan_sources"] = string.Join(' ', policy.BreakGlassCidrs),
                ["mesh_interface"] = options.MeshInterface,
            }),
            Static("journald", "bootstrap/journald.sh.tmpl", []),
            Static("apparmor", "bootstrap/apparmor.sh.tmpl", []),
            Static("docker", "bootstrap/docker.sh.tmpl", new() { ["edge_network"] = options.EdgeNetwork is { } net ? $"{net.Name} {net.Subnet}" : string.Empty }),
            Static("updates", "bootstrap/updates.sh.tmpl", new() { ["reboot_window"] = options.RebootWindow }),
            Static("auditd", "bootstrap/auditd.sh.tmpl", []),
            new BootstrapStep("hosts-pin", "bootstrap/hosts-pin.sh.tmpl", options.CoordinatorAddress.Apply(address =>
                HostTemplates.Render("bootstrap/hosts-pin.sh.tmpl", new Dictionary<string, string>
                {
                    ["pin_address"] = address,
                    ["pin_fqdn"] = options.CoordinatorFqdn,
                }))),
            .. hostSteps ?? [],
            Static("aide", "bootstrap/aide.sh.tmpl", []),
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
