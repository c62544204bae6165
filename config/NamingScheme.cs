namespace Boma.Infra.Config;

/// <summary>
/// The three-tier naming scheme: <c>&lt;host&gt;.boma.&lt;domain&gt;</c> for infrastructure hosts,
/// <c>&lt;service&gt;.&lt;domain&gt;</c> for home services, and <c>&lt;service&gt;.&lt;offsite host&gt;.&lt;domain&gt;</c>
/// for the public services askari runs.
/// </summary>
internal sealed record NamingScheme(string Domain, string OffsiteHost)
{
    /// <summary>The label under which infrastructure hosts live.</summary>
    public const string InfraLabel = "boma";

    /// <summary>Record name relative to the zone for an infrastructure host, e.g. <c>askari.boma</c>.</summary>
    public static string InfraRecord(string host) => $"{host}.{InfraLabel}";

    public string InfraFqdn(string host) => $"{InfraRecord(host)}.{Domain}";

    public string HomeFqdn(string service) => $"{service}.{Domain}";

    /// <summary>Record name relative to the zone for an off-site public service, e.g. <c>netbird.askari</c>.</summary>
    public string OffsiteRecord(string service) => $"{service}.{OffsiteHost}";

    public string OffsiteFqdn(string service) => $"{OffsiteRecord(service)}.{Domain}";
}
