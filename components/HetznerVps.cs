using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.HCloud;
using Pulumi.HCloud.Inputs;

/// <summary>Inputs of <see cref="HetznerVps"/>.</summary>
internal sealed class HetznerVpsArgs
{
    /// <summary>Short host name (the server's name in Hetzner and its hostname).</summary>
    public required string HostName { get; init; }

    /// <summary>The FQDN rDNS points to, e.g. askari.boma.example.org.</summary>
    public required string Fqdn { get; init; }

    public required string Location { get; init; }

    public required string Image { get; init; }

    public required string ServerType { get; init; }

    public required string AdminUser { get; init; }

    public required string AdminPublicKey { get; init; }

    /// <summary>The firewall attached at creation (never later: no unfiltered window).</summary>
    public required Output<string> FirewallId { get; init; }

    /// <summary>Whether the host gets an IPv6 primary IP (and its rDNS).</summary>
    public bool Ipv6 { get; init; } = true;
}

/// <summary>
/// A Hetzner Cloud VPS: its SSH key, primary IPs (kept across rebuilds), the server with the firewall
/// attached at creation and a minimal cloud-init, and rDNS to its FQDN. The server is protected, and
/// user data and SSH keys are ignored after creation so editing them never replaces it; later
/// configuration goes through <see cref="HostBootstrap"/>.
/// </summary>
internal sealed class HetznerVps : ComponentResource
{
    public const string TypeToken = "boma:hetzner:Vps";

    /// <summary>The cloud-init template under hosts/.</summary>
    public const string CloudInitTemplate = "bootstrap/cloud-init.yaml.tmpl";

    public HetznerVps(string name, HetznerVpsArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        // A fresh options object per child: options are per registration and must not be shared.
        CustomResourceOptions Child(bool protect = false) => new() { Parent = this, Protect = protect ? true : null };

        UserData = HostTemplates.Render(CloudInitTemplate, new Dictionary<string, string>
        {
            ["admin_user"] = args.AdminUser,
            ["admin_ssh_public_key"] = args.AdminPublicKey,
        });
        HostFiles = [new HostFile($"{args.HostName}/cloud-init/user-data.yaml", Output.Create(UserData))];

        SshKey = new SshKey($"{name}-ssh-key", new SshKeyArgs
        {
            Name = $"{args.HostName}-admin",
            PublicKey = args.AdminPublicKey,
        }, Child());

        // Primary IPs outlive the server, so a rebuild keeps the addresses DNS and allow-lists point at.
        Ipv4 = new PrimaryIp($"{name}-ipv4", new PrimaryIpArgs
        {
            Name = $"{args.HostName}-ipv4",
            Type = "ipv4",
            AssigneeType = "server",
            Location = args.Location,
            AutoDelete = false,
        }, Child(protect: true));
        if (args.Ipv6)
        {
            Ipv6 = new PrimaryIp($"{name}-ipv6", new PrimaryIpArgs
            {
                Name = $"{args.HostName}-ipv6",
                Type = "ipv6",
                AssigneeType = "server",
                Location = args.Location,
                AutoDelete = false,
            }, Child(protect: true));
        }

        Server = new Server($"{name}-server", new ServerArgs
        {
            Name = args.HostName,
            ServerType = args.ServerType,
            Image = args.Image,
            Location = args.Location,
            SshKeys = new InputList<string> { SshKey.Id },
            FirewallIds = new InputList<int> { HcloudIds.ToInt(args.FirewallId, "firewall") },
            UserData = UserData,
            PublicNets = new InputList<ServerPublicNetArgs>
            {
                PublicNet(Ipv4, Ipv6),
            },
        }, new CustomResourceOptions
        {
            Parent = this,
            Protect = true,
            // hcloud replaces the server when either changes; keys rotate and config changes go over SSH instead.
            IgnoreChanges = ["userData", "sshKeys"],
        });

        Rdns4 = new Rdns($"{name}-rdns-ipv4", new RdnsArgs
        {
            PrimaryIpId = HcloudIds.ToInt(Ipv4.Id, "primary IPv4"),
            IpAddress = Ipv4.IpAddress,
            DnsPtr = args.Fqdn,
        }, Child());
        if (Ipv6 is not null)
        {
            Rdns6 = new Rdns($"{name}-rdns-ipv6", new RdnsArgs
            {
                PrimaryIpId = HcloudIds.ToInt(Ipv6.Id, "primary IPv6"),
                IpAddress = Server.Ipv6Address,
                DnsPtr = args.Fqdn,
            }, Child());
        }

        Ipv4Address = Ipv4.IpAddress;
        Ipv6Address = Ipv6 is null ? Output.Create(string.Empty) : Server.Ipv6Address;
        ServerId = Server.Id;
        RegisterOutputs();
    }

    private static ServerPublicNetArgs PublicNet(PrimaryIp ipv4, PrimaryIp? ipv6)
    {
        var net = new ServerPublicNetArgs
        {
            Ipv4Enabled = true,
            Ipv4 = HcloudIds.ToInt(ipv4.Id, "primary IPv4"),
            Ipv6Enabled = ipv6 is not null,
        };
        if (ipv6 is not null)
        {
            net.Ipv6 = HcloudIds.ToInt(ipv6.Id, "primary IPv6");
        }

        return net;
    }

    public SshKey SshKey { get; }

    public PrimaryIp Ipv4 { get; }

    public PrimaryIp? Ipv6 { get; }

    public Server Server { get; }

    public Rdns Rdns4 { get; }

    public Rdns? Rdns6 { get; }

    /// <summary>The rendered cloud-init user data (no secrets: a user name and a public key).</summary>
    public string UserData { get; }

    public IReadOnlyList<HostFile> HostFiles { get; }

    [Output("ipv4Address")]
    public Output<string> Ipv4Address { get; private set; }

    /// <summary>The server's IPv6 address (::1 of its /64), or empty without IPv6.</summary>
    [Output("ipv6Address")]
    public Output<string> Ipv6Address { get; private set; }

    [Output("serverId")]
    public Output<string> ServerId { get; private set; }
}
