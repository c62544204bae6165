using Boma.Pulumi.Providers;

namespace Boma.Pulumi.ProxmoxVE.Inputs;

public sealed partial class VmLegacyInitializationArgs
{
    partial void AddChecks(List<string> errors)
    {
        if (UserAccount is not null && UserDataFileId is not null)
        {
            ProviderChecks.Fail(errors, "userAccount", "conflicts with userDataFileId", "put the user into the cloud-config snippet and drop UserAccount, or drop UserDataFileId");
        }
    }
}
