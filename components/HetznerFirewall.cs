namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.HCloud;
using Pulumi.HCloud.Inputs;

/// <summary>Inputs of <see cref="HetznerFirewall"/>.</summary>
internal sealed class HetznerFirewallArgs
{
    /// <summary>The firewall's name in the Hetzner project.</summary>
    public required string Name { get; init; }

    public required FirewallPolicy Policy { get; init; }
}

/// <summary>
/// The Hetzner Cloud Firewall in front of a host. Its inbound rules are exactly
/// <see cref="FirewallPolicy.InboundRules"/>; there are no outbound rules, so outbound stays allow-all
/// (Hetzner turns outbound into deny-by-default as soon as one outbound rule exists).
/// </summary>
internal sealed class HetznerFirewall : ComponentResource
{
    public const string TypeToken = "boma:hetzner:Firewall";

    public HetznerFirewall(string name, HetznerFirewallArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rules = args.Policy.InboundRules()
            .Select(r => new FirewallRuleArgs
            {
                Direction = "in",
                Protocol = r.Protocol,
                Port = r.Port,
                SourceIps = r.SourceIps.ToArray(),
                Description = r.Description,
            })
            .ToArray();

        Firewall = new Firewall($"{name}-firewall", new FirewallArgs
        {
            // Sent explicitly: the bridge would otherwise invent a name with a random suffix.
            Name = args.Name,
            Rules = rules,
        }, new CustomResourceOptions { Parent = this });

        FirewallId = Firewall.Id;
        RegisterOutputs();
    }

    /// <summary>The firewall resource (its numeric id goes into the server's firewallIds).</summary>
    public Firewall Firewall { get; }

    [Output("firewallId")]
    public Output<string> FirewallId { get; private set; }
}
