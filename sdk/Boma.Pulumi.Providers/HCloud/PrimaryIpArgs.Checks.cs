using Boma.Pulumi.Providers;

namespace Boma.Pulumi.HCloud;

public sealed partial class PrimaryIpArgs
{
    partial void AddChecks(List<string> errors)
    {
        ProviderChecks.OneOf(errors, "type", Type, "ipv4", "ipv6");
        ProviderChecks.OneOf(errors, "assigneeType", AssigneeType, "server");
    }
}
