using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

using Pulumi;

/// <summary>
/// Reads and validates the <c>cluster</c> stack's config (namespace <c>boma</c>). Every problem is collected,
/// each naming its full key (<c>boma:vms[2].address</c>) and the fix, and thrown together as one
/// <see cref="ConfigValidationException"/> — before the stack registers anything.
/// </summary>
internal static partial class ClusterConfigLoader
{
    public const string Namespace = "boma";
    public const string StackName = "cluster";

    /// <summary>The secret key holding the Proxmox API token (<c>user@realm!tokenid=secret</c>).</summary>
    public const string ApiTokenKey = "proxmoxApiToken";

    public const int MinVmId = 100;
    public const int MaxVmId = 999_999_999;

    /// <summary>The setup-key output of the offsite stack the cluster's servers enrol with (a reusable server key, not the road-warrior one).</summary>
    public const string DefaultSetupKeyOutput = Components.ClusterOffsiteReference.DefaultSetupKeyOutput;

    /// <summary>The offsite output of the road-warriors' one-off key, which servers must never use.</summary>
    public const string RoadWarriorSetupKeyOutput = "roadWarriorSetupKey";

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex OutputNameRegex();

    /// <summary>The secret key holding the private half of <c>boma:adminPublicKey</c>, for the bootstrap's SSH connection.</summary>
    public const string SshPrivateKeyKey = ConfigKeys.SshPrivateKey;

    /// <summary>Every secret key the cluster stack reads; the offline plan puts placeholders in for these.</summary>
    public static readonly IReadOnlyList<string> SecretKeys = [ApiTokenKey, SshPrivateKeyKey];

    /// <summary>
    /// Reads and validates the whole config from <paramref name="source"/> (keys relative to <c>boma</c>). Secrets are
    /// only checked for presence and secrecy and then kept as secret outputs, so none reaches an error message.
    /// </summary>
    public static ClusterConfig Load(IConfigSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var errors = new List<ConfigError>();
        var get = source.Get;

        var domain = ParseDomain(get("domain"), errors);
        var proxmox = ParseProxmox(source, ReadObject(get, "proxmox", errors), errors);
        var apiToken = ReadSecret(source, ApiTokenKey, "'boma@pve!pulumi=<token secret>'", errors);
        var image = ParseImage(source, ReadObject(get, "image", errors), errors);
        var network = ParseNetwork(source, ReadObject(get, "network", errors), errors);
        var admin = ParseAdmin(get, errors);
        var sshKey = ReadSecret(source, SshPrivateKeyKey, "< ~/.ssh/id_ed25519", errors);
        var mesh = ParseMesh(source, get("mesh"), domain ?? "example.net", errors);
        var updates = UpdatePolicy.Parse(get("updates"), StackName, errors, source);
        var vms = ParseVms(source, get("vms"), proxmox?.Nodes ?? [], network?.Subnet, network?.Gateway, domain, errors);
        vms = ResolveRebootWindows(source, vms, get("vms"), updates, errors);
        CheckBootstrapDns(network, vms, errors);

        if (errors.Count > 0)
        {
            throw new ConfigValidationException(StackName, errors);
        }

        return new ClusterConfig(domain!, proxmox!, image!, network!, admin!, mesh!, vms)
        {
            Updates = updates,
            Secrets = new ClusterSecrets(apiToken!, sshKey!),
        };
    }

    private static string Key(string path) => $"{Namespace}:{path}";

    private static string SetCommand(string path, string example) => ConfigFix.Set(StackName, path, example);

    // ---- top-level keys -------------------------------------------------------------------------------

    private static string? ParseDomain(string? raw, List<ConfigError> errors)
    {
        var problem = string.IsNullOrWhiteSpace(raw) ? "is not set" : ConfigRules.Domain(raw.Trim());
        if (problem is null)
        {
            return raw!.Trim();
        }

        errors.Add(new ConfigError(Key("domain"), problem, SetCommand("domain", "example.net")));
        return null;
    }

    private static Output<string>? ReadSecret(IConfigSource source, string key, string example, List<ConfigError> errors)
    {
        var fix = ConfigFix.SetSecret(StackName, key, example);
        if (source.IsSecret(key))
        {
            return source.GetSecret(key);
        }

        // Only read when not secret, to tell "missing" from "stored in plain text"; the value is never echoed.
        errors.Add(string.IsNullOrEmpty(source.Get(key))
            ? new ConfigError(Key(key), "is not set", fix)
            : new ConfigError(Key(key), "is stored in plain text; it must be a secret", $"{ConfigFix.Rm(StackName, key)}, then {fix}"));
        return null;
    }

    private static ClusterProxmoxSettings? ParseProxmox(IConfigSource source, JsonObject? obj, List<ConfigError> errors)
    {
        if (obj is null)
        {
            return null;
        }

        var reader = new Reader(source, obj, "proxmox", errors);
        var endpoint = reader.String("endpoint", "https://pve1.home.arpa:8006/");
        Uri? endpointUri = null;
        if (endpoint is not null)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri) || endpointUri.Scheme != Uri.UriSchemeHttps)
            {
                reader.Error("endpoint", $"'{endpoint}' is not an https:// URL", "https://pve1.home.arpa:8006/");
                endpointUri = null;
            }
        }

        var insecure = reader.OptionalBool("insecure") ?? false;
        var nodes = reader.StringList("nodes", "'[\"pve1\"]'", required: true);
        for (var i = 0; i < nodes.Length; i++)
        {
            if (!IsDnsLabel(nodes[i]))
            {
                reader.Error($"nodes[{i}]", $"'{nodes[i]}' is not a Proxmox node name (a lowercase DNS label)", "pve1");
            }
        }

        foreach (var duplicate in nodes.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error("nodes", $"lists node '{duplicate.Key}' {duplicate.Count()} times", "'[\"pve1\", \"pve2\"]'");
        }

        var datastore = reader.OptionalString("datastore") ?? "local-lvm";
        var imageDatastore = reader.OptionalString("imageDatastore") ?? "local";
        var snippetDatastore = reader.OptionalString("snippetDatastore") ?? "local";
        var sshUsername = reader.OptionalString("sshUsername") ?? "root";
        var cpuType = reader.OptionalString("cpuType") ?? "x86-64-v2-AES";
        return endpointUri is null || nodes.IsDefaultOrEmpty
            ? null
            : new ClusterProxmoxSettings(endpointUri, insecure, nodes, datastore, imageDatastore, snippetDatastore, sshUsername, cpuType);
    }

    private static ClusterImageSettings? ParseImage(IConfigSource source, JsonObject? obj, List<ConfigError> errors)
    {
        if (obj is null)
        {
            return null;
        }

        var reader = new Reader(source, obj, "image", errors);
        const string exampleUrl = "https://cloud.debian.org/images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2";
        var url = reader.String("url", exampleUrl);
        Uri? uri = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            reader.Error("url", $"'{url}' is not an http(s) URL", exampleUrl);
            uri = null;
        }

        var fileName = reader.OptionalString("fileName") ?? (uri is null ? null : Path.GetFileName(uri.AbsolutePath));
        // Proxmox's `import` content type only takes these image formats.
        if (fileName is not null && !ImageFileName().IsMatch(fileName))
        {
            reader.Error("fileName", $"'{fileName}' must be a plain file name ending in .qcow2, .raw or .vmdk (Proxmox's import storage)",
                "debian-13-genericcloud-amd64.qcow2");
            fileName = null;
        }

        var checksum = reader.OptionalString("checksum");
        var algorithm = reader.OptionalString("checksumAlgorithm");
        string[] algorithms = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"];
        if (algorithm is not null && !algorithms.Contains(algorithm))
        {
            reader.Error("checksumAlgorithm", $"'{algorithm}' is not one of {string.Join(", ", algorithms)}", "sha512");
        }
        else if ((checksum is null) != (algorithm is null))
        {
            reader.Error(checksum is null ? "checksum" : "checksumAlgorithm", "checksum and checksumAlgorithm go together",
                checksum is null ? "<the image's SHA512SUMS line>" : "sha512");
        }
        else if (checksum is not null && !checksum.All(char.IsAsciiHexDigit))
        {
            reader.Error("checksum", "is not a hex digest", "<the image's SHA512SUMS line>");
        }

        return uri is null || fileName is null ? null : new ClusterImageSettings(uri, fileName, checksum, algorithm);
    }

    private static ClusterNetworkSettings? ParseNetwork(IConfigSource source, JsonObject? obj, List<ConfigError> errors)
    {
        if (obj is null)
        {
            return null;
        }

        var reader = new Reader(source, obj, "network", errors);
        ClusterIpv4Subnet? subnet = null;
        var subnetText = reader.String("subnet", "192.168.20.0/24");
        if (subnetText is not null && !ClusterIpv4Subnet.TryParse(subnetText, out subnet, out var problem))
        {
            reader.Error("subnet", $"is not a usable IPv4 CIDR: {problem}", "192.168.20.0/24");
        }

        IPAddress? gateway = null;
        var gatewayText = reader.String("gateway", "192.168.20.1");
        if (gatewayText is not null)
        {
            if (!ClusterIpv4Subnet.TryParseIpv4(gatewayText, out gateway))
            {
                reader.Error("gateway", $"'{gatewayText}' is not an IPv4 address", "192.168.20.1");
            }
            else if (subnet is not null && !IsUsableHost(subnet, gateway!))
            {
                reader.Error("gateway", $"{gateway} is not a host address inside {subnet}", FirstHost(subnet).ToString());
                gateway = null;
            }
        }

        var dnsTexts = reader.StringList("dns", "'[\"192.168.20.2\"]'", required: true);
        var dns = ImmutableArray.CreateBuilder<IPAddress>();
        for (var i = 0; i < dnsTexts.Length; i++)
        {
            if (Addresses.ParseIp(dnsTexts[i], out var server) is { } dnsProblem)
            {
                reader.Error($"dns[{i}]", dnsProblem, "192.168.20.2");
            }
            else
            {
                dns.Add(server!);
            }
        }

        // The resolvers a VM has at first boot, before the DNS VMs of this stack serve anything: the router by default.
        var bootstrapNode = reader.Node("bootstrapDns");
        var bootstrapTexts = bootstrapNode is null ? [] : reader.StringList("bootstrapDns", "'[\"192.168.20.1\"]'", required: true);
        var bootstrapDns = ImmutableArray.CreateBuilder<IPAddress>();
        for (var i = 0; i < bootstrapTexts.Length; i++)
        {
            if (Addresses.ParseIp(bootstrapTexts[i], out var server) is { } bootstrapProblem)
            {
                reader.Error($"bootstrapDns[{i}]", bootstrapProblem, gateway?.ToString() ?? "192.168.20.1");
            }
            else
            {
                bootstrapDns.Add(server!);
            }
        }

        var bridge = reader.OptionalString("bridge") ?? "vmbr0";
        var vlan = reader.OptionalInt("vlanId");
        if (vlan is < 1 or > 4094)
        {
            reader.Error("vlanId", $"{vlan} is not a VLAN tag (1-4094)", "20");
        }

        // Who may reach SSH on the VMs' LAN side (the mesh interface is always allowed); the server subnet by default.
        var sources = reader.Node("sshSources") is null && subnet is not null
            ? [subnet.ToString()]
            : reader.StringList("sshSources", "'[\"192.168.20.0/24\", \"192.168.10.0/24\"]'", required: true);
        var normalized = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < sources.Length; i++)
        {
            if (ConfigRules.Cidr(sources[i], out var cidr) is { } cidrProblem)
            {
                reader.Error($"sshSources[{i}]", cidrProblem, "192.168.10.0/24");
            }
            else if (ConfigRules.TooWide([cidr]) is not null)
            {
                reader.Error($"sshSources[{i}]", $"'{cidr}' would open SSH to a large part of the internet", "the LAN ranges admins connect from, e.g. 192.168.10.0/24");
            }
            else
            {
                normalized.Add(cidr);
            }
        }

        if (normalized.Count == sources.Length && ConfigRules.TooWide(normalized) is { } wide)
        {
            reader.Error("sshSources", wide, "the LAN ranges admins connect from, e.g. 192.168.10.0/24");
            return null;
        }

        return subnet is null || gateway is null || dns.Count != dnsTexts.Length || dns.Count == 0 || normalized.Count != sources.Length
            || bootstrapDns.Count != bootstrapTexts.Length || (bootstrapNode is not null && bootstrapDns.Count == 0)
            ? null
            : new ClusterNetworkSettings(subnet, gateway, dns.ToImmutable(), bridge, vlan, normalized.ToImmutable())
            {
                BootstrapDns = bootstrapNode is null ? [gateway] : bootstrapDns.ToImmutable(),
            };
    }

    // The same keys and rules as the offsite stack: one admin account on every boma host.
    private static ClusterAdminSettings? ParseAdmin(Func<string, string?> get, List<ConfigError> errors)
    {
        var user = get(ConfigKeys.AdminUser)?.Trim();
        var userProblem = string.IsNullOrEmpty(user) ? "is not set" : ConfigRules.UserName(user);
        if (userProblem is not null)
        {
            errors.Add(new ConfigError(Key(ConfigKeys.AdminUser), userProblem, SetCommand(ConfigKeys.AdminUser, "kim")));
        }

        var key = get(ConfigKeys.AdminPublicKey)?.Trim();
        var keyProblem = string.IsNullOrEmpty(key) ? "is not set" : ConfigRules.PublicKey(key);
        if (keyProblem is not null)
        {
            errors.Add(new ConfigError(Key(ConfigKeys.AdminPublicKey), keyProblem, SetCommand(ConfigKeys.AdminPublicKey, "\"$(cat ~/.ssh/id_ed25519.pub)\"")));
        }

        return userProblem is null && keyProblem is null ? new ClusterAdminSettings(user!, key!) : null;
    }

    private static ClusterMeshSettings? ParseMesh(IConfigSource source, string? raw, string domain, List<ConfigError> errors)
    {
        // The netbird settings' defaults on the offsite side: peers in boma.<domain>, the coordinator at netbird.askari.<domain>.
        var defaultDnsDomain = $"{NamingScheme.InfraLabel}.{domain}";
        var defaultCoordinator = new NamingScheme(domain, ConfigKeys.DefaultHostName).OffsiteFqdn(ConfigKeys.DefaultCoordinatorService);
        if (raw is null)
        {
            return new ClusterMeshSettings(null, DefaultSetupKeyOutput, ClusterBootstrapPath.Lan, defaultDnsDomain, defaultCoordinator);
        }

        var obj = ParseObject(raw, "mesh", errors);
        if (obj is null)
        {
            return null;
        }

        var reader = new Reader(source, obj, "mesh", errors);
        var stack = reader.OptionalString("offsiteStack");
        if (stack is not null && stack.Split('/') is not [{ Length: > 0 }, { Length: > 0 }, { Length: > 0 }])
        {
            reader.Error("offsiteStack", $"'{stack}' is not a fully qualified stack name <org>/<project>/<stack>", "organization/boma/offsite");
        }

        var output = reader.OptionalString("setupKeyOutput") ?? DefaultSetupKeyOutput;
        if (output == RoadWarriorSetupKeyOutput)
        {
            // docs/cluster.md: the servers' key is reusable; the road-warrior key is one-off and would enrol one VM only.
            reader.Error("setupKeyOutput", $"'{output}' is the road-warriors' one-off key; servers enrol with the reusable servers key", DefaultSetupKeyOutput);
        }
        else if (output == "ubongoEnrolCommand")
        {
            // Also an offsite output, but ubongo's enrol command (with ubongo's one-off key in it), not a key.
            reader.Error("setupKeyOutput", $"'{output}' is ubongo's enrol command, not the cluster's setup key", DefaultSetupKeyOutput);
        }
        else if (!OutputNameRegex().IsMatch(output))
        {
            reader.Error("setupKeyOutput", $"'{output}' is not a stack output name (letters and digits, starting with a letter)", DefaultSetupKeyOutput);
        }

        var dnsDomain = reader.OptionalString("dnsDomain") ?? defaultDnsDomain;
        if (ConfigRules.Domain(dnsDomain) is { } dnsProblem)
        {
            reader.Error("dnsDomain", dnsProblem, defaultDnsDomain);
        }

        var coordinator = reader.OptionalString("coordinatorFqdn") ?? defaultCoordinator;
        if (ConfigRules.Domain(coordinator) is { } coordinatorProblem)
        {
            reader.Error("coordinatorFqdn", coordinatorProblem, defaultCoordinator);
        }

        var via = reader.OptionalString("bootstrapVia") ?? "lan";
        ClusterBootstrapPath path;
        switch (via)
        {
            case "lan":
                path = ClusterBootstrapPath.Lan;
                break;
            case "mesh":
                path = ClusterBootstrapPath.Mesh;
                break;
            default:
                reader.Error("bootstrapVia", $"'{via}' is neither 'lan' nor 'mesh'", "lan");
                return null;
        }

        return new ClusterMeshSettings(stack, output, path, dnsDomain, coordinator);
    }

    // ---- reboot windows -------------------------------------------------------------------------------

    /// <summary>The role whose VMs must never reboot in the same window: they are the LAN's resolvers.</summary>
    public const string DnsRole = "dns";

    /// <summary>
    /// Each VM's reboot window: its own <c>rebootWindow</c>, else the stack's; DNS VMs without their own are spread
    /// one window apart (the first at the stack's window). Two DNS VMs whose windows overlap are an error.
    /// </summary>
    private static ImmutableArray<ClusterVmSettings> ResolveRebootWindows(IConfigSource source, ImmutableArray<ClusterVmSettings> vms, string? raw, UpdatePolicy updates,
        List<ConfigError> errors)
    {
        if (vms.IsDefaultOrEmpty || raw is null || JsonNode.Parse(raw) is not JsonArray array || array.Count != vms.Length)
        {
            return vms;
        }

        var resolved = ImmutableArray.CreateBuilder<ClusterVmSettings>(vms.Length);
        var dnsSeen = 0;
        for (var i = 0; i < vms.Length; i++)
        {
            source.Touched($"vms[{i}].rebootWindow");
            var own = UpdatePolicy.ReadWindow(array[i]?["rebootWindow"], $"vms[{i}].rebootWindow", StackName, errors);
            var isDns = vms[i].Role == DnsRole;
            var window = own
                ?? (isDns && updates.AutomaticReboot ? UpdatePolicy.Shift(updates.RebootWindow, dnsSeen * UpdatePolicy.WindowMinutes) : updates.RebootWindow);
            if (isDns)
            {
                dnsSeen++;
            }

            resolved.Add(vms[i] with { RebootWindow = window });
        }

        var result = resolved.ToImmutable();
        for (var i = 0; i < result.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (a, b) = (result[j], result[i]);
                if (a.Role == DnsRole && b.Role == DnsRole && a.RebootWindow != UpdatePolicy.Off && b.RebootWindow != UpdatePolicy.Off
                    && UpdatePolicy.Overlap(a.RebootWindow, b.RebootWindow))
                {
                    errors.Add(new ConfigError(Key($"vms[{i}].rebootWindow"),
                        $"{b.Name}'s reboot window {b.RebootWindow} overlaps {a.Name}'s ({a.RebootWindow}, {Key($"vms[{j}]")}): both DNS VMs could be rebooting at once, leaving the LAN without a resolver",
                        SetCommand($"vms[{i}].rebootWindow", UpdatePolicy.Shift(a.RebootWindow, UpdatePolicy.WindowMinutes))));
                }
            }
        }

        return result;
    }

    // ---- the VM list ----------------------------------------------------------------------------------

    private static ImmutableArray<ClusterVmSettings> ParseVms(IConfigSource source, string? raw, ImmutableArray<string> nodes, ClusterIpv4Subnet? subnet,
        IPAddress? gateway, string? domain, List<ConfigError> errors)
    {
        // A list, never a JSON string set in one go (that would store a quoted string in the stack file): field by
        // field with --path (the CLI stores 201 as a number there), or written as YAML in the stack file.
        var fix = $"{SetCommand("vms[0].name", "mlinzi1")}, then vmid, node, cores, memory, disk, address and role the same way " +
            $"(or write `{Key("vms")}:` as a YAML list in Pulumi.{StackName}.yaml, see docs/cluster.md)";
        if (raw is null)
        {
            errors.Add(new ConfigError(Key("vms"), "is not set; the cluster needs at least one VM", fix));
            return [];
        }

        JsonArray? array;
        try
        {
            array = JsonNode.Parse(raw) as JsonArray;
        }
        catch (JsonException)
        {
            array = null;
        }

        if (array is null || array.Count == 0)
        {
            errors.Add(new ConfigError(Key("vms"), "must be a non-empty list of VMs", fix));
            return [];
        }

        var vms = ImmutableArray.CreateBuilder<ClusterVmSettings>();
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"vms[{i}]";
            if (array[i] is not JsonObject obj)
            {
                errors.Add(new ConfigError(Key(path), "is not an object", $"give it name, vmid, node, cores, memory, disk, address and role (see docs/cluster.md)"));
                continue;
            }

            var vm = ParseVm(new Reader(source, obj, path, errors), nodes, subnet, gateway, domain);
            if (vm is not null)
            {
                vms.Add(vm);
            }
        }

        // Uniqueness over the entries that parsed; later duplicates point back at the first one.
        CheckUnique(array, "name", errors);
        CheckUnique(array, "vmid", errors);
        CheckUnique(array, "address", errors);
        return vms.Count == array.Count ? vms.ToImmutable() : [];
    }

    private static ClusterVmSettings? ParseVm(Reader reader, ImmutableArray<string> nodes, ClusterIpv4Subnet? subnet, IPAddress? gateway, string? domain)
    {
        var ok = true;
        var name = reader.String("name", "mlinzi1");
        if (name is not null)
        {
            if (!IsDnsLabel(name))
            {
                reader.Error("name", $"'{name}' is not a lowercase DNS label ([a-z0-9-], 1-63 characters, no leading or trailing '-')", "mlinzi1");
                ok = false;
            }
            else if (!char.IsAsciiLetterLower(name[0]))
            {
                // Proxmox and the boma naming scheme want host names to start with a letter.
                reader.Error("name", $"'{name}' must start with a letter", "mlinzi1");
                ok = false;
            }
            else if (domain is not null && $"{name}.boma.{domain}".Length > 253)
            {
                reader.Error("name", $"'{name}.boma.{domain}' is longer than 253 characters", "a shorter name");
                ok = false;
            }
        }

        var vmId = reader.Int("vmid", "201");
        if (vmId is < MinVmId or > MaxVmId)
        {
            reader.Error("vmid", $"{vmId} is outside Proxmox's VM id range {MinVmId}-{MaxVmId}", "201");
            ok = false;
        }

        var node = reader.String("node", nodes.IsDefaultOrEmpty ? "pve1" : nodes[0]);
        if (node is not null && !nodes.IsDefaultOrEmpty && !nodes.Contains(node))
        {
            reader.Error("node", $"'{node}' is not in {Key("proxmox")}.nodes ({string.Join(", ", nodes)})", nodes[0]);
            ok = false;
        }

        var cores = Positive(reader, "cores", "2");
        var memory = Positive(reader, "memory", "2048");
        var disk = Positive(reader, "disk", "20");

        IPAddress? address = null;
        var addressText = reader.String("address", subnet is null ? "192.168.20.11" : FirstHost(subnet).ToString());
        if (addressText is not null)
        {
            if (!ClusterIpv4Subnet.TryParseIpv4(addressText, out address))
            {
                reader.Error("address", $"'{addressText}' is not an IPv4 address (no prefix: the subnet comes from {Key("network")}.subnet)", "192.168.20.11");
            }
            else if (subnet is not null && !subnet.Contains(address!))
            {
                reader.Error("address", $"{address} is outside {Key("network")}.subnet {subnet}", $"an address inside {subnet}");
                address = null;
            }
            else if (subnet is not null && (address!.Equals(subnet.Network) || address.Equals(subnet.Broadcast)))
            {
                reader.Error("address", $"{address} is the {(address.Equals(subnet.Network) ? "network" : "broadcast")} address of {subnet}", $"a host address inside {subnet}");
                address = null;
            }
            else if (gateway is not null && address!.Equals(gateway))
            {
                reader.Error("address", $"{address} is the gateway {Key("network")}.gateway", $"another host address inside {subnet}");
                address = null;
            }
        }

        var role = reader.String("role", "dns");
        if (role is not null && (!AnsibleGroup().IsMatch(role) || role is "all" or "ungrouped"))
        {
            reader.Error("role", $"'{role}' is not usable as an Ansible group ([a-z][a-z0-9_]*, not 'all' or 'ungrouped')", "dns");
            role = null;
        }

        var tags = reader.StringList("tags", "'[\"dns\"]'", required: false);
        for (var i = 0; i < tags.Length; i++)
        {
            if (!ProxmoxTag().IsMatch(tags[i]))
            {
                reader.Error($"tags[{i}]", $"'{tags[i]}' is not a Proxmox tag (lowercase [a-z0-9_][a-z0-9_+.-]*)", "dns");
                ok = false;
            }
        }

        return ok && name is not null && vmId is not null && node is not null && cores is not null && memory is not null
               && disk is not null && address is not null && role is not null
            ? new ClusterVmSettings(name, vmId.Value, node, cores.Value, memory.Value, disk.Value, address, role, tags)
            : null;
    }

    private static int? Positive(Reader reader, string field, string example)
    {
        var value = reader.Int(field, example);
        if (value is <= 0)
        {
            reader.Error(field, $"{value} must be greater than 0", example);
            return null;
        }

        return value;
    }

    private static void CheckUnique(JsonArray array, string field, List<ConfigError> errors)
    {
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject obj || obj[field] is not JsonValue value)
            {
                continue;
            }

            var text = value.ToJsonString();
            if (firstSeen.TryGetValue(text, out var first))
            {
                errors.Add(new ConfigError(Key($"vms[{i}].{field}"), $"{text} is already used by {Key($"vms[{first}].{field}")}",
                    SetCommand($"vms[{i}].{field}", $"<a {field} no other VM uses>")));
            }
            else
            {
                firstSeen[text] = i;
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static JsonObject? ReadObject(Func<string, string?> get, string key, List<ConfigError> errors)
    {
        var raw = get(key);
        if (raw is null)
        {
            errors.Add(new ConfigError(Key(key), "is not set", $"add a `{Key(key)}:` block to Pulumi.{StackName}.yaml (see docs/cluster.md)"));
            return null;
        }

        return ParseObject(raw, key, errors);
    }

    private static JsonObject? ParseObject(string raw, string key, List<ConfigError> errors)
    {
        try
        {
            if (JsonNode.Parse(raw) is JsonObject obj)
            {
                return obj;
            }
        }
        catch (JsonException)
        {
        }

        errors.Add(new ConfigError(Key(key), "is not an object", $"write `{Key(key)}:` as a YAML mapping in Pulumi.{StackName}.yaml (see docs/cluster.md)"));
        return null;
    }

    private static bool IsUsableHost(ClusterIpv4Subnet subnet, IPAddress address) =>
        subnet.Contains(address) && !address.Equals(subnet.Network) && !address.Equals(subnet.Broadcast);

    private static IPAddress FirstHost(ClusterIpv4Subnet subnet) => new ClusterIpv4Subnet(subnet.NetworkBits + 1, subnet.PrefixLength).Network;

    /// <summary>
    /// A first-boot resolver must exist before any VM of this stack does: a VM's own address (a DNS VM) serves nothing
    /// then, and cloud-init's package steps, apt and the mesh enrolment would fail on every VM.
    /// </summary>
    private static void CheckBootstrapDns(ClusterNetworkSettings? network, ImmutableArray<ClusterVmSettings> vms, List<ConfigError> errors)
    {
        if (network is null)
        {
            return;
        }

        for (var i = 0; i < network.BootstrapDns.Length; i++)
        {
            var server = network.BootstrapDns[i];
            if (vms.FirstOrDefault(vm => vm.Address.Equals(server)) is { } vm)
            {
                errors.Add(new ConfigError(Key($"network.bootstrapDns[{i}]"),
                    $"{server} is the VM '{vm.Name}' of this stack, which serves nothing at its first boot: name resolvers that exist before the VMs (e.g. the router {network.Gateway})",
                    SetCommand($"network.bootstrapDns[{i}]", network.Gateway.ToString())));
            }
        }
    }

    internal static bool IsDnsLabel(string label) => ConfigRules.Label(label) is null;

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex AnsibleGroup();

    [GeneratedRegex("^[a-z0-9_][a-z0-9_+.-]*$")]
    private static partial Regex ProxmoxTag();


    [GeneratedRegex("^[A-Za-z0-9._-]+\\.(qcow2|raw|vmdk)$")]
    private static partial Regex ImageFileName();


    /// <summary>Typed field access on one config object that records a <see cref="ConfigError"/> per bad field.</summary>
    private sealed class Reader(IConfigSource source, JsonObject obj, string path, List<ConfigError> errors)
    {
        /// <summary>The field's value, or null when unset (and the source is told, see <see cref="IConfigSource.Touched"/>).</summary>
        public JsonNode? Node(string field)
        {
            source.Touched($"{path}.{field}");
            return obj[field];
        }

        public void Error(string field, string problem, string example) =>
            errors.Add(new ConfigError(Key($"{path}.{field}"), problem, SetCommand($"{path}.{field}", example)));

        public string? String(string field, string example)
        {
            var value = OptionalString(field);
            if (value is null && Node(field) is null)
            {
                Error(field, "is not set", example);
            }

            return value;
        }

        public string? OptionalString(string field)
        {
            var node = Node(field);
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0)
            {
                return s.Trim();
            }

            Error(field, "must be a non-empty string", "<value>");
            return null;
        }

        public int? Int(string field, string example)
        {
            if (Node(field) is null)
            {
                Error(field, "is not set", example);
                return null;
            }

            return OptionalInt(field);
        }

        public int? OptionalInt(string field)
        {
            var node = Node(field);
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n is >= int.MinValue and <= int.MaxValue)
            {
                return (int)n;
            }

            Error(field, $"{node.ToJsonString()} is not a whole number", "<number>");
            return null;
        }

        public bool? OptionalBool(string field)
        {
            var node = Node(field);
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.TryGetValue<bool>(out var b))
            {
                return b;
            }

            Error(field, $"{node.ToJsonString()} is not true or false", "true");
            return null;
        }

        public ImmutableArray<string> StringList(string field, string example, bool required)
        {
            var node = Node(field);
            if (node is null)
            {
                if (required)
                {
                    Error(field, "is not set", example);
                }

                return [];
            }

            if (node is not JsonArray array || (required && array.Count == 0))
            {
                Error(field, required ? "must be a non-empty list of strings" : "must be a list of strings", example);
                return [];
            }

            var items = ImmutableArray.CreateBuilder<string>();
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0)
                {
                    items.Add(s.Trim());
                }
                else
                {
                    errors.Add(new ConfigError(Key($"{path}.{field}[{i}]"), "must be a non-empty string",
                        SetCommand($"{path}.{field}[{i}]", "<value>")));
                }
            }

            return items.ToImmutable();
        }
    }
}
