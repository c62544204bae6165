using Boma.Pulumi.Providers;

namespace Boma.Pulumi.HCloud;

public sealed partial class ServerArgs
{
    partial void AddChecks(List<string> errors)
    {
        // Hetzner only has one protection flag for both; the provider rejects differing values.
        if (DeleteProtection is not null && RebuildProtection is not null
            && KnownValue.TryGet(DeleteProtection, out var delete) && KnownValue.TryGet(RebuildProtection, out var rebuild)
            && delete != rebuild)
        {
            ProviderChecks.Fail(errors, "rebuildProtection", "differs from deleteProtection", "set DeleteProtection and RebuildProtection to the same value");
        }
    }
}
