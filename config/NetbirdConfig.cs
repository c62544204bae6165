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
    /// <c>boma:netbird.clusterRoles</c>: the cluster roles (<c>boma:vms[*].role</c> of the cluster stack) that get their
    /// own setup key (<see cref="ClusterRoleKeys"/>), exported in the secret map output <c>clusterSetupKeys</c>.
    /// </summary>
    public required ImmutableArray<string> ClusterRoles { get; init; }

    /// <summary>
    /// One key per cluster role: the cluster key's type, expiry and usage limit, named <c>&lt;clusterKey.name&gt;-&lt;role&gt;</c>,
    /// landing in the cluster key's groups plus the role's own group (<see cref="Components.FirewallPolicy.ClusterRoleGroup"/>).
    /// </summary>
    public IEnumerable<(string Role, NetbirdSetupKeySpec Key)> ClusterRoleKeys =>
        ClusterRoles.Select(role => (role, ClusterKey with
        {
            Name = $"{ClusterKey.Name}-{role}",
            Groups = [.. ClusterKey.Groups.Append(Components.FirewallPolicy.ClusterRoleGroup(role)).Distinct(StringComparer.Ordinal)],
        }));

    /// <summary>
    /// What each role serves over the mesh (<see cref="Components.FirewallPolicy.RoleMeshPorts"/>, the table the VMs' wt0
    /// rules come from) as NetBird policies: one per port and protocol, from the admins' groups (ubongo's and the
    /// road-warriors' key groups) to the role's group, one-way. Docker and storage serve nothing here: SSH and ping
    /// reach them through the common cluster group's policies.
    /// </summary>
    public IEnumerable<NetbirdPolicySpec> RolePolicies =>
        ClusterRoles.SelectMany(role => Components.FirewallPolicy.RoleMeshPorts(role).Select(port => new NetbirdPolicySpec(
            RolePolicyName(role, port.Port, port.Protocol),
            $"the admins may reach the {role} VMs' {port.Protocol}/{port.Port} ({port.Purpose})",
            [.. UbongoKey.Groups.Concat(RoadWarriorKey.Groups).Distinct(StringComparer.Ordinal)],
            [Components.FirewallPolicy.ClusterRoleGroup(role)],
            port.Protocol,
            [port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            false)));

    /// <summary>The name of a generated role policy (<c>cluster-dns-53-udp</c>); configured policies may not use it.</summary>
    public static string RolePolicyName(string role, int port, string protocol) =>
        $"{Components.FirewallPolicy.ClusterRoleGroup(role)}-{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{protocol}";

    /// <summary>The configured policies followed by the generated role policies: what policies.sh applies.</summary>
    public IEnumerable<NetbirdPolicySpec> AllPolicies => Policies.Concat(RolePolicies);

    /// <summary>
    /// <c>boma:netbird.keyRotation</c>: any text; changing it revokes every setup key above and the road-warrior key and
    /// issues new ones in one <c>pulumi up</c> (docs/operations/rotating-secrets.md). Enrolled peers stay enrolled.
    /// </summary>
    public required string KeyRotation { get; init; }

    /// <summary>The keys of the servers, by consumer (the cluster's common key and one per role).</summary>
    public IEnumerable<NetbirdSetupKeySpec> ServerKeys => [AskariKey, UbongoKey, ClusterKey, .. ClusterRoleKeys.Select(k => k.Key)];

    public required NetbirdSetupKeySpec RoadWarriorKey { get; init; }

    public required ImmutableArray<NetbirdPolicySpec> Policies { get; init; }

    /// <summary>Delete the account's default Allow-All policy once the scoped policies exist.</summary>
    public required bool RemoveDefaultPolicy { get; init; }

    /// <summary>Every group named by a key or a policy, sorted.</summary>
    public ImmutableArray<string> Groups =>
        [.. ServerKeys.SelectMany(k => k.Groups).Concat(RoadWarriorKey.Groups)
            .Concat(AllPolicies.SelectMany(p => p.Sources.Concat(p.Destinations)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
