using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// The base bootstrap and hardening every boma host gets, as <see cref="BootstrapStep"/>s rendered from
/// hosts/bootstrap/. First <c>base</c>: apt's lock wait, unattended-upgrades, and every package the other steps need
/// in one apt run (<see cref="Packages"/>). Then two branches at the same time: <c>docker</c> (its hardened daemon and
/// the shared network: all a compose stack needs) and the hardening chain — the fail2ban jail (right after base,
/// which started fail2ban with Debian's defaults: the break-glass sources must be ignored before anything can ban
/// them), the kernel and login baseline, the sshd drop-in, the nftables INPUT policy, journald, AppArmor, the update
/// policy, auditd (after docker too: its privileged-program rules list what the packages installed, and are immutable
/// once loaded), the coordinator pin in /etc/hosts, then the host's own steps (<paramref name="hostSteps"/>, e.g. a
/// cluster VM's mesh enrolment). AIDE waits for all of them, so its database describes the finished host.
/// </summary>
internal static class HostHardening
{
    /// <summary>The roles in the order they are listed (each waits only for what <see cref="Waits"/> names; hosts/README.md holds the same).</summary>
    public static readonly IReadOnlyList<string> Order =
        ["base", "docker", "fail2ban", "baseline", "sshd", "nftables", "journald", "apparmor", "updates", "auditd", "hosts-pin", "aide"];

    /// <summary>What each role waits for. aide: every other step, the host's own included.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Waits = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["base"] = [],
        ["docker"] = ["base"],
        ["fail2ban"] = ["base"],
        ["baseline"] = ["fail2ban"],
        ["sshd"] = ["baseline"],
        ["nftables"] = ["sshd"],
        ["journald"] = ["nftables"],
        ["apparmor"] = ["journald"],
        ["updates"] = ["apparmor"],
        ["auditd"] = ["updates", "docker"],
        ["hosts-pin"] = ["auditd"],
    };

    /// <summary>
    /// The packages the later steps install (each script still checks its own), installed by <c>base</c> with its own
    /// in one apt run: one download and unpack instead of eight, and the steps after it run in parallel without
    /// queueing on apt's lock. AIDE's packages are in <see cref="BarePackages"/> (installed without recommends).
    /// </summary>
    public static readonly IReadOnlyList<string> Packages =
        ["procps", "openssh-server", "fail2ban", "python3-systemd", "nftables", "apparmor", "docker.io", "docker-compose", "needrestart", "auditd"];

    /// <summary>
    /// Installed by <c>base</c> without recommends: the aide package alone, not Debian's aide-common (its recommend),
    /// whose install puts ~200 rule snippets through ucf (minutes per host) and brings the setgid dotlockfile, cron and
    /// a mail server. boma's aide step brings its own configuration and daily check instead.
    /// </summary>
    public static readonly IReadOnlyList<string> BarePackages = ["aide"];

    public static IReadOnlyList<BootstrapStep> Steps(HardeningOptions options, IEnumerable<BootstrapStep>? hostSteps = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.Policy;
        var own = hostSteps?.ToList() ?? [];
        BootstrapStep[] hardening =
        [
            Static("base", "bootstrap/base.sh.tmpl", new()
            {
                ["extra_packages"] = string.Join(' ', Packages.Concat(options.ExtraPackages).Distinct(StringComparer.Ordinal)),
                ["bare_packages"] = string.Join(' ', BarePackages),
            }),
            Static("docker", "bootstrap/docker.sh.tmpl", new() { ["edge_network"] = options.EdgeNetwork is { } net ? $"{net.Name} {net.Subnet}" : string.Empty }),
            Static("fail2ban", "bootstrap/fail2ban.sh.tmpl", new() { ["fail2ban_ignore_cidrs"] = string.Join(' ', Fail2banIgnore(options)) }),
            Static("baseline", "bootstrap/baseline.sh.tmpl", []),
            Static("sshd", "bootstrap/sshd.sh.tmpl", new() { ["admin_user"] = options.AdminUser }),
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
            Static("updates", "bootstrap/updates.sh.tmpl", new() { ["reboot_window"] = options.RebootWindow }),
            Static("auditd", "bootstrap/auditd.sh.tmpl", []),
            new BootstrapStep("hosts-pin", "bootstrap/hosts-pin.sh.tmpl", options.CoordinatorAddress.Apply(address =>
                HostTemplates.Render("bootstrap/hosts-pin.sh.tmpl", new Dictionary<string, string>
                {
                    ["pin_address"] = address,
                    ["pin_fqdn"] = options.CoordinatorFqdn,
                }))),
        ];
        var steps = hardening.Select(s => s with { After = Waits[s.Role] }).ToList();
        // The host's own steps: after the pin (a VM enrols through the pinned name), one after the other.
        for (var i = 0; i < own.Count; i++)
        {
            steps.Add(own[i] with { After = [i == 0 ? "hosts-pin" : own[i - 1].Role] });
        }

        steps.Add(Static("aide", "bootstrap/aide.sh.tmpl", []) with { After = [.. steps.Select(s => s.Role)] });
        return steps;
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
