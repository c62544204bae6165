using System.Collections.Immutable;

namespace Boma.Infra.Config;

/// <summary>
/// The NetBird coordinator and its peers as code (config key <c>boma:netbird</c>; every field has a default
/// except <c>ownerEmail</c>). See docs/netbird.md for each field.
/// </summary>
internal sealed record NetbirdConfig
{
    /// <summary>
    /// The one NetBird version: the server image and every client (askari, ubongo, the cluster VMs) are pinned to it,
    /// so a client never speaks a newer protocol than its coordinator.
    /// </summary>
    public const string Version = "0.72.4";

    /// <summary>Pinned images (docs/design/netbird.md, "Images and tags": the server tag has no leading v, the dashboard's has); fed into compose.yaml.tmpl.</summary>
    public const string ServerImage = "netbirdio/netbird-server:" + Version;

    public const string DashboardImage = "netbirdio/dashboard:v2.39.0";

    public required string OwnerEmail { get; init; }

    public required string OwnerName { get; init; }

    /// <summary>Lifetime in days (1–365) of the admin access token the headless setup creates.</summary>
    public required int AdminTokenDays { get; init; }

    /// <summary>Peer DNS domain (account setting <c>dns_domain</c>), default <c>boma.&lt;domain&gt;</c>.</summary>
    public required string MeshDnsDomain { get; init; }

    /// <summary>askari's own key (<c>boma:netbird.askariKey</c>): reusable for a rebuild, short-lived, few uses, group <c>offsite</c>.</summary>
    public required NetbirdSetupKeySpec AskariKey { get; init; }

    /// <summary>ubongo's key (<c>boma:netbird.ubongoKey</c>): one-off, group <c>control</c>.</summary>
    public required NetbirdSetupKeySpec UbongoKey { get; init; }

    /// <summary>The cluster VMs' key (<c>boma:netbird.clusterKey</c>; exported as <c>serversSetupKey</c>, the cluster stack's contract), group <c>cluster</c>.</summary>
    public required NetbirdSetupKeySpec ClusterKey { get; init; }

    /// <summary>
    /// <c>boma:netbird.keyRotation</c>: any text; changing it revokes every setup key above and the road-warrior key and
    /// issues new ones in one <c>pulumi up</c> (docs/operations/rotating-secrets.md). Enrolled peers stay enrolled.
    /// </summary>
    public required string KeyRotation { get; init; }

    /// <summary>The keys of the servers, by consumer.</summary>
    public IEnumerable<NetbirdSetupKeySpec> ServerKeys => [AskariKey, UbongoKey, ClusterKey];

    public required NetbirdSetupKeySpec RoadWarriorKey { get; init; }

    public required ImmutableArray<NetbirdPolicySpec> Policies { get; init; }

    /// <summary>Delete the account's default Allow-All policy once the scoped policies exist.</summary>
    public required bool RemoveDefaultPolicy { get; init; }

    /// <summary>Every group named by a key or a policy, sorted.</summary>
    public ImmutableArray<string> Groups =>
        [.. ServerKeys.SelectMany(k => k.Groups).Concat(RoadWarriorKey.Groups)
            .Concat(Policies.SelectMany(p => p.Sources.Concat(p.Destinations)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
