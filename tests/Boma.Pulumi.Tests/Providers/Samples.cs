using System.Reflection;
using Boma.Pulumi.Command.Remote.Inputs;
using Boma.Pulumi.HCloud.Inputs;
using Boma.Pulumi.ProxmoxVE.Inputs;
using CommandLocal = Boma.Pulumi.Command.Local;
using CommandRemote = Boma.Pulumi.Command.Remote;
using Gandi = Boma.Pulumi.Gandi;
using HCloud = Boma.Pulumi.HCloud;
using Proxmox = Boma.Pulumi.ProxmoxVE;
using Random = Boma.Pulumi.Random;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>
/// One valid Args value per typed class (every secret input set, so the wire checks see them),
/// and a way to construct the class from it by token.
/// </summary>
internal static class Samples
{
    public const string SshPrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----sample-----END OPENSSH PRIVATE KEY-----";

    private static readonly Dictionary<string, Func<ResourceArgs>> Factories = new()
    {
        ["pulumi:providers:hcloud"] = () => new HCloud.ProviderArgs { Token = "hcloud-token-sample", PollInterval = "1s", Endpoint = "https://api.hetzner.cloud/v1" },
        [HCloud.Server.TypeToken] = () => new HCloud.ServerArgs
        {
            Name = "askari",
            ServerType = "cx22",
            Image = "debian-12",
            Location = "fsn1",
            FirewallIds = new[] { 1 },
            PublicNets = new[] { new ServerPublicNetArgs { Ipv4Enabled = true, Ipv6Enabled = true } },
            Labels = new Dictionary<string, string> { ["role"] = "coordinator" },
        },
        [HCloud.Firewall.TypeToken] = () => new HCloud.FirewallArgs
        {
            Name = "askari",
            Rules = new[] { new FirewallRuleArgs { Direction = "in", Protocol = "tcp", Port = "22", SourceIps = new[] { "0.0.0.0/0", "::/0" } } },
        },
        [HCloud.FirewallAttachment.TypeToken] = () => new HCloud.FirewallAttachmentArgs { FirewallId = 1, ServerIds = new[] { 2 } },
        [HCloud.SshKey.TypeToken] = () => new HCloud.SshKeyArgs { Name = "admin", PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBsample admin" },
        [HCloud.PrimaryIp.TypeToken] = () => new HCloud.PrimaryIpArgs { Name = "askari-v4", Type = "ipv4", AssigneeType = "server", Location = "fsn1", AutoDelete = false },
        [HCloud.Rdns.TypeToken] = () => new HCloud.RdnsArgs { ServerId = 1, IpAddress = "203.0.113.10", DnsPtr = "askari.example.org" },

        [CommandLocal.Command.TypeToken] = () => new CommandLocal.CommandArgs { Create = "echo hi", Triggers = new object[] { "a" }, Logging = "none" },
        [CommandRemote.Command.TypeToken] = () => new CommandRemote.CommandArgs { Connection = Connection(), Create = "uptime", Triggers = new object[] { 1 } },
        [CommandRemote.CopyToRemote.TypeToken] = () => new CommandRemote.CopyToRemoteArgs { Connection = Connection(), Source = new StringAsset("hello"), RemotePath = "/tmp/hello" },

        [Random.RandomPassword.TypeToken] = () => new Random.RandomPasswordArgs { Length = 24, MinUpper = 2 },
        [Random.RandomString.TypeToken] = () => new Random.RandomStringArgs { Length = 8, Special = false },
        [Random.RandomId.TypeToken] = () => new Random.RandomIdArgs { ByteLength = 8 },
        [Random.RandomBytes.TypeToken] = () => new Random.RandomBytesArgs { Length = 32 },

        ["pulumi:providers:gandi"] = () => new Gandi.ProviderArgs { PersonalAccessToken = "gandi-pat-sample", DryRun = true },
        [Gandi.LiveDns.Record.TypeToken] = () => new Gandi.LiveDns.RecordArgs { Zone = "example.org", Name = "vpn", Type = "A", Ttl = 300, Values = new[] { "203.0.113.10" } },

        ["pulumi:providers:proxmoxve"] = () => new Proxmox.ProviderArgs
        {
            Endpoint = "https://pve.example.org:8006/",
            ApiToken = "root@pam!boma=sample",
            Insecure = true,
            Ssh = new ProviderSshArgs { Username = "root", PrivateKey = SshPrivateKey, Nodes = new[] { new ProviderSshNodeArgs { Name = "pve", Address = "10.0.0.2" } } },
        },
        [Proxmox.VmLegacy.TypeToken] = () => new Proxmox.VmLegacyArgs
        {
            Name = "vm1",
            NodeName = "pve",
            VmId = 200,
            Agent = new VmLegacyAgentArgs { Enabled = true },
            Cpu = new VmLegacyCpuArgs { Cores = 2, Type = "x86-64-v2-AES" },
            Memory = new VmLegacyMemoryArgs { Dedicated = 2048 },
            Disks = new[] { new VmLegacyDiskArgs { Interface = "virtio0", DatastoreId = "local-lvm", ImportFrom = "local:import/debian-12.qcow2", Size = 20 } },
            NetworkDevices = new[] { new VmLegacyNetworkDeviceArgs { Bridge = "vmbr0" } },
            Initialization = new VmLegacyInitializationArgs
            {
                UserDataFileId = "local:snippets/vm1.yaml",
                IpConfigs = new[] { new VmLegacyInitializationIpConfigArgs { Ipv4 = new VmLegacyInitializationIpConfigIpv4Args { Address = "dhcp" } } },
            },
        },
        [Proxmox.FileLegacy.TypeToken] = () => new Proxmox.FileLegacyArgs
        {
            ContentType = "snippets",
            DatastoreId = "local",
            NodeName = "pve",
            SourceRaw = new FileLegacySourceRawArgs { Data = "#cloud-config\n", FileName = "vm1.yaml" },
        },
        [Proxmox.Download.File.TypeToken] = () => new Proxmox.Download.FileArgs
        {
            ContentType = "import",
            DatastoreId = "local",
            NodeName = "pve",
            Url = "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2",
            FileName = "debian-12.qcow2",
        },
    };

    public static ConnectionArgs Connection() => new()
    {
        Host = "203.0.113.10",
        PrivateKey = SshPrivateKey,
        Password = "ssh-password-sample",
        PrivateKeyPassword = "key-passphrase-sample",
    };

    public static bool Has(string token) => Factories.ContainsKey(token);

    public static ResourceArgs ArgsFor(string token) =>
        Factories.TryGetValue(token, out var factory) ? factory() : throw new InvalidOperationException($"Samples has no args for {token}: add one");

    /// <summary>Constructs the typed class (found by its TypeToken) with the given args.</summary>
    public static Resource Construct(Type resource, string name, ResourceArgs args, CustomResourceOptions? options = null)
    {
        try
        {
            return (Resource)resource.GetConstructors().Single().Invoke([name, args, options]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
