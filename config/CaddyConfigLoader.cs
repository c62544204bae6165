using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

/// <summary>Reads and validates <c>boma:caddy</c>.</summary>
internal static partial class CaddyConfigLoader
{
    public const string Key = "caddy";

    internal static CaddyConfig Read(NetbirdConfigReader reader, string domain)
    {
        var obj = reader.Object(Key);
        var email = reader.String(obj, Key, "acmeEmail", string.Empty,
            v => v.Length == 0 || ConfigRules.IsEmail(v) ? null : $"'{v}' is not an email address", "you@example.org");
        var dns01 = reader.Bool(obj, Key, "dns01", false);
        var sites = new List<CaddySite>();
        var items = reader.Objects(obj, Key, "dns01Sites", "name") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{Key}.dns01Sites[{i}]";
            var name = reader.String(items[i], path, "name", null, n => Name(n, domain), $"grafana.boma.{domain}");
            var upstream = reader.String(items[i], path, "upstream", null, Upstream, "100.64.0.2:3000");
            if (name is not null && upstream is not null)
            {
                sites.Add(new CaddySite(name, upstream));
            }
        }

        if (dns01 && items.Count == 0)
        {
            reader.Error($"{Key}.dns01Sites", "is empty while dns01 is true: name the mesh/LAN-only sites that need DNS-01 certificates",
                reader.SetPath($"{Key}.dns01Sites[0].name", $"grafana.boma.{domain}"));
        }

        if (!dns01 && items.Count > 0)
        {
            reader.Error($"{Key}.dns01", "is false but dns01Sites are set; those sites would get no certificate",
                reader.SetPath($"{Key}.dns01", "true"));
        }

        return new CaddyConfig { AcmeEmail = email ?? string.Empty, Dns01 = dns01, Dns01Sites = [.. sites] };
    }

    private static string? Upstream(string value)
    {
        var problem = $"'{value}' is not host:port (e.g. 100.64.0.2:3000 or ubongo.boma.example.org:443)";
        var m = UpstreamRegex().Match(value);
        if (!m.Success)
        {
            return problem;
        }

        // The host by the one definition of each pattern: a strict address, a domain name or one DNS label.
        var host = m.Groups["host"].Value;
        var hostOk = Addresses.ParseIp(host, out _) is null || ConfigRules.Domain(host) is null || ConfigRules.Label(host) is null;
        var portOk = int.TryParse(m.Groups["port"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                     && port is >= 1 and <= 65535 && m.Groups["port"].Value[0] != '0';
        return hostOk && portOk ? null : problem;
    }

    private static string? Name(string value, string domain)
    {
        var problem = ConfigRules.Domain(value);
        if (problem is not null)
        {
            return problem;
        }

        return value.EndsWith("." + domain, StringComparison.Ordinal)
            ? null
            : $"'{value}' is not under {domain}; the Gandi token can only answer challenges in that zone";
    }

    [GeneratedRegex(@"^(https?://)?(?<host>[A-Za-z0-9.-]+):(?<port>[0-9]{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex UpstreamRegex();
}
