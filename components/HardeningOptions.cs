using System.Collections.Immutable;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>What the base bootstrap and hardening of a host depends on.</summary>
internal sealed record HardeningOptions
{
    /// <summary>The same policy the cloud firewall is built from: public ports and break-glass CIDRs for nftables.</summary>
    public required FirewallPolicy Policy { get; init; }

    /// <summary>The only account sshd lets in (<c>AllowUsers</c>): the admin user cloud-init creates.</summary>
    public required string AdminUser { get; init; }

    /// <summary>The NetBird coordinator's FQDN, pinned in /etc/hosts.</summary>
    public required string CoordinatorFqdn { get; init; }

    /// <summary>The coordinator's public IPv4 (askari's), known once the primary IP exists.</summary>
    public required Output<string> CoordinatorAddress { get; init; }

    /// <summary>The mesh interface on which SSH is accepted.</summary>
    public string MeshInterface { get; init; } = "wt0";

    /// <summary>Never banned by fail2ban besides loopback: the NetBird mesh range, so mesh admins cannot lock themselves out.</summary>
    public ImmutableArray<string> Fail2banIgnoreCidrs { get; init; } = ["100.64.0.0/10"];

    public ImmutableArray<string> ExtraPackages { get; init; } = [];

    /// <summary>When the host may reboot for an update: <c>HH:MM</c> (host time, UTC) or <c>off</c> (config <c>boma:updates</c>).</summary>
    public string RebootWindow { get; init; } = Boma.Infra.Config.UpdatePolicy.DefaultWindow;

    /// <summary>The Docker network (name, IPv4 subnet) the docker step creates for compose stacks that share it; none when null.</summary>
    public (string Name, string Subnet)? EdgeNetwork { get; init; }
}
