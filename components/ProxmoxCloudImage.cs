using Boma.Infra.Config;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.ProxmoxVE;
using Pulumi.ProxmoxVE.Inputs;
using ProxmoxDownload = Pulumi.ProxmoxVE.Download;

/// <summary>Inputs of <see cref="ProxmoxCloudImage"/>.</summary>
internal sealed class ProxmoxCloudImageArgs
{
    /// <summary>The Proxmox node that downloads the image.</summary>
    public required string Node { get; init; }

    public required ClusterImageSettings Image { get; init; }

    /// <summary>The storage the image lands in; it must have the <c>import</c> content type enabled.</summary>
    public required string Datastore { get; init; }

    /// <summary>The storage the vendor-data snippet lands in; it must have the <c>snippets</c> content type enabled.</summary>
    public required string SnippetDatastore { get; init; }
}

/// <summary>
/// What every VM on one Proxmox node boots from, created once per node and shared: the Debian cloud image,
/// downloaded by the node itself (the VMs import it as their boot disk), and the cloud-init vendor-data
/// snippet (hosts/cluster/vendor-data.yaml.tmpl) that installs the QEMU guest agent.
/// </summary>
internal sealed class ProxmoxCloudImage : ComponentResource
{
    public const string TypeToken = "boma:proxmox:CloudImage";

    /// <summary>Proxmox's content type for disk images that VMs import (PVE 8.4 and later).</summary>
    public const string ContentType = "import";

    public const string VendorDataTemplate = "cluster/vendor-data.yaml.tmpl";

    public const string VendorDataFileName = "boma-vendor-data.yaml";

    public ProxmoxCloudImage(string name, ProxmoxCloudImageArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var fileArgs = new ProxmoxDownload.FileArgs
        {
            NodeName = args.Node,
            DatastoreId = args.Datastore,
            ContentType = ContentType,
            Url = args.Image.Url.ToString(),
            FileName = args.Image.FileName,
            // An image someone already placed by hand is not silently replaced; a changed URL or checksum still re-downloads.
            OverwriteUnmanaged = false,
            UploadTimeout = 1800,
        };
        if (args.Image.Checksum is not null && args.Image.ChecksumAlgorithm is not null)
        {
            fileArgs.Checksum = args.Image.Checksum;
            fileArgs.ChecksumAlgorithm = args.Image.ChecksumAlgorithm;
        }

        File = new ProxmoxDownload.File($"{name}-file", fileArgs, new CustomResourceOptions { Parent = this });

        VendorDataText = HostTemplates.Render(VendorDataTemplate, new Dictionary<string, string>());
        // Uploaded over SSH to the node by the provider (its `ssh` settings); the id is <datastore>:snippets/<file name>.
        VendorData = new FileLegacy($"{name}-vendor-data", new FileLegacyArgs
        {
            NodeName = args.Node,
            DatastoreId = args.SnippetDatastore,
            ContentType = "snippets",
            SourceRaw = new FileLegacySourceRawArgs { Data = VendorDataText, FileName = VendorDataFileName },
        }, new CustomResourceOptions { Parent = this });

        // The volume id the VMs' disks import from: <datastore>:import/<file name>.
        FileId = File.Id;
        VendorDataFileId = VendorData.Id;
        RegisterOutputs();
    }

    public ProxmoxDownload.File File { get; }

    public FileLegacy VendorData { get; }

    /// <summary>The rendered vendor data (no secrets), also written by <c>plan --out</c>.</summary>
    public string VendorDataText { get; }

    [Output("vendorDataFileId")]
    public Output<string> VendorDataFileId { get; private set; }

    [Output("fileId")]
    public Output<string> FileId { get; private set; }
}
