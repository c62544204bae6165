using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

/// <summary>Reads and validates <c>boma:caddy</c>.</summary>
internal static partial class NetbirdCaddyConfigLoader
{
    public const string Key = "caddy";

    internal static NetbirdCaddyConfig Read(NetbirdConfigReader reader, string domain)
    {
        var obj = reader.Object(Key);
        var email = reader.String(obj, Key, "acmeEmail", string.Empty,
            v => v.Length == 0 || EmailRegex().IsMatch(v) ? null : $"'{v}' is not an email address", "you@example.org");
        var dns01 = reader.Bool(obj, Key, "dns01", false);
        var names = reader.Strings(obj, Key, "dns01Names", [], n => Name(n, domain), $"ubongo.boma.{domain}") ?? [];
        if (dns01 && names.Count == 0)
        {
            reader.Error($"{Key}.dns01Names", "is empty while dns01 is true: name the mesh/LAN-only sites that need DNS-01 certificates",
                NetbirdConfigReader.SetPath($"{Key}.dns01Names[0]", $"ubongo.boma.{domain}"));
        }

        if (!dns01 && names.Count > 0)
        {
            reader.Error($"{Key}.dns01", "is false but dns01Names are set; those names would get no certificate",
                NetbirdConfigReader.SetPath($"{Key}.dns01", "true"));
        }

        return new NetbirdCaddyConfig { AcmeEmail = email ?? string.Empty, Dns01 = dns01, Dns01Names = [.. names] };
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

    [GeneratedRegex(@"^[^@\s'""`$\\]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();
}
