using Boma.Pulumi.Providers;

namespace Boma.Pulumi.ProxmoxVE;

public sealed partial class VmLegacyArgs
{
    partial void AddChecks(List<string> errors)
    {
        // Proxmox reserves IDs below 100; the API refuses them at create time.
        ProviderChecks.Range(errors, "vmId", VmId, 100, 999_999_999, "set VmId to 100 or more, or leave it unset for the next free ID");
    }
}
