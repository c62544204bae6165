namespace Boma.Infra.Config;

/// <summary>A mesh/LAN-only site with a DNS-01 certificate: Caddy on askari proxies <see cref="Name"/> to <see cref="Upstream"/> (host:port, e.g. over the mesh).</summary>
internal sealed record CaddySite(string Name, string Upstream);
