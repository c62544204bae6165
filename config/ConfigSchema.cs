using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boma.Infra.Config;

/// <summary>
/// Every key of the <c>boma</c> namespace, per stack, with the fields of its structured values: the kernel's
/// gate that refuses unknown and misspelt keys (with "did you mean") before any loader runs, and that refuses
/// a plain setting stored as a secret. Adding a key is one line in <see cref="Declarations"/>.
/// Shape syntax: <c>name</c> (any value), <c>name!</c> (a secret), <c>name{a b}</c> (an object with fields a, b),
/// <c>name[{a b}]</c> (a list whose object items have fields a, b; plain items allowed).
/// </summary>
internal static partial class ConfigSchema
{
    public const string Offsite = "offsite";
    public const string Cluster = "cluster";

    private const string SetupKey = "{name type expiresInHours usageLimit ephemeral groups}";

    /// <summary>(stacks, shape): the one place a key is declared.</summary>
    private static readonly (string[] Stacks, string Shape)[] Declarations =
    [
        ([Offsite, Cluster], "domain"),
        ([Offsite, Cluster], "adminUser"),
        ([Offsite, Cluster], "adminPublicKey"),
        ([Offsite, Cluster], "sshPrivateKey!"),
        ([Offsite], "location"),
        ([Offsite], "image"),
        ([Offsite], "serverType"),
        ([Offsite], "hostName"),
        ([Offsite], "breakGlassCidrs"),
        ([Offsite], "offsiteServices"),
        ([Offsite], "coordinatorService"),
        ([Offsite], "homeServices[{name public}]"),
        ([Offsite], "dnsTtl"),
        ([Offsite], "ipv6"),
        ([Offsite], "hcloudToken!"),
        ([Offsite], "gandiToken!"),
        ([Offsite], "backupPassword!"),
        ([Offsite], "backupEnv!"),
        ([Offsite], "backupSshKey!"),
        ([Offsite], "netbird{ownerEmail ownerName adminTokenDays meshDnsDomain removeDefaultPolicy keyRotation askariKey" + SetupKey +
                    " ubongoKey" + SetupKey + " clusterKey" + SetupKey + " roadWarriorKey" + SetupKey +
                    " policies[{name description sources destinations protocol ports bidirectional}]}"),
        ([Offsite], "caddy{acmeEmail dns01 dns01Sites[{name upstream}]}"),
        ([Offsite], "backup{enabled repository knownHosts schedule keepDaily keepWeekly keepMonthly}"),
        ([Offsite, Cluster], "updates{rebootWindow}"),
        ([Cluster], "proxmox{endpoint insecure nodes datastore imageDatastore snippetDatastore sshUsername cpuType}"),
        ([Cluster], "proxmoxApiToken!"),
        ([Cluster], "image{url fileName checksum checksumAlgorithm}"),
        ([Cluster], "network{subnet gateway dns bootstrapDns bridge vlanId sshSources}"),
        ([Cluster], "mesh{offsiteStack setupKeyOutput dnsDomain coordinatorFqdn bootstrapVia}"),
        ([Cluster], "vms[{name vmid node cores memory disk address role tags rebootWindow}]"),
    ];

    /// <summary>
    /// Keys and fields that existed once, by path (list indices left out), and what replaced them: an old stack
    /// file is refused with the new names rather than a guess at the nearest spelling.
    /// </summary>
    private static readonly Dictionary<string, string> Replaced = new(StringComparer.Ordinal)
    {
        ["netbird.serversKey"] = "was split per consumer in boma:netbird.askariKey, boma:netbird.ubongoKey and boma:netbird.clusterKey " +
                                 "(same fields; see docs/netbird.md)",
    };

    private static readonly Dictionary<string, Dictionary<string, Field>> ByStack = Build();

    /// <summary>The keys a stack reads (without namespace).</summary>
    public static IReadOnlyCollection<string> Keys(string stack) => ByStack.TryGetValue(stack, out var keys) ? keys.Keys : [];

    /// <summary>Whether the key is a secret of the stack.</summary>
    public static bool IsSecret(string stack, string key) => ByStack.TryGetValue(stack, out var keys) && keys.TryGetValue(key, out var f) && f.Secret;

    /// <summary>
    /// Checks full keys (<c>boma:domain</c>) and their raw values (structured ones as JSON text) against the
    /// stack's declarations. Keys of other namespaces (pulumi:, providers) are left to their owners.
    /// </summary>
    public static List<ConfigError> Check(string stack, IReadOnlyDictionary<string, string> values, IReadOnlySet<string> secretKeys)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(secretKeys);
        var errors = new List<ConfigError>();
        if (!ByStack.TryGetValue(stack, out var declared))
        {
            return errors;
        }

        foreach (var (fullKey, raw) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var colon = fullKey.IndexOf(':', StringComparison.Ordinal);
            var ns = colon < 0 ? "" : fullKey[..colon];
            if (!ns.Equals(ConfigKeys.Namespace, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = fullKey[(colon + 1)..];
            if (ns == ConfigKeys.Namespace && Replaced.TryGetValue(key, out var replacedBy))
            {
                errors.Add(new ConfigError(fullKey, $"is no longer read: it {replacedBy}", ConfigFix.RmKey(stack, fullKey) + " and set its replacement"));
                continue;
            }

            if (ns != ConfigKeys.Namespace || !declared.TryGetValue(key, out var field))
            {
                var other = ByStack.Where(s => s.Key != stack && s.Value.ContainsKey(key)).Select(s => s.Key).FirstOrDefault();
                var near = other is null ? Suggest(key, declared.Keys) : null;
                var hint = other is not null
                    ? $" (it belongs to the {other} stack)"
                    : near is not null ? $"; did you mean '{ConfigKeys.Full(near)}'?" : "";
                errors.Add(new ConfigError(Addresses.Show(fullKey), $"is not a key of the {stack} stack{hint}",
                    ConfigFix.RmKey(stack, fullKey) + (near is not null ? $" and set '{ConfigKeys.Full(near)}' instead" : "")));
                continue;
            }

            if (secretKeys.Contains(fullKey) && !field.Secret)
            {
                errors.Add(new ConfigError(fullKey, "is stored as a secret (or holds a secure: value) but is a plain setting",
                    ConfigFix.Rm(stack, key) + $" && {ConfigFix.Set(stack, key, "<value>")} (without --secret; see docs/{(stack == Cluster ? "cluster" : "offsite")}.md)"));
                continue;
            }

            if (field.Fields is not null && !field.Secret)
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(raw);
                }
                catch (JsonException)
                {
                    continue; // a plain string where an object belongs: the loader reports it with its own fix
                }

                Walk(stack, key, field, node, errors);
            }
        }

        return errors;
    }

    private static void Walk(string stack, string path, Field field, JsonNode? node, List<ConfigError> errors)
    {
        if (field.Fields is null)
        {
            return;
        }

        if (field.List && node is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonObject)
                {
                    WalkObject(stack, $"{path}[{i}]", field, (JsonObject)items[i]!, errors);
                }
            }
        }
        else if (!field.List && node is JsonObject obj)
        {
            WalkObject(stack, path, field, obj, errors);
        }
    }

    private static void WalkObject(string stack, string path, Field field, JsonObject obj, List<ConfigError> errors)
    {
        foreach (var (name, value) in obj)
        {
            if (field.Fields!.TryGetValue(name, out var child))
            {
                Walk(stack, $"{path}.{name}", child, value, errors);
                continue;
            }

            var full = ConfigKeys.Full($"{path}.{Addresses.Show(name)}");
            if (Replaced.TryGetValue(Unindexed($"{path}.{name}"), out var replacedBy))
            {
                errors.Add(new ConfigError(full, $"is no longer read: it {replacedBy}", ConfigFix.Rm(stack, $"{path}.{name}") + " and set its replacement"));
                continue;
            }

            var near = Suggest(name, field.Fields.Keys);
            errors.Add(new ConfigError(full,
                $"is not a known field{(near is null ? "" : $"; did you mean '{near}'?")} (known: {string.Join(", ", field.Fields.Keys)})",
                ConfigFix.Rm(stack, $"{path}.{name}")));
        }
    }

    private static string Unindexed(string path) => ListIndex().Replace(path, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"\[[0-9]+\]")]
    private static partial System.Text.RegularExpressions.Regex ListIndex();

    /// <summary>
    /// Every declared path of the stack, list indices written <c>[]</c> (<c>vms[].name</c>, <c>netbird.askariKey.groups</c>):
    /// what the loaders must read, no more and no less (a test holds them to it).
    /// </summary>
    public static IReadOnlyCollection<string> Paths(string stack)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        if (ByStack.TryGetValue(stack, out var keys))
        {
            foreach (var (name, field) in keys)
            {
                AddPaths(name, field, result);
            }
        }

        return result;
    }

    private static void AddPaths(string path, Field field, SortedSet<string> result)
    {
        result.Add(path);
        foreach (var (name, child) in field.Fields ?? [])
        {
            AddPaths($"{path}{(field.List ? "[]" : "")}.{name}", child, result);
        }
    }

    /// <summary>The nearest known name: same letters ignoring case, or within two edits.</summary>
    public static string? Suggest(string name, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Key: k, Distance: k.Equals(name, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(k.ToLowerInvariant(), name.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Key is not null && best.Distance <= Math.Max(2, name.Length / 4) ? best.Key : null;
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 8 || a.Length > 200 || b.Length > 200)
        {
            return int.MaxValue;
        }

        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private sealed record Field(bool Secret, bool List, Dictionary<string, Field>? Fields);

    private static Dictionary<string, Dictionary<string, Field>> Build()
    {
        var result = new Dictionary<string, Dictionary<string, Field>>(StringComparer.Ordinal);
        foreach (var (stacks, shape) in Declarations)
        {
            var position = 0;
            var (name, field) = ParseShape(shape, ref position);
            if (position != shape.Length)
            {
                throw new InvalidOperationException($"config declaration '{shape}' has trailing text at {position}");
            }

            foreach (var stack in stacks)
            {
                var keys = result.TryGetValue(stack, out var k) ? k : result[stack] = new Dictionary<string, Field>(StringComparer.Ordinal);
                if (!keys.TryAdd(name, field))
                {
                    throw new InvalidOperationException($"config key '{name}' is declared twice for the {stack} stack");
                }
            }
        }

        return result;
    }

    private static (string Name, Field Field) ParseShape(string shape, ref int i)
    {
        var start = i;
        while (i < shape.Length && (char.IsAsciiLetterOrDigit(shape[i]) || shape[i] == '_'))
        {
            i++;
        }

        var name = shape[start..i];
        if (name.Length == 0)
        {
            throw new InvalidOperationException($"config declaration '{shape}' has an empty name at {start}");
        }

        if (i < shape.Length && shape[i] == '!')
        {
            i++;
            return (name, new Field(true, false, null));
        }

        var list = false;
        if (i < shape.Length && shape[i] == '[')
        {
            list = true;
            i++;
        }

        Dictionary<string, Field>? fields = null;
        if (i < shape.Length && shape[i] == '{')
        {
            i++;
            fields = new Dictionary<string, Field>(StringComparer.Ordinal);
            while (true)
            {
                while (i < shape.Length && shape[i] == ' ')
                {
                    i++;
                }

                if (i < shape.Length && shape[i] == '}')
                {
                    i++;
                    break;
                }

                var (childName, child) = ParseShape(shape, ref i);
                fields.Add(childName, child);
            }
        }

        if (list)
        {
            if (i >= shape.Length || shape[i] != ']')
            {
                throw new InvalidOperationException($"config declaration '{shape}' misses ']' at {i}");
            }

            i++;
        }

        return (name, new Field(false, list, fields));
    }
}
