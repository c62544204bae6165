using System.Collections.Immutable;

namespace Boma.Infra.Config;

/// <summary>The offsite stack's validated config (see docs/offsite.md for every key, default and rule).</summary>
internal sealed record OffsiteConfig
{
    public required string Domain { get; init; }

    public required string Location { get; init; }

    public required string Image { get; init; }

    public required string ServerType { get; init; }

    /// <summary>askari's host name; its FQDN is <c>&lt;hostName&gt;.boma.&lt;domain&gt;</c>.</summary>
    public required string HostName { get; init; }

    public required string AdminUser { get; init; }

    public required string AdminPublicKey { get; init; }

    /// <summary>Normalised CIDRs allowed to reach SSH on the WAN (the break-glass rule).</summary>
    public required ImmutableArray<string> BreakGlassCidrs { get; init; }

    /// <summary>Public services on askari, each at <c>&lt;name&gt;.&lt;hostName&gt;.&lt;domain&gt;</c>.</summary>
    public required ImmutableArray<string> OffsiteServices { get; init; }

    /// <summary>The offsite service that is the NetBird coordinator (pinned in /etc/hosts).</summary>
    public required string CoordinatorService { get; init; }

    public required ImmutableArray<HomeService> HomeServices { get; init; }

    public required int DnsTtl { get; init; }

    public required bool Ipv6 { get; init; }

    /// <summary>askari's reboot window for updates (<c>boma:updates</c>).</summary>
    public UpdatePolicy Updates { get; init; } = UpdatePolicy.Default;

    public required OffsiteSecrets Secrets { get; init; }

    public NamingScheme Naming => new(Domain, HostName);
}
