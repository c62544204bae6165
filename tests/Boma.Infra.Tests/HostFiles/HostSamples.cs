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
    };

    public static IEnumerable<string> Scripts => Templates.Keys.Where(k => k.EndsWith(".sh.tmpl", StringComparison.Ordinal));
}
