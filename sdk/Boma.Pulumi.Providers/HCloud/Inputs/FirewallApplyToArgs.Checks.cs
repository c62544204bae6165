using Boma.Pulumi.Providers;

namespace Boma.Pulumi.HCloud.Inputs;

public sealed partial class FirewallApplyToArgs
{
    partial void AddChecks(List<string> errors)
    {
        if ((Server is null) == (LabelSelector is null))
        {
            ProviderChecks.Fail(errors, "server", "each applyTo entry targets exactly one thing", "set either Server or LabelSelector, not both or neither");
        }
    }
}
