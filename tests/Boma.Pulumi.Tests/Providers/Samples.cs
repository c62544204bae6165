using NUnit.Framework;
using System.Reflection;
using Boma.Pulumi.Command.Remote.Inputs;
using Boma.Pulumi.HCloud.Inputs;
using Boma.Pulumi.ProxmoxVE.Inputs;
using CmdLocal = Boma.Pulumi.Command.Local;
using CmdRemote = Boma.Pulumi.Command.Remote;
using GandiPkg = Boma.Pulumi.Gandi;
using Hc = Boma.Pulumi.HCloud;
using Pve = Boma.Pulumi.ProxmoxVE;
using Rnd = Boma.Pulumi.Random;

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
        ["pulumi:providers:hcloud"] = () => new Hc.ProviderArgs { Token = "hcloud-token-sample", PollInterval = "1s", Endpoint = "https://api.hetzner.cloud/v1" },
        [Hc.Server.TypeToken] = () => new Hc.ServerArgs
        {
            Name = "askari",
            ServerType = "cx22",
            Image = "debian-12",
            Location = "fsn1",
            FirewallIds = new[] { 1 },
            PublicNets = new[] { new ServerPublicNetArgs { Ipv4Enabled = true, Ipv6Enabled = true } },
            Labels = new Dictionary<string, string> { ["role"] = "coordinator" },
        },
        [Hc.Firewall.TypeToken] = () => new Hc.FirewallArgs
        {
            Name = "askari",
            Rules = new[] { new FirewallRuleArgs { Direction = "in", Protocol = "tcp", Port = "22", SourceIps = new[] { "0.0.0.0/0", "::/0" } } },
        },
        [Hc.FirewallAttachment.TypeToken] = () => new Hc.FirewallAttachmentArgs { FirewallId = 1, ServerIds = new[] { 2 } },
        [Hc.SshKey.TypeToken] = () => new Hc.SshKeyArgs { Name = "admin", PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBsample admin" },
        [Hc.PrimaryIp.TypeToken] = () => new Hc.PrimaryIpArgs { Name = "askari-v4", Type = "ipv4", AssigneeType = "server", Location = "fsn1", AutoDelete = false },
        [Hc.Rdns.TypeToken] = () => new Hc.RdnsArgs { ServerId = 1, IpAddress = "203.0.113.10", DnsPtr = "askari.example.org" },

        [CmdLocal.Command.TypeToken] = () => new CmdLocal.CommandArgs { Create = "echo hi", Triggers = new object[] { "a" }, Logging = CmdLocal.Logging.None },
        [CmdRemote.Command.TypeToken] = () => new CmdRemote.CommandArgs { Connection = Connection(), Create = "uptime", Triggers = new object[] { 1 } },
        [CmdRemote.CopyToRemote.TypeToken] = () => new CmdRemote.CopyToRemoteArgs { Connection = Connection(), Source = new StringAsset("hello"), RemotePath = "/tmp/hello" },

        [Rnd.RandomPassword.TypeToken] = () => new Rnd.RandomPasswordArgs { Length = 24, MinUpper = 2 },
        [Rnd.RandomString.TypeToken] = () => new Rnd.RandomStringArgs { Length = 8, Special = false },
        [Rnd.RandomId.TypeToken] = () => new Rnd.RandomIdArgs { ByteLength = 8 },
        [Rnd.RandomBytes.TypeToken] = () => new Rnd.RandomBytesArgs { Length = 32 },

        ["pulumi:providers:gandi"] = () => new GandiPkg.ProviderArgs { PersonalAccessToken = "gandi-pat-sample", DryRun = true },
        [GandiPkg.Livedns.Record.TypeToken] = () => new GandiPkg.Livedns.RecordArgs { Zone = "example.org", Name = "vpn", Type = "A", Ttl = 300, Values = new[] { "203.0.113.10" } },

        ["pulumi:providers:proxmoxve"] = () => new Pve.ProviderArgs
        {
            Endpoint = "https://pve.example.org:8006/",
            ApiToken = "root@pam!boma=sample",
            Insecure = true,
            Ssh = new ProviderSshArgs { Username = "root", PrivateKey = SshPrivateKey, Nodes = new[] { new ProviderSshNodeArgs { Name = "pve", Address = "10.0.0.2" } } },
        },
        [Pve.VmLegacy.TypeToken] = () => new Pve.VmLegacyArgs
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
        [Pve.FileLegacy.TypeToken] = () => new Pve.FileLegacyArgs
        {
            ContentType = "snippets",
            DatastoreId = "local",
            NodeName = "pve",
            SourceRaw = new FileLegacySourceRawArgs { Data = "#cloud-config\n", FileName = "vm1.yaml" },
        },
        [Pve.Download.File.TypeToken] = () => new Pve.Download.FileArgs
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
