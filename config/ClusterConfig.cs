using System.Collections.Immutable;
using System.Net;

namespace Boma.Infra.Config;

using Pulumi;

/// <summary>
/// The validated settings of the <c>cluster</c> stack (namespace <c>boma</c> in <c>Pulumi.cluster.yaml</c>).
/// Only <see cref="ClusterConfigLoader"/> builds one, so every instance has passed validation.
/// </summary>
internal sealed record ClusterConfig(
    string Domain,
    ClusterProxmoxSettings Proxmox,
    ClusterImageSettings Image,
    ClusterNetworkSettings Network,
    ClusterAdminSettings Admin,
    ClusterMeshSettings Mesh,
    ImmutableArray<ClusterVmSettings> Vms)
{
    /// <summary>The stack's update policy (<c>boma:updates</c>); each VM's resolved window is on the VM.</summary>
    public UpdatePolicy Updates { get; init; } = UpdatePolicy.Default;

    /// <summary>The stack's secrets, secret outputs from the moment they are read.</summary>
    public required ClusterSecrets Secrets { get; init; }

    /// <summary>The internal zone every VM is named in: <c>boma.&lt;domain&gt;</c>.</summary>
    public string InternalZone => $"boma.{Domain}";

    /// <summary>The fully qualified internal name of one VM, without the trailing dot.</summary>
    public string Fqdn(ClusterVmSettings vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return $"{vm.Name}.{InternalZone}";
    }
}

/// <summary>Where the Proxmox VE API is and which nodes and storages the VMs use.</summary>
internal sealed record ClusterProxmoxSettings(
    Uri Endpoint,
    bool Insecure,
    ImmutableArray<string> Nodes,
    string Datastore,
    string ImageDatastore,
    string SnippetDatastore,
    string SshUsername,
    string CpuType);

/// <summary>The Debian 13 cloud image each node downloads once.</summary>
internal sealed record ClusterImageSettings(Uri Url, string FileName, string? Checksum, string? ChecksumAlgorithm);

/// <summary>
/// The server network the VMs sit on, and the LAN sources the VMs' nftables let reach SSH. <see cref="DnsServers"/>
/// are the resolvers the VMs use once they answer (they may be VMs of this very stack); <see cref="BootstrapDns"/>
/// are the resolvers cloud-init gives a VM at first boot, which must exist before any VM does (e.g. the router).
/// </summary>
internal sealed record ClusterNetworkSettings(
    ClusterIpv4Subnet Subnet,
    IPAddress Gateway,
    ImmutableArray<IPAddress> DnsServers,
    string Bridge,
    int? VlanId,
    ImmutableArray<string> SshSources)
{
    /// <summary><c>boma:network.bootstrapDns</c>; the gateway when unset.</summary>
    public ImmutableArray<IPAddress> BootstrapDns { get; init; } = [Gateway];
}

/// <summary>The account cloud-init creates on every VM, and the public keys it may log in with.</summary>
internal sealed record ClusterAdminSettings(string User, string PublicKey);

/// <summary>The Proxmox API token and the admin's SSH private key, never in plain text.</summary>
internal sealed record ClusterSecrets(Output<string> ProxmoxApiToken, Output<string> SshPrivateKey);

/// <summary>
/// How the VMs reach the mesh: the offsite stack that holds the setup key, the network the bootstrap uses, the
/// peers' DNS domain in NetBird, and the coordinator's name (pinned in /etc/hosts to askari's address).
/// </summary>
internal sealed record ClusterMeshSettings(
    string? OffsiteStack,
    string SetupKeyOutput,
    ClusterBootstrapPath BootstrapVia,
    string DnsDomain,
    string CoordinatorFqdn)
{
    /// <summary>The name NetBird gives a VM in the mesh: its host name under the mesh DNS domain.</summary>
    public string MeshName(string host) => $"{host}.{DnsDomain}";
}

/// <summary>Which address the bootstrap and hardening step connects to.</summary>
internal enum ClusterBootstrapPath
{
    /// <summary>The VM's static server-network address (the first run, before the VM is in the mesh).</summary>
    Lan,

    /// <summary>The VM's mesh name (once it is enrolled; for runs from outside the home network).</summary>
    Mesh,
}

/// <summary>One VM of the cluster.</summary>
internal sealed record ClusterVmSettings(
    string Name,
    int VmId,
    string Node,
    int Cores,
    int Memory,
    int Disk,
    IPAddress Address,
    string Role,
    ImmutableArray<string> Tags)
{
    /// <summary>
    /// When the VM may reboot for an update (<c>HH:MM</c> or <c>off</c>): its own <c>rebootWindow</c>, else
    /// <c>boma:updates.rebootWindow</c>, the DNS VMs an hour apart so both are never down together.
    /// </summary>
    public string RebootWindow { get; init; } = UpdatePolicy.DefaultWindow;
}
