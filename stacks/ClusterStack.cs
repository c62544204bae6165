using System.Collections.Immutable;
using Boma.Infra.Components;
using Boma.Infra.Config;

namespace Boma.Infra.Stacks;

using Pulumi;

/// <summary>
/// The cluster stack: the home cluster's Debian 13 VMs on Proxmox VE, brought to askari's baseline by the
/// same bootstrap and hardening component, and enrolled in the mesh with the setup key the offsite stack
/// exports. Wiring only: the config is loaded and validated first (nothing is registered when it is bad),
/// the inventory files are rendered next (a template error also stops before any registration), then the
/// explicit provider, the per-node images, the VMs, the offsite reference and one bootstrap per VM.
/// </summary>
internal static class ClusterStack
{
    public const string Name = "cluster";

    public static StackBuild Run(IConfigSource source) => Build(ClusterConfigLoader.Load(source));

    /// <summary>The offsite stack the cluster reads, <c>&lt;org&gt;/&lt;project&gt;/offsite</c> unless configured.</summary>
    public static string OffsiteStackName(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Mesh.OffsiteStack ?? $"{Deployment.Instance.OrganizationName}/{Deployment.Instance.ProjectName}/offsite";
    }

    public static StackBuild Build(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var inventory = ClusterInventory.From(config);
        var ansibleInventory = ClusterInventoryRenderer.AnsibleInventory(inventory);
        var zoneFragment = ClusterInventoryRenderer.ZoneFragment(inventory);

        // One explicit provider with the secret API token; every Proxmox resource inherits it through its component.
        var proxmox = new Pulumi.ProxmoxVE.Provider("proxmoxve", new Pulumi.ProxmoxVE.ProviderArgs
        {
            Endpoint = config.Proxmox.Endpoint.ToString(),
            ApiToken = config.Secrets.ProxmoxApiToken,
            Insecure = config.Proxmox.Insecure,
            // Snippet uploads go over SSH to the node; the key comes from the operator's ssh-agent.
            Ssh = new Pulumi.ProxmoxVE.Inputs.ProviderSshArgs { Username = config.Proxmox.SshUsername, Agent = true },
        });
        var onProxmox = new ComponentResourceOptions { Providers = [proxmox] };

        // Each node used by a VM gets the image and vendor data once; its VMs share them.
        var images = config.Proxmox.Nodes
            .Where(node => config.Vms.Any(vm => vm.Node == node))
            .ToDictionary(node => node, node => new ProxmoxCloudImage($"image-{node}", new ProxmoxCloudImageArgs
            {
                Node = node,
                Image = config.Image,
                Datastore = config.Proxmox.ImageDatastore,
                SnippetDatastore = config.Proxmox.SnippetDatastore,
            }, onProxmox));

        var offsite = new ClusterOffsiteReference("offsite", new ClusterOffsiteReferenceArgs
        {
            StackName = OffsiteStackName(config),
            SetupKeyOutput = config.Mesh.SetupKeyOutput,
        });

        // askari's policy object, parameterised for a LAN host: SSH from the configured LAN sources; each VM adds its role's ports below.
        var policy = new FirewallPolicy { PublicPorts = [], BreakGlassCidrs = config.Network.SshSources };
        var hardening = new HardeningOptions
        {
            Policy = policy,
            AdminUser = config.Admin.User,
            CoordinatorFqdn = config.Mesh.CoordinatorFqdn,
            CoordinatorAddress = offsite.CoordinatorIpv4,
        };

        var hostFiles = new List<HostFile>
        {
            new("cluster/inventory.yaml", Output.Create(ansibleInventory)),
            new($"cluster/{config.InternalZone}.fragment", Output.Create(zoneFragment)),
        };
        hostFiles.AddRange(images.Values.Take(1).Select(image =>
            new HostFile("cluster/vendor-data.yaml", Output.Create(image.VendorDataText))));

        var vmIds = new Dictionary<string, object?>(StringComparer.Ordinal);
        var rebootWindows = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var vm in config.Vms)
        {
            var image = images[vm.Node];
            var machine = new ProxmoxVm(vm.Name, new ProxmoxVmArgs
            {
                Vm = vm,
                Fqdn = config.Fqdn(vm),
                SearchDomain = config.InternalZone,
                Proxmox = config.Proxmox,
                Network = config.Network,
                Admin = config.Admin,
                ImageFileId = image.FileId,
                VendorDataFileId = image.VendorDataFileId,
            }, onProxmox);

            // The first run reaches a new VM over the LAN; once enrolled it can also be reached by its mesh name.
            var address = config.Mesh.BootstrapVia == ClusterBootstrapPath.Lan ? vm.Address.ToString() : config.Mesh.MeshName(vm.Name);
            var bootstrap = new HostBootstrap(vm.Name, new HostBootstrapArgs
            {
                HostName = vm.Name,
                // Derived from the VM's own output, so every command waits for the VM (a component's dependsOn alone does not reach them).
                Host = new RemoteHost(new SshTarget(machine.Machine.VmId.Apply(_ => address), config.Admin.User, config.Secrets.SshPrivateKey)),
                // Each VM's firewall opens what its role serves (a dns VM: 53/udp+tcp), nothing else.
                // The mesh enrolment runs before AIDE's database is built, so the NetBird client is part of the baseline.
                Steps = HostHardening.Steps(
                    hardening with { Policy = FirewallPolicy.ForClusterRole(vm.Role, config.Network.SshSources, config.Network.Subnet.ToString()), RebootWindow = vm.RebootWindow },
                    // First boot resolves through boma:network.bootstrapDns; the resolvers step moves to boma:network.dns once it answers.
                    [ClusterResolvers.Step(config.Network, config.InternalZone), ClusterMeshEnrolment.Step(vm.Name, offsite.ManagementUrl, offsite.SetupKey)]),
            }, new ComponentResourceOptions { DependsOn = new InputList<Resource> { machine.Machine } });

            hostFiles.AddRange(bootstrap.HostFiles);
            vmIds[vm.Name] = machine.VmId;
            rebootWindows[vm.Name] = vm.RebootWindow;
        }

        var outputs = new Dictionary<string, object?>
        {
            ["inventory"] = inventory.Hosts.Select(h => h.ToOutput()).ToImmutableArray(),
            ["ansibleInventory"] = ansibleInventory,
            ["zoneFragment"] = zoneFragment,
            ["internalZone"] = config.InternalZone,
            ["vmIds"] = vmIds,
            // When each VM may reboot for an update (the DNS VMs never in the same window), and how to see its state.
            ["updates"] = new Dictionary<string, object?>
            {
                ["rebootWindows"] = rebootWindows,
                ["statusCommand"] = OffsiteStack.UpdateStatusCommand(config.Admin.User, "<vm>." + config.Mesh.DnsDomain),
            },
        };
        return new StackBuild(outputs, [.. hostFiles]);
    }
}
