using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Command.Remote.Inputs;

public sealed partial class ProxyConnectionArgs
{
    partial void AddChecks(List<string> errors) => ConnectionChecks.Check(errors, Host, Port);
}
