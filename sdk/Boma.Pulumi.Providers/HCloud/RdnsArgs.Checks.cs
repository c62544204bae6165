using Boma.Pulumi.Providers;

namespace Boma.Pulumi.HCloud;

public sealed partial class RdnsArgs
{
    partial void AddChecks(List<string> errors)
    {
        var targets = new object?[] { ServerId, PrimaryIpId, FloatingIpId, LoadBalancerId }.Count(target => target is not null);
        if (targets != 1)
        {
            ProviderChecks.Fail(errors, "serverId", $"{targets} targets set; a PTR record belongs to exactly one", "set exactly one of ServerId, PrimaryIpId, FloatingIpId or LoadBalancerId");
        }
    }
}
