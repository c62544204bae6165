using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

/// <summary>Reads and validates <c>boma:netbird</c>; all problems are reported at once, before anything is registered.</summary>
internal static partial class NetbirdConfigLoader
{
    public const string Key = "netbird";

    public static readonly ImmutableArray<string> Protocols = ["all", "tcp", "udp", "icmp", "netbird-ssh"];

    /// <summary>
    /// The default scoped policies, least privilege: the admins (ubongo, the control node, and road-warrior laptops)
    /// may SSH to and ping the servers; servers initiate nothing (no policy has offsite or cluster as a source), and
    /// nothing is "all" or bidirectional.
    /// </summary>
    public static readonly ImmutableArray<NetbirdPolicySpec> DefaultPolicies =
    [
        new("admins-ssh", "ubongo and road-warrior laptops may SSH to askari and the cluster", ["control", "road-warriors"], ["offsite", "cluster"], "tcp", ["22"], false),
        new("road-warriors-control-ssh", "road-warrior laptops may SSH to ubongo", ["road-warriors"], ["control"], "tcp", ["22"], false),
        new("admins-ping", "ubongo and road-warrior laptops may ping every server", ["control", "road-warriors"], ["offsite", "cluster", "control"], "icmp", [], false),
    ];

    /// <summary>Default per-consumer server keys: each expires and has a usage limit (0 for either is refused).</summary>
    public static readonly NetbirdSetupKeySpec DefaultAskariKey = new("askari", "reusable", 7 * 24 * 3600, 3, false, ["offsite"]);

    public static readonly NetbirdSetupKeySpec DefaultUbongoKey = new("ubongo", "one-off", 7 * 24 * 3600, 1, false, ["control"]);

    public static readonly NetbirdSetupKeySpec DefaultClusterKey = new("cluster", "reusable", 30 * 24 * 3600, 20, false, ["cluster"]);

    /// <summary>Reads into <paramref name="reader"/>'s error list (so a stack can report several sections together).</summary>
    internal static NetbirdConfig Read(NetbirdConfigReader reader, string domain)
    {
        var obj = reader.Object(Key);
        var email = reader.String(obj, Key, "ownerEmail", null, Email, "you@example.org");
        var name = reader.String(obj, Key, "ownerName", "boma admin", v => OwnerNameRegex().IsMatch(v) ? null : $"'{v}' must be 1-100 letters, digits, spaces, '.', '_' or '-'", "'boma admin'");
        var days = reader.Int(obj, Key, "adminTokenDays", 365, 1, 365);
        var dns = reader.String(obj, Key, "meshDnsDomain", $"boma.{domain}", ConfigRules.Domain, $"boma.{domain}");
        var askari = ReadKey(reader, obj, "askariKey", DefaultAskariKey, roadWarrior: false);
        var ubongo = ReadKey(reader, obj, "ubongoKey", DefaultUbongoKey, roadWarrior: false);
        var cluster = ReadKey(reader, obj, "clusterKey", DefaultClusterKey, roadWarrior: false);
        var roles = ReadClusterRoles(reader, obj);
        var rotation = reader.String(obj, Key, "keyRotation", "0", v => KeyRotationRegex().IsMatch(v) ? null : $"'{v}' must be 1-64 letters, digits, '.', '_' or '-'", "2026-12-01");
        var roadWarrior = ReadKey(reader, obj, "roadWarriorKey", new("road-warriors", "one-off", 7 * 24 * 3600, 1, false, ["road-warriors"]), roadWarrior: true);
        var policies = ReadPolicies(reader, obj);
        var removeDefault = reader.Bool(obj, Key, "removeDefaultPolicy", true);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, spec) in new[] { ("askariKey", askari), ("ubongoKey", ubongo), ("clusterKey", cluster), ("roadWarriorKey", roadWarrior) })
        {
            if (!seen.Add(spec.Name))
            {
                reader.Error($"{Key}.{field}.name", $"'{spec.Name}' is also another setup key's name; the scripts find keys by name, so each consumer needs its own",
                    reader.SetPath($"{Key}.{field}.name", field.Replace("Key", string.Empty, StringComparison.Ordinal)));
            }
        }

        foreach (var role in roles)
        {
            // The per-role keys are named after the cluster key; a clash with another consumer's key would make the scripts share it.
            var roleKey = $"{cluster.Name}-{role}";
            if (roleKey.Length > 64)
            {
                reader.Error($"{Key}.clusterRoles", $"the setup key '{roleKey}' of role '{role}' is longer than 64 characters",
                    $"shorten boma:netbird.clusterKey.name or the role ({reader.SetPath($"{Key}.clusterKey.name", "cluster")})");
            }
            else if (!seen.Add(roleKey))
            {
                reader.Error($"{Key}.clusterRoles", $"role '{role}' gets the setup key '{roleKey}', which is also another setup key's name",
                    reader.SetPath($"{Key}.clusterKey.name", "cluster"));
            }
        }

        var generated = roles.SelectMany(role => Components.FirewallPolicy.RoleMeshPorts(role)
            .Select(port => NetbirdConfig.RolePolicyName(role, port.Port, port.Protocol))).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < policies.Length; i++)
        {
            if (generated.Contains(policies[i].Name))
            {
                reader.Error($"{Key}.policies[{i}].name", $"'{policies[i].Name}' is the name of a role policy boma derives from boma:netbird.clusterRoles; policies are matched by name",
                    reader.SetPath($"{Key}.policies[{i}].name", policies[i].Name + "-custom"));
            }
        }

        if (removeDefault && policies.Length == 0)
        {
            reader.Error($"{Key}.policies", "is empty while removeDefaultPolicy is true: removing Allow-All would cut every peer off",
                $"{reader.SetPath($"{Key}.removeDefaultPolicy", "false")}, or add a policy");
        }

        return new NetbirdConfig
        {
            OwnerEmail = email ?? string.Empty,
            OwnerName = name ?? "boma admin",
            AdminTokenDays = days,
            MeshDnsDomain = dns ?? string.Empty,
            AskariKey = askari,
            UbongoKey = ubongo,
            ClusterKey = cluster,
            ClusterRoles = roles,
            KeyRotation = rotation ?? "0",
            RoadWarriorKey = roadWarrior,
            Policies = policies,
            RemoveDefaultPolicy = removeDefault,
        };
    }

    private static NetbirdSetupKeySpec ReadKey(NetbirdConfigReader reader, JsonElement root, string field, NetbirdSetupKeySpec fallback, bool roadWarrior)
    {
        var path = $"{Key}.{field}";
        var found = reader.Field(root, Key, field, out var obj);
        if (obj.ValueKind != JsonValueKind.Object)
        {
            if (found)
            {
                reader.Error(path, "must be an object", reader.SetPath(path + ".type", fallback.Type));
            }

            return fallback;
        }

        var name = reader.String(obj, path, "name", fallback.Name, KeyName, fallback.Name);
        var type = reader.String(obj, path, "type", fallback.Type, t => t is "reusable" or "one-off" ? null : $"'{t}' is not reusable or one-off", fallback.Type);
        var hours = reader.Int(obj, path, "expiresInHours", fallback.ExpiresInSeconds / 3600, 0, 365 * 24);
        var usage = reader.Int(obj, path, "usageLimit", fallback.UsageLimit, 0, 10_000);
        var ephemeral = reader.Bool(obj, path, "ephemeral", fallback.Ephemeral);
        var groups = reader.Strings(obj, path, "groups", fallback.Groups, ConfigRules.Label, fallback.Groups[0]);

        if (roadWarrior && type == "reusable" && (hours == 0 || hours > 30 * 24))
        {
            // A reusable key that never expires is a standing invitation into the mesh for whoever copies it.
            reader.Error($"{path}.expiresInHours", $"a reusable road-warrior key must expire within 720 hours (30 days), got {hours}",
                $"{reader.SetPath($"{path}.expiresInHours", "168")}, or make it one-off: {reader.SetPath($"{path}.type", "one-off")}");
        }

        if (!roadWarrior && hours == 0)
        {
            // A server key that never expires stays a way into the mesh long after the server it was made for joined.
            reader.Error($"{path}.expiresInHours", "a server's setup key must expire (0 means never)",
                reader.SetPath($"{path}.expiresInHours", (fallback.ExpiresInSeconds / 3600).ToString(CultureInfo.InvariantCulture)));
        }

        if (!roadWarrior && type == "reusable" && usage == 0)
        {
            reader.Error($"{path}.usageLimit", "a server's reusable setup key needs a usage limit (0 means unlimited)",
                reader.SetPath($"{path}.usageLimit", Math.Max(fallback.UsageLimit, 1).ToString(CultureInfo.InvariantCulture)));
        }

        return new NetbirdSetupKeySpec(name ?? fallback.Name, type ?? fallback.Type, hours * 3600, type == "one-off" ? 1 : usage, ephemeral,
            [.. groups ?? [.. fallback.Groups]]);
    }

    /// <summary>
    /// <c>boma:netbird.clusterRoles</c>: distinct cluster roles (the cluster stack's <c>boma:vms[*].role</c> rule, at most 40
    /// characters so the key and group names stay short), default <see cref="Components.FirewallPolicy.DefaultClusterRoles"/>.
    /// </summary>
    private static ImmutableArray<string> ReadClusterRoles(NetbirdConfigReader reader, JsonElement root)
    {
        var path = $"{Key}.clusterRoles";
        var roles = reader.Strings(root, Key, "clusterRoles", Components.FirewallPolicy.DefaultClusterRoles, ClusterRole, "dns");
        if (roles is null)
        {
            return Components.FirewallPolicy.DefaultClusterRoles;
        }

        for (var i = 0; i < roles.Count; i++)
        {
            if (roles.IndexOf(roles[i]) != i)
            {
                reader.Error($"{path}[{i}]", $"'{roles[i]}' is listed twice", reader.Rm($"{path}[{i}]"));
            }
        }

        return [.. roles.Distinct(StringComparer.Ordinal)];
    }

    private static string? ClusterRole(string value) =>
        ClusterRoleRegex().IsMatch(value) && value is not ("all" or "ungrouped")
            ? null
            : $"'{value}' is not a cluster role (boma:vms[*].role of the cluster stack: [a-z][a-z0-9_]*, at most 40 characters, not 'all' or 'ungrouped')";

    private static ImmutableArray<NetbirdPolicySpec> ReadPolicies(NetbirdConfigReader reader, JsonElement root)
    {
        var items = reader.Objects(root, Key, "policies", "name");
        if (items is null)
        {
            return DefaultPolicies;
        }

        var result = ImmutableArray.CreateBuilder<NetbirdPolicySpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{Key}.policies[{i}]";
            var obj = items[i];
            var name = reader.String(obj, path, "name", null, KeyName, "admins-ssh");
            var description = reader.String(obj, path, "description", string.Empty, _ => null, "'who may reach what'");
            var sources = reader.Strings(obj, path, "sources", null, ConfigRules.Label, "road-warriors");
            var destinations = reader.Strings(obj, path, "destinations", null, ConfigRules.Label, "infra");
            var protocol = reader.String(obj, path, "protocol", "all",
                p => Protocols.Contains(p) ? null : $"'{p}' is not one of {string.Join(", ", Protocols)}", "tcp");
            var ports = reader.Strings(obj, path, "ports", [], Port, "22");
            var bidirectional = reader.Bool(obj, path, "bidirectional", false);

            if (name is not null && !names.Add(name))
            {
                reader.Error($"{path}.name", $"'{name}' is used by another policy; policies are matched by name", reader.SetPath($"{path}.name", name + "-2"));
            }

            if (name == "Default")
            {
                reader.Error($"{path}.name", "'Default' is the name of NetBird's Allow-All policy, which the scripts delete", reader.SetPath($"{path}.name", "infra-mesh"));
            }

            foreach (var (list, field) in new[] { (sources, "sources"), (destinations, "destinations") })
            {
                if (list is { Count: 0 })
                {
                    reader.Error($"{path}.{field}", "is empty; a rule needs at least one group", reader.SetPath($"{path}.{field}[0]", "infra"));
                }
            }

            if (ports is { Count: > 0 } && protocol is not ("tcp" or "udp"))
            {
                reader.Error($"{path}.ports", $"ports only apply to tcp or udp, the protocol is '{protocol}'",
                    $"{reader.Rm($"{path}.ports")}, or {reader.SetPath($"{path}.protocol", "tcp")}");
            }

            if (name is not null && sources is not null && destinations is not null && protocol is not null && ports is not null)
            {
                result.Add(new NetbirdPolicySpec(name, description ?? string.Empty, [.. sources], [.. destinations], protocol, [.. ports], bidirectional));
            }
        }

        return result.ToImmutable();
    }

    private static string? KeyName(string value) =>
        KeyNameRegex().IsMatch(value) ? null : $"'{value}' must be 1-64 letters, digits, '-' or '_' (the API scripts match it by name)";

    private static string? Port(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? null
            : $"'{value}' is not a port number (1-65535)";

    private static string? Email(string value) =>
        ConfigRules.IsEmail(value) ? null : $"'{value}' is not an email address (the NetBird owner logs in with it)";

    [GeneratedRegex("^[A-Za-z0-9 ._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerNameRegex();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyNameRegex();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyRotationRegex();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterRoleRegex();

}
