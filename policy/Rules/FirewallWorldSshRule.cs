using System.Globalization;
using System.Text.Json.Nodes;

namespace Boma.Infra.Policy.Rules;

/// <summary>
/// Kind "firewall-world-ssh": the sources of all inbound TCP rules covering an SSH port, taken together per
/// firewall, may not cover more than one /widestSourcePrefix of either address family (coverage, not spelling:
/// 0.0.0.0/1 plus 128.0.0.0/1 is the whole internet). No description exempts a rule; a source that is not a
/// strict CIDR is a violation. Only so many rules may call themselves break-glass.
/// </summary>
internal sealed class FirewallWorldSshRule : IResourceRule
{
    private readonly IReadOnlyList<string> firewallTypes;
    private readonly IReadOnlyList<int> sshPorts;
    private readonly int widestSourcePrefix;
    private readonly string breakGlassPrefix;
    private readonly int maxBreakGlassRules;

    public FirewallWorldSshRule(RuleDefinition definition)
    {
        Definition = definition;
        var p = definition.Parameters;
        firewallTypes = p.Strings("firewallTypes");
        sshPorts = p.Ints("sshPorts");
        widestSourcePrefix = p.Int("widestSourcePrefix");
        if (widestSourcePrefix is < 1 or > 32)
        {
            throw new PolicyFileException($"rule '{definition.Id}': parameter 'widestSourcePrefix' must be 1 to 32");
        }

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

            var sshSources = new List<System.Net.IPNetwork>();
            var sshRules = new List<int>();
            for (var i = 0; i < rules.Count; i++)
            {
                if (WireValue.Unwrap(rules[i]) is not JsonObject rule)
                {
                    continue;
                }

                var description = WireValue.AsString(rule["description"]) ?? "";
                if (description.StartsWith(breakGlassPrefix, StringComparison.Ordinal))
                {
                    breakGlass.Add((firewall.Urn, i));
                }

                if (!IsInboundTcp(rule) || !CoversSsh(rule))
                {
                    continue;
                }

                sshRules.Add(i);
                foreach (var (text, problem, network) in Sources(rule))
                {
                    if (problem is not null)
                    {
                        yield return new Violation(Definition.Id, firewall.Urn, string.Create(CultureInfo.InvariantCulture,
                            $"rules[{i}] opens SSH (tcp/{PortText(rule)}) to a source that is not a strict CIDR: {problem}"));
                    }
                    else
                    {
                        sshSources.Add(network);
                    }
                }
            }

            var wide = Boma.Infra.Config.Addresses.TooWide(sshSources, widestSourcePrefix);
            if (wide.Count > 0)
            {
                yield return new Violation(Definition.Id, firewall.Urn, string.Create(CultureInfo.InvariantCulture,
                    $"SSH rules[{string.Join(",", sshRules)}] together open SSH to the internet: {string.Join("; ", wide)}; restrict sourceIps to your admin CIDRs (no description exempts a rule)"));
            }
        }

        foreach (var (urn, index) in breakGlass.Skip(maxBreakGlassRules))
        {
            yield return new Violation(Definition.Id, urn, string.Create(CultureInfo.InvariantCulture,
                $"rules[{index}] is break-glass rule number {breakGlass.IndexOf((urn, index)) + 1}, but at most {maxBreakGlassRules} may exist in a stack: remove it or merge its sources into the existing break-glass rule"));
        }
    }

    private static IEnumerable<(string Text, string? Problem, System.Net.IPNetwork Network)> Sources(JsonObject rule)
    {
        if (WireValue.Unwrap(rule["sourceIps"]) is not JsonArray sources)
        {
            // The provider wants sourceIps on an inbound rule; a missing or odd list cannot be judged, so it is refused.
            yield return ("", "sourceIps is missing or not a list", default);
            yield break;
        }

        foreach (var source in sources)
        {
            var text = WireValue.AsString(source);
            if (text is null)
            {
                yield return ("", "a source is not a string", default);
                continue;
            }

            var problem = Boma.Infra.Config.Addresses.ParseCidr(text, out _, out var network);
            yield return (text, problem, network);
        }
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
