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

    public static readonly Dictionary<string, string> Base = new() { ["extra_packages"] = "htop jq" };

    public static readonly Dictionary<string, string> Sshd = [];

    public static readonly Dictionary<string, string> Fail2ban = new() { ["fail2ban_ignore_cidrs"] = "100.64.0.0/10" };

    public static readonly Dictionary<string, string> NftablesAskari = new()
    {
        ["public_tcp_ports"] = "80 443",
        ["public_udp_ports"] = "3478",
        ["ssh_wan_sources"] = "0.0.0.0/0 ::/0",
        ["mesh_interface"] = "wt0",
    };

    /// <summary>A cluster VM: nothing public, break-glass SSH only from the home LAN.</summary>
    public static readonly Dictionary<string, string> NftablesCluster = new()
    {
        ["public_tcp_ports"] = string.Empty,
        ["public_udp_ports"] = string.Empty,
        ["ssh_wan_sources"] = "192.168.10.0/24 fd00:10::/64",
        ["mesh_interface"] = "wt0",
    };

    public static readonly Dictionary<string, string> Docker = [];

    public static readonly Dictionary<string, string> HostsPin = new()
    {
        ["pin_address"] = "203.0.113.10",
        ["pin_fqdn"] = "netbird.askari.example.org",
    };

    public static readonly Dictionary<string, string> Caddy = new()
    {
        ["acme_email"] = "admin@example.org",
        ["netbird_fqdn"] = "netbird.askari.example.org",
        ["test_fqdn"] = "test.askari.example.org",
    };

    public static readonly Dictionary<string, string> CaddyCompose = [];

    public static readonly Dictionary<string, string> NetbirdCompose = new()
    {
        ["netbird_fqdn"] = "netbird.askari.example.org",
        ["setup_pat_enabled"] = "false",
    };

    public static readonly Dictionary<string, string> NetbirdConfig = new() { ["netbird_fqdn"] = "netbird.askari.example.org" };

    public static readonly Dictionary<string, string> NetbirdDeploy = NetbirdCompose;

    public static readonly Dictionary<string, string> BackupScript = new()
    {
        ["netbird_data_dir"] = "/var/lib/docker/volumes/netbird_netbird_data/_data",
    };

    public static readonly Dictionary<string, string> BackupInstall = new()
    {
        ["netbird_data_dir"] = "/var/lib/docker/volumes/netbird_netbird_data/_data",
        ["backup_on_calendar"] = "*-*-* 03:30:00",
    };

    // Test-only secret stand-ins (random-looking, never used anywhere real). The tests assert they never
    // show up in a script's output.
    public const string AuthSecret = "q9Zt3vXcN0pLmR7sYw2bKe5HdJf8GaUo1iTn4Q6";
    public const string StoreKey = "m3F8k2JxQ9vP0rT5yW7cB1nH4sL6dG8aZ2eU0iK3oXc=";
    public const string ResticPassword = "restic-test-password-Vn2x";

    public static IReadOnlyDictionary<string, string> EnvironmentFor(string template) => template switch
    {
        "netbird/deploy.sh.tmpl" => new Dictionary<string, string> { ["NB_AUTH_SECRET"] = AuthSecret, ["NB_STORE_ENCRYPTION_KEY"] = StoreKey },
        "backup/install.sh.tmpl" => new Dictionary<string, string>
        {
            ["RESTIC_REPOSITORY"] = "sftp://u123@u123.your-storagebox.de:23//askari",
            ["RESTIC_PASSWORD"] = ResticPassword,
        },
        _ => new Dictionary<string, string>(),
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
        ["caddy/Caddyfile.tmpl"] = Caddy,
        ["caddy/compose.yaml"] = CaddyCompose,
        ["caddy/deploy.sh.tmpl"] = Caddy,
        ["netbird/compose.yaml.tmpl"] = NetbirdCompose,
        ["netbird/config.yaml.tmpl"] = NetbirdConfig,
        ["netbird/deploy.sh.tmpl"] = NetbirdDeploy,
        ["backup/netbird-backup.sh.tmpl"] = BackupScript,
        ["backup/install.sh.tmpl"] = BackupInstall,
        ["backup/boma-netbird-backup.timer.tmpl"] = new() { ["backup_on_calendar"] = "*-*-* 03:30:00" },
        // NetBird, Caddy and backup (components NetbirdServer, CaddyProxy, Peers, Backup; tested in tests/Boma.Infra.Tests/Netbird).
        ["caddy/Caddyfile.edge.tmpl"] = new() { ["acme_email_option"] = "email admin@example.org", ["netbird_fqdn"] = "netbird.askari.example.org", ["test_fqdn"] = "test.askari.example.org" },
        ["caddy/dns01-site.caddy.tmpl"] = new() { ["site_name"] = "grafana.boma.example.org", ["upstream"] = "100.64.0.2:3000" },
        ["caddy/compose.edge.yaml.tmpl"] = new() { ["caddy_image"] = "caddy:2.10.2" },
        ["caddy/compose.gandi.yaml.tmpl"] = new() { ["caddy_image"] = "boma/caddy-gandi:2.9.1" },
        ["caddy/Dockerfile.gandi"] = [],
        ["netbird/compose.edge.yaml.tmpl"] = new() { ["netbird_fqdn"] = "netbird.askari.example.org" },
        ["netbird/config.edge.yaml.tmpl"] = new() { ["netbird_fqdn"] = "netbird.askari.example.org", ["trusted_proxies"] = "172.30.0.0/24" },
        ["netbird/render-config.sh"] = [],
        ["netbird/backup/boma-netbird-backup.sh"] = [],
        ["netbird/backup/boma-netbird-restore.sh"] = [],
        ["netbird/backup/boma-restic-env.sh"] = [],
        ["netbird/backup/boma-netbird-backup.service.tmpl"] = new() { ["script_path"] = "/usr/local/sbin/boma-netbird-backup", ["keep_daily"] = "7", ["keep_weekly"] = "4", ["keep_monthly"] = "6" },
        ["netbird/backup/boma-netbird-backup.timer.tmpl"] = new() { ["schedule"] = "daily" },
        ["netbird-api/nb-lib.sh"] = [],
        ["netbird-api/setup.sh"] = [],
        ["netbird-api/setup-key.sh"] = [],
        ["netbird-api/policies.sh"] = [],
        ["netbird-api/account.sh"] = [],
        ["netbird-api/enrol-peer.sh"] = [],
    };

    /// <summary>Every template that renders to a bash script (all of them pass shellcheck).</summary>
    public static IEnumerable<string> AllScripts => Templates.Keys.Where(k => k.EndsWith(".sh.tmpl", StringComparison.Ordinal));

    /// <summary>The scripts run by a Command (they inline bootstrap/lib.sh and honour BOMA_ROOT + stubs).</summary>
    public static IEnumerable<string> Scripts => AllScripts.Where(k => k != "backup/netbird-backup.sh.tmpl");
}
