using System.Globalization;
using System.Text.Json.Nodes;

namespace Boma.Infra.Policy.Rules;

/// <summary>
/// Kind "firewall-world-ssh": no inbound TCP rule covering an SSH port may take the whole internet as source,
/// unless its description starts with the break-glass prefix; and only so many break-glass rules may exist.
/// </summary>
internal sealed class FirewallWorldSshRule : IResourceRule
{
    private readonly IReadOnlyList<string> firewallTypes;
    private readonly IReadOnlyList<int> sshPorts;
    private readonly HashSet<string> worldCidrs;
    private readonly string breakGlassPrefix;
    private readonly int maxBreakGlassRules;

    public FirewallWorldSshRule(RuleDefinition definition)
    {
        Definition = definition;
        var p = definition.Parameters;
        firewallTypes = p.Strings("firewallTypes");
        sshPorts = p.Ints("sshPorts");
        worldCidrs = new HashSet<string>(p.Strings("worldCidrs"), StringComparer.OrdinalIgnoreCase);
        breakGlassPrefix = p.String("breakGlassPrefix");
        maxBreakGlassRules = p.Int("maxBreakGlassRules");
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var breakGlass = new List<(string Urn, int Index)>();
        foreach (var firewall in resources.Where(r => TypePattern.MatchesAny(firewallTypes, r.Type)))
        {
            if (WireValue.Unwrap(firewall.Inputs["rules"]) is not JsonArray rules)
            {
                continue;
            }

            for (var i = 0; i < rules.Count; i++)
            {
                if (WireValue.Unwrap(rules[i]) is not JsonObject rule)
                {
                    continue;
                }

                var description = WireValue.AsString(rule["description"]) ?? "";
                var isBreakGlass = description.StartsWith(breakGlassPrefix, StringComparison.Ordinal);
                if (isBreakGlass)
                {
                    breakGlass.Add((firewall.Urn, i));
                }

                var world = WorldSources(rule);
                if (world.Count > 0 && IsInboundTcp(rule) && CoversSsh(rule) && !isBreakGlass)
                {
                    yield return new Violation(Definition.Id, firewall.Urn, string.Create(CultureInfo.InvariantCulture,
                        $"rules[{i}] opens SSH (tcp/{PortText(rule)}) to {string.Join(" and ", world)}: restrict sourceIps to your admin CIDRs, or, if this is the one WAN break-glass rule, start its description with '{breakGlassPrefix}'"));
                }
            }
        }

        foreach (var (urn, index) in breakGlass.Skip(maxBreakGlassRules))
        {
            yield return new Violation(Definition.Id, urn, string.Create(CultureInfo.InvariantCulture,
                $"rules[{index}] is break-glass rule number {breakGlass.IndexOf((urn, index)) + 1}, but at most {maxBreakGlassRules} may exist in a stack: remove it or merge its sources into the existing break-glass rule"));
        }
    }

    private List<string> WorldSources(JsonObject rule)
    {
        if (WireValue.Unwrap(rule["sourceIps"]) is not JsonArray sources)
        {
            return [];
        }

        return sources.Select(WireValue.AsString)
            .Where(s => s is not null && worldCidrs.Contains(s.Trim()))
            .Select(s => s!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static bool IsInboundTcp(JsonObject rule)
    {
        // The provider requires direction; an absent one is read as inbound so a malformed rule cannot slip by.
        var direction = WireValue.AsString(rule["direction"]) ?? "in";
        var protocol = WireValue.AsString(rule["protocol"]) ?? "tcp";
        return direction.Equals("in", StringComparison.OrdinalIgnoreCase)
               && protocol.Equals("tcp", StringComparison.OrdinalIgnoreCase);
    }

    private static string PortText(JsonObject rule) =>
        WireValue.AsString(rule["port"]) ?? WireValue.AsNumber(rule["port"])?.ToString(CultureInfo.InvariantCulture) ?? "any";

    private bool CoversSsh(JsonObject rule)
    {
        var port = PortText(rule).Trim();
        if (port.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dash = port.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0
            && int.TryParse(port[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            && int.TryParse(port[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            return sshPorts.Any(p => p >= from && p <= to);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var single) && sshPorts.Contains(single);
    }
}
