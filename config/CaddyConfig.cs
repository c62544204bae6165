using System.Collections.Immutable;

namespace Boma.Infra.Config;

/// <summary>
/// Caddy in front of NetBird (config key <c>boma:caddy</c>). HTTP-01 for the public <c>&lt;service&gt;.askari.&lt;domain&gt;</c>
/// names always; DNS-01 through Gandi for mesh/LAN-only names only when <see cref="Dns01"/> is on, which needs
/// the custom Caddy build (docs/netbird.md, "DNS-01").
/// </summary>
internal sealed record CaddyConfig
{
    /// <summary>Stock image for HTTP-01 only.</summary>
    public const string StockImage = "caddy:2.10.2";

    /// <summary>caddy-dns/gandi still targets libdns 0.2, so the Gandi build must stay on Caddy 2.9.1 (docs/design/caddy.md, "DNS-01 through Gandi").</summary>
    public const string GandiBuildVersion = "2.9.1";

    public const string GandiImage = "boma/caddy-gandi:" + GandiBuildVersion;

    /// <summary>ACME account email (expiry notices); empty = none.</summary>
    public required string AcmeEmail { get; init; }

    public required bool Dns01 { get; init; }

    /// <summary>Sites that get DNS-01 certificates because they are not publicly reachable (e.g. <c>grafana.boma.example.org</c>).</summary>
    public required ImmutableArray<CaddySite> Dns01Sites { get; init; }

    public string Image => Dns01 ? GandiImage : StockImage;
}
