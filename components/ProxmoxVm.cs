using System.Collections.Immutable;
using Boma.Infra.Config;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.ProxmoxVE;
using Pulumi.ProxmoxVE.Inputs;

/// <summary>Inputs of <see cref="ProxmoxVm"/>: one validated VM entry plus the cluster-wide settings it needs.</summary>
internal sealed class ProxmoxVmArgs
{
    public required ClusterVmSettings Vm { get; init; }

    /// <summary><c>&lt;host&gt;.boma.&lt;domain&gt;</c>, written into the VM's description.</summary>
    public required string Fqdn { get; init; }

    /// <summary>The DNS search domain cloud-init configures (<c>boma.&lt;domain&gt;</c>).</summary>
    public required string SearchDomain { get; init; }

    public required ClusterProxmoxSettings Proxmox { get; init; }

    public required ClusterNetworkSettings Network { get; init; }

    public required ClusterAdminSettings Admin { get; init; }

    /// <summary>The cloud image on the VM's node (<see cref="ProxmoxCloudImage.FileId"/>).</summary>
    public required Output<string> ImageFileId { get; init; }

    /// <summary>The vendor-data snippet on the VM's node (<see cref="ProxmoxCloudImage.VendorDataFileId"/>).</summary>
    public required Output<string> VendorDataFileId { get; init; }
}

/// <summary>
/// One Debian 13 VM on Proxmox VE: the boot disk imported from the node's cloud image, cloud-init with the
/// admin user and key, a static address and the first-boot DNS servers, and the QEMU guest agent. Every value the
/// provider would otherwise fill in itself is sent explicitly, so a re-run shows no diff; cloud-init (with
/// the keys) is only read at first boot, so it is in <c>ignoreChanges</c> and later changes go through the
/// bootstrap commands. The VM is protected: removing it takes a deliberate unprotect.
/// </summary>
internal sealed class ProxmoxVm : ComponentResource
{
    public const string TypeToken = "boma:proxmox:Vm";

    /// <summary>The boot disk's bus slot; the cloud image is imported into it.</summary>
    public const string DiskInterface = "scsi0";

    /// <summary>
    /// Paths the provider must not diff after creation. <c>initialization</c> is the whole cloud-init block, the
    /// user's SSH keys included (changing them would otherwise replace the VM, muhlba91/pulumi-proxmoxve#513);
    /// <c>cdrom</c> is filled in by the provider for the cloud-init drive (muhlba91/pulumi-proxmoxve#35).
    /// </summary>
    public static readonly ImmutableArray<string> IgnoredPaths = ["initialization", "cdrom"];

    public ProxmoxVm(string name, ProxmoxVmArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var vm = args.Vm;
        var network = new VmLegacyNetworkDeviceArgs
        {
            Bridge = args.Network.Bridge,
            Model = "virtio",
            Firewall = false,
        };
        if (args.Network.VlanId is { } vlan)
        {
            network.VlanId = vlan;
        }

        Machine = new VmLegacy($"{name}-vm", new VmLegacyArgs
        {
            // Always named: the provider would otherwise invent "<logical name>-<random suffix>".
            Name = vm.Name,
            NodeName = vm.Node,
            VmId = vm.VmId,
            Description = $"{args.Fqdn} ({vm.Role}), managed by boma-infra (stack cluster)",
            // Proxmox stores tags sorted and de-duplicated; sending them that way avoids a perpetual diff.
            Tags = Tags(vm).ToArray(),
            OnBoot = true,
            Started = true,
            Bios = "seabios",
            Machine = "q35",
            ScsiHardware = "virtio-scsi-single",
            OperatingSystem = new VmLegacyOperatingSystemArgs { Type = "l26" },
            Cpu = new VmLegacyCpuArgs { Cores = vm.Cores, Sockets = 1, Type = args.Proxmox.CpuType },
            // Dedicated = floating: a fixed size with no balloon target the provider would otherwise fill in.
            Memory = new VmLegacyMemoryArgs { Dedicated = vm.Memory, Floating = vm.Memory },
            Agent = new VmLegacyAgentArgs { Enabled = true, Trim = true, Type = "virtio", Timeout = "15m" },
            Disks = new InputList<VmLegacyDiskArgs>
            {
                new VmLegacyDiskArgs
                {
                    Interface = DiskInterface,
                    DatastoreId = args.Proxmox.Datastore,
                    ImportFrom = args.ImageFileId,
                    Size = vm.Disk,
                    FileFormat = "raw",
                    Iothread = true,
                    Discard = "on",
                    Ssd = true,
                    Cache = "none",
                    Aio = "io_uring",
                    Backup = true,
                    Replicate = true,
                    // Zero means "no limit"; the provider reads these back as zeros, so they are sent as zeros.
                    Speed = new VmLegacyDiskSpeedArgs
                    {
                        IopsRead = 0, IopsReadBurstable = 0, IopsWrite = 0, IopsWriteBurstable = 0,
                        Read = 0, ReadBurstable = 0, Write = 0, WriteBurstable = 0,
                    },
                },
            },
            NetworkDevices = new InputList<VmLegacyNetworkDeviceArgs> { network },
            // Debian's cloud images log to the serial console and expect one.
            SerialDevices = new InputList<VmLegacySerialDeviceArgs> { new VmLegacySerialDeviceArgs { Device = "socket" } },
            Initialization = new VmLegacyInitializationArgs
            {
                DatastoreId = args.Proxmox.Datastore,
                Interface = "ide2",
                Type = "nocloud",
                VendorDataFileId = args.VendorDataFileId,
                UserAccount = new VmLegacyInitializationUserAccountArgs
                {
                    Username = args.Admin.User,
                    Keys = new[] { args.Admin.PublicKey },
                },
                IpConfigs = new InputList<VmLegacyInitializationIpConfigArgs>
                {
                    new VmLegacyInitializationIpConfigArgs
                    {
                        Ipv4 = new VmLegacyInitializationIpConfigIpv4Args
                        {
                            Address = args.Network.Subnet.WithPrefix(vm.Address),
                            Gateway = args.Network.Gateway.ToString(),
                        },
                    },
                },
                Dns = new VmLegacyInitializationDnsArgs
                {
                    Domain = args.SearchDomain,
                    // The resolvers that exist at first boot (boma:network.bootstrapDns): the DNS VMs of this stack serve
                    // nothing yet. The bootstrap's resolvers step switches to boma:network.dns once they answer.
                    Servers = args.Network.BootstrapDns.Select(server => server.ToString()).ToArray(),
                },
            },
            StopOnDestroy = false,
            RebootAfterUpdate = false,
        }, new CustomResourceOptions
        {
            Parent = this,
            Protect = true,
            IgnoreChanges = [.. IgnoredPaths],
        });
        VmId = Machine.VmId;
        Address = Output.Create(vm.Address.ToString());
        RegisterOutputs();
    }

    public VmLegacy Machine { get; }

    [Output("vmId")]
    public Output<int> VmId { get; private set; }

    /// <summary>The static server-network address (from config, so it is known in a preview too).</summary>
    [Output("address")]
    public Output<string> Address { get; private set; }

    /// <summary>"boma", the role and the configured tags: sorted, distinct, lowercase, as Proxmox stores them.</summary>
    public static ImmutableArray<string> Tags(ClusterVmSettings vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return [.. vm.Tags.Append("boma").Append(vm.Role).Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
