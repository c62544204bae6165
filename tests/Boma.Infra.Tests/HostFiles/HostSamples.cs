using NUnit.Framework;
namespace Boma.Infra.Tests.HostFiles;

/// <summary>Realistic values for every host template (askari unless named otherwise). None of them is a secret.</summary>
internal static class HostSamples
{
    public const string AdminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFGmECnKR9mgG1QVRq8RivKs/p+CVLc1E+kEBJjQrixR boma@ubongo";

    public static readonly Dictionary<string, string> CloudInit = new()
    {
        ["admin_user"] = "boma",
        ["admin_ssh_public_key"] = AdminKey,
    };

    public static readonly Dictionary<string, string> Base = new() { ["extra_packages"] = "htop jq", ["bare_packages"] = "aide" };

    public static readonly Dictionary<string, string> Sshd = new() { ["admin_user"] = "boma" };

    public static readonly Dictionary<string, string> Fail2ban = new() { ["fail2ban_ignore_cidrs"] = "100.64.0.0/10" };

    public static readonly Dictionary<string, string> NftablesAskari = new()
    {
        ["public_tcp_ports"] = "80 443",
        ["public_udp_ports"] = "3478",
        ["public_sources"] = "0.0.0.0/0 ::/0",
        ["ssh_wan_sources"] = "0.0.0.0/0 ::/0",
        ["mesh_interface"] = "wt0",
    };

    /// <summary>A cluster VM: nothing public, break-glass SSH only from the home LAN.</summary>
    public static readonly Dictionary<string, string> NftablesCluster = new()
    {
        ["public_tcp_ports"] = string.Empty,
        ["public_udp_ports"] = string.Empty,
        ["public_sources"] = "192.168.20.0/24",
        ["ssh_wan_sources"] = "192.168.10.0/24 fd00:10::/64",
        ["mesh_interface"] = "wt0",
    };

    /// <summary>A cluster dns VM: 53/udp and 53/tcp from its LAN only, SSH from the admins' LAN.</summary>
    public static readonly Dictionary<string, string> NftablesClusterDns = new(NftablesCluster)
    {
        ["public_tcp_ports"] = "53",
        ["public_udp_ports"] = "53",
    };

    public static readonly Dictionary<string, string> Docker = new() { ["edge_network"] = "boma-edge 172.30.0.0/24" };

    public static readonly Dictionary<string, string> Updates = new() { ["reboot_window"] = "04:00" };

    public static readonly Dictionary<string, string> HostsPin = new()
    {
        ["pin_address"] = "203.0.113.10",
        ["pin_fqdn"] = "netbird.askari.example.org",
    };

    /// <summary>Every top-level template with one sample value set; the coverage test checks nothing under hosts/ is missing.</summary>
    public static readonly IReadOnlyDictionary<string, Dictionary<string, string>> Templates = new Dictionary<string, Dictionary<string, string>>
    {
        ["bootstrap/cloud-init.yaml.tmpl"] = CloudInit,
        ["bootstrap/base.sh.tmpl"] = Base,
        ["bootstrap/sshd.sh.tmpl"] = Sshd,
        ["bootstrap/fail2ban.sh.tmpl"] = Fail2ban,
        ["bootstrap/nftables.sh.tmpl"] = NftablesAskari,
        ["bootstrap/docker.sh.tmpl"] = Docker,
        ["bootstrap/hosts-pin.sh.tmpl"] = HostsPin,
        ["bootstrap/baseline.sh.tmpl"] = [],
        ["bootstrap/journald.sh.tmpl"] = [],
        ["bootstrap/apparmor.sh.tmpl"] = [],
        ["bootstrap/updates.sh.tmpl"] = Updates,
        ["bootstrap/auditd.sh.tmpl"] = [],
        ["bootstrap/aide.sh.tmpl"] = [],
        // NetBird, Caddy and backup (components NetbirdServer, CaddyProxy, Peers, Backup; tested in tests/Boma.Infra.Tests/Stacks and Hosts).
        ["caddy/Caddyfile.tmpl"] = new() { ["acme_email_option"] = "email admin@example.org", ["netbird_fqdn"] = "netbird.askari.example.org", ["test_fqdn"] = "test.askari.example.org" },
        ["caddy/dns01-site.caddy.tmpl"] = new() { ["site_name"] = "grafana.boma.example.org", ["upstream"] = "100.64.0.2:3000" },
        ["caddy/compose.yaml.tmpl"] = new() { ["caddy_image"] = "caddy:2.10.2" },
        ["caddy/compose.gandi.yaml.tmpl"] = new() { ["caddy_image"] = "boma/caddy-gandi:2.9.1" },
        ["caddy/Dockerfile.gandi"] = [],
        ["netbird/compose.yaml.tmpl"] = new() { ["netbird_fqdn"] = "netbird.askari.example.org", ["server_image"] = "netbirdio/netbird-server:0.72.4", ["dashboard_image"] = "netbirdio/dashboard:v2.39.0" },
        ["netbird/config.yaml.tmpl"] = new() { ["netbird_fqdn"] = "netbird.askari.example.org", ["trusted_proxies"] = "172.30.0.0/24" },
        ["netbird/render-config.sh"] = [],
        ["netbird/backup/boma-netbird-backup.sh"] = [],
        ["netbird/backup/boma-netbird-restore.sh"] = [],
        ["netbird/backup/boma-restic-env.sh"] = [],
        ["netbird/backup/boma-restic-lib.sh"] = [],
        ["netbird/backup/boma-netbird-backup.service.tmpl"] = new() { ["script_path"] = "/usr/local/sbin/boma-netbird-backup", ["keep_daily"] = "7", ["keep_weekly"] = "4", ["keep_monthly"] = "6" },
        ["netbird/backup/boma-netbird-backup.timer.tmpl"] = new() { ["schedule"] = "daily" },
        ["netbird/backup/boma-restic-ssh.conf.tmpl"] = new() { ["host"] = "u123456.your-storagebox.de" },
        ["netbird-api/nb-lib.sh"] = [],
        ["netbird-api/setup.sh"] = [],
        ["netbird-api/setup-key.sh"] = [],
        ["netbird-api/policies.sh"] = [],
        ["netbird-api/account.sh"] = [],
        ["netbird-api/enrol-peer.sh"] = [],
        // The compose project deploy (components/ComposeStack.cs; tested in tests/Boma.Infra.Tests/Hosts/ComposeUpScriptTests.cs).
        ["compose/compose-up.sh"] = [],
    };

    /// <summary>
    /// Every template that renders to a bash script: all pass shellcheck, and all are run by a Command, inline
    /// bootstrap/lib.sh and honour BOMA_ROOT + stubs (the plain *.sh files are checked in tests/Boma.Infra.Tests/Hosts).
    /// </summary>
    public static IEnumerable<string> AllScripts => Templates.Keys.Where(k => k.EndsWith(".sh.tmpl", StringComparison.Ordinal));
}
