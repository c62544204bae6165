using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>
/// Answers as the hcloud, gandi and random providers would in an update: the inputs come back as outputs (bridged
/// providers echo their inputs), plus what the cloud computes — output names from the saved provider schemas
/// (shared/provider-schemas). hcloud IDs are numeric strings, stable per URN; random values are real random
/// values of the requested shape, kept in the state so a later run gets the same ones (any input change
/// regenerates them: upstream marks every random argument RequiresReplace).
/// </summary>
internal sealed class CloudAnswers(DeployInputs inputs, DeployState state, Lock stateLock)
{
    private const string DefaultSpecial = "!@#$%&*()-_=+[]{}<>:?";

    public Dictionary<string, object?>? Answer(MockResourceArgs args, out string? id)
    {
        var outputs = new Dictionary<string, object?>(args.Inputs, StringComparer.Ordinal);
        id = null;
        switch (args.Type)
        {
            case "hcloud:index/server:Server":
                outputs["ipv4Address"] = inputs.Ipv4;
                outputs["ipv6Address"] = inputs.Ipv6 ?? "";
                outputs["ipv6Network"] = inputs.Ipv6 is null ? "" : Network64(inputs.Ipv6) + "/64";
                outputs["status"] = "running";
                outputs["primaryDiskSize"] = 40;
                outputs["backupWindow"] = "";
                id = NumericId(args.Urn);
                break;
            case "hcloud:index/primaryIp:PrimaryIp":
                var v6 = (string?)args.Inputs.GetValueOrDefault("type") == "ipv6";
                outputs["ipAddress"] = v6 ? Network64(inputs.Ipv6 ?? throw new InvalidOperationException("the program asks for an IPv6 primary IP but DeployInputs.Ipv6 is not set")) : inputs.Ipv4;
                outputs["ipNetwork"] = v6 ? Network64(inputs.Ipv6!) + "/64" : "";
                id = NumericId(args.Urn);
                break;
            case "hcloud:index/sshKey:SshKey":
                outputs["fingerprint"] = Fingerprint((string?)args.Inputs.GetValueOrDefault("publicKey") ?? "");
                id = NumericId(args.Urn);
                break;
            case var t when t.StartsWith("hcloud:", StringComparison.Ordinal):
                id = NumericId(args.Urn);
                break;
            case var t when t.StartsWith("pulumi:providers:", StringComparison.Ordinal):
                // Provider resources keep their config as state; the engine gives them a UUID.
                id = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(args.Urn))[..16]).ToString();
                break;
            case "gandi:livedns/record:Record":
                var zone = args.Inputs.GetValueOrDefault("zone") as string ?? "";
                var name = args.Inputs.GetValueOrDefault("name") as string ?? "";
                var type = args.Inputs.GetValueOrDefault("type") as string ?? "";
                outputs["href"] = $"https://api.gandi.net/v5/livedns/domains/{zone}/records/{name}/{type}";
                id = $"{zone}/{name}/{type}";
                break;
            case "pulumi:pulumi:StackReference":
                // The referenced stack's outputs as the engine reads them: the cluster rehearsal's offsite deploy.
                var referenced = inputs.StackReferenceOutputs
                    ?? throw new InvalidOperationException("the program reads a StackReference but DeployInputs.StackReferenceOutputs is not set");
                outputs["outputs"] = referenced.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                outputs["secretOutputNames"] = inputs.StackReferenceSecrets.Order(StringComparer.Ordinal).Cast<object?>().ToList();
                id = args.Inputs.GetValueOrDefault("name") as string ?? args.Name;
                break;
            case "proxmoxve:index/vmLegacy:VmLegacy":
                // The VM id is the configured one (ProxmoxVm always sets it); the rest echoes, as a bridged provider does.
                id = Convert.ToString(args.Inputs.GetValueOrDefault("vmId"), CultureInfo.InvariantCulture) ?? NumericId(args.Urn);
                break;
            case var t when t.StartsWith("proxmoxve:", StringComparison.Ordinal):
                // Files on the node (the cloud image, the vendor-data snippet): Proxmox volume ids.
                id = $"local:{args.Name}";
                break;
            case var t when t.StartsWith("random:", StringComparison.Ordinal):
                foreach (var (key, value) in Random(args))
                {
                    outputs[key] = value;
                }

                id = "none";
                break;
            default:
                return null;
        }

        return outputs;
    }

    private Dictionary<string, object?> Random(MockResourceArgs args)
    {
        var inputsJson = StateJson.FromPlain(args.Inputs);
        lock (stateLock)
        {
            if (state.Resources.TryGetValue(args.Urn, out var old) && old.Type == args.Type && JsonNode.DeepEquals(old.Inputs, inputsJson))
            {
                return old.Outputs.ToDictionary(p => p.Key, p => StateJson.Plain(p.Value), StringComparer.Ordinal);
            }
        }

        var generated = Generate(args.Type, args.Inputs);
        lock (stateLock)
        {
            state.Resources[args.Urn] = new StateRecord
            {
                Urn = args.Urn,
                Type = args.Type,
                Name = args.Name,
                Inputs = inputsJson,
                Outputs = StateJson.FromPlain(generated),
            };
        }

        return generated;
    }

    private static Dictionary<string, object?> Generate(string type, IReadOnlyDictionary<string, object?> a)
    {
        switch (type)
        {
            case "random:index/randomPassword:RandomPassword":
            case "random:index/randomString:RandomString":
                var result = RandomText(a);
                var outputs = new Dictionary<string, object?> { ["result"] = result };
                if (type.EndsWith("RandomPassword", StringComparison.Ordinal))
                {
                    // Not a real bcrypt hash (no bcrypt in the BCL and the program never reads it): a random secret of bcrypt's shape.
                    outputs["bcryptHash"] = "$2a$10$" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(40))[..53];
                }

                return outputs;
            case "random:index/randomBytes:RandomBytes":
                var bytes = RandomNumberGenerator.GetBytes(Int(a, "length", 0, "length"));
                return new() { ["base64"] = Convert.ToBase64String(bytes), ["hex"] = Convert.ToHexStringLower(bytes) };
            case "random:index/randomId:RandomId":
                var idBytes = RandomNumberGenerator.GetBytes(Int(a, "byteLength", 0, "byteLength"));
                var prefix = a.GetValueOrDefault("prefix") as string ?? "";
                return new()
                {
                    ["hex"] = prefix + Convert.ToHexStringLower(idBytes),
                    ["b64Std"] = prefix + Convert.ToBase64String(idBytes),
                    ["b64Url"] = prefix + Convert.ToBase64String(idBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                    ["dec"] = prefix + new BigInteger(idBytes, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture),
                };
            case var t when t.Contains("randomUuid", StringComparison.Ordinal):
                return new() { ["result"] = Guid.NewGuid().ToString() };
            default:
                throw new NotSupportedException($"{type}: the rehearsal's random answers know RandomPassword, RandomString, RandomBytes, RandomId and RandomUuid");
        }
    }

    /// <summary>Upstream's rule: min* characters of each class first, the rest from every enabled class, then shuffled.</summary>
    private static string RandomText(IReadOnlyDictionary<string, object?> a)
    {
        var length = Int(a, "length", 0, "length");
        const string lower = "abcdefghijklmnopqrstuvwxyz", upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", digits = "0123456789";
        var special = a.GetValueOrDefault("overrideSpecial") is string o && o.Length > 0 ? o : DefaultSpecial;
        var classes = new List<(string Chars, int Min)>();
        if (Bool(a, "lower", true))
        {
            classes.Add((lower, Int(a, "minLower", 0, "minLower")));
        }

        if (Bool(a, "upper", true))
        {
            classes.Add((upper, Int(a, "minUpper", 0, "minUpper")));
        }

        if (Bool(a, "numeric", Bool(a, "number", true)))
        {
            classes.Add((digits, Int(a, "minNumeric", 0, "minNumeric")));
        }

        if (Bool(a, "special", true))
        {
            classes.Add((special, Int(a, "minSpecial", 0, "minSpecial")));
        }

        if (classes.Count == 0 || length < classes.Sum(c => c.Min))
        {
            throw new ArgumentException($"random: length {length} cannot hold the requested classes (the provider refuses it too)");
        }

        var chars = new List<char>();
        foreach (var (set, min) in classes)
        {
            for (var i = 0; i < min; i++)
            {
                chars.Add(set[RandomNumberGenerator.GetInt32(set.Length)]);
            }
        }

        var all = string.Concat(classes.Select(c => c.Chars));
        while (chars.Count < length)
        {
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        }

        var array = chars.ToArray();
        RandomNumberGenerator.Shuffle(array.AsSpan());
        return new string(array);
    }

    private static bool Bool(IReadOnlyDictionary<string, object?> a, string key, bool fallback) => a.GetValueOrDefault(key) is bool b ? b : fallback;

    private static int Int(IReadOnlyDictionary<string, object?> a, string key, int fallback, string name) => a.GetValueOrDefault(key) switch
    {
        null => fallback,
        var v => Convert.ToInt32(v, CultureInfo.InvariantCulture) is var n and >= 0 ? n : throw new ArgumentException($"random: {name} must not be negative"),
    };

    /// <summary>A stable numeric ID per URN, like the numeric IDs Hetzner hands out.</summary>
    private static string NumericId(string urn) =>
        (BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(urn)), 0) % 90_000_000 + 10_000_000).ToString(CultureInfo.InvariantCulture);

    private static string Network64(string ipv6)
    {
        var bytes = IPAddress.Parse(ipv6).GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString();
    }

    /// <summary>The MD5 fingerprint Hetzner shows for a public key (colon-separated hex of the key blob's MD5).</summary>
    private static string Fingerprint(string publicKey)
    {
        var parts = publicKey.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        byte[] blob;
        try
        {
            blob = parts.Length > 1 ? Convert.FromBase64String(parts[1]) : [];
        }
        catch (FormatException)
        {
            blob = Encoding.UTF8.GetBytes(publicKey);
        }

#pragma warning disable CA5351 // Hetzner's fingerprint format is MD5; nothing is protected by it.
        return string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
#pragma warning restore CA5351
    }
}
