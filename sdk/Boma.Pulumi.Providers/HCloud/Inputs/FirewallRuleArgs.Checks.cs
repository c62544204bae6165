using Boma.Pulumi.Providers;

namespace Boma.Pulumi.HCloud.Inputs;

public sealed partial class FirewallRuleArgs
{
    private static readonly string[] Protocols = ["tcp", "udp", "icmp", "gre", "esp"];

    // The Hetzner API rejects these only at apply time; catching them here keeps a bad rule
    // from half-applying a firewall.
    partial void AddChecks(List<string> errors)
    {
        ProviderChecks.OneOf(errors, "direction", Direction, "in", "out");
        ProviderChecks.OneOf(errors, "protocol", Protocol, Protocols);
        if (Protocol is not null && KnownValue.TryGet(Protocol, out var protocol))
        {
            var needsPort = protocol is "tcp" or "udp";
            if (needsPort && Port is null)
            {
                ProviderChecks.Fail(errors, "port", $"required for protocol {protocol}", "set Port to a port (\"22\"), a range (\"80-85\") or \"any\"");
            }
            else if (!needsPort && Port is not null && Protocols.Contains(protocol))
            {
                ProviderChecks.Fail(errors, "port", $"not allowed for protocol {protocol}", "leave Port unset for icmp, gre and esp");
            }
        }

        if (Direction is not null && KnownValue.TryGet(Direction, out var direction))
        {
            if (direction == "in" && SourceIps is null)
            {
                ProviderChecks.Fail(errors, "sourceIps", "required for an inbound rule", "set SourceIps (e.g. \"0.0.0.0/0\", \"::/0\")");
            }
            else if (direction == "out" && DestinationIps is null)
            {
                ProviderChecks.Fail(errors, "destinationIps", "required for an outbound rule", "set DestinationIps (e.g. \"0.0.0.0/0\", \"::/0\")");
            }
        }
    }
}
