using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using static Boma.Infra.Config.ConfigKeys;

namespace Boma.Infra.Config;

using Pulumi;

/// <summary>
/// Reads and validates the offsite stack's config in one pass: every problem is collected, then
/// all of them are thrown together, so one run shows everything to fix. Nothing here registers a
/// resource; the stack calls this first.
/// </summary>
internal static class OffsiteConfigLoader
{
    private const string ExampleKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... you@laptop";

    public static OffsiteConfig Load(IConfigSource source, string stack = "offsite")
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = new Reader(source, stack);

        var domain = reader.String(Domain, null, ConfigRules.Domain, "example.org");
        var location = reader.String(Location, DefaultLocation, ConfigRules.Location, DefaultLocation);
        var image = reader.String(Image, DefaultImage, ConfigRules.Image, DefaultImage);
        var serverType = reader.String(ServerType, DefaultServerType, ConfigRules.ServerType, DefaultServerType);
        var hostName = reader.String(HostName, DefaultHostName, ConfigRules.Label, DefaultHostName);
        var adminUser = reader.String(AdminUser, null, ConfigRules.UserName, "kim");
        var adminKey = reader.String(AdminPublicKey, null, ConfigRules.PublicKey, "\"$(cat ~/.ssh/id_ed25519.pub)\"");
        var cidrs = ReadBreakGlass(reader);
        var offsite = ReadLabels(reader, OffsiteServices, DefaultOffsiteServices, "netbird");
        var coordinator = reader.String(CoordinatorService, DefaultCoordinatorService, ConfigRules.Label, DefaultCoordinatorService);
        var home = ReadHomeServices(source, reader, hostName ?? DefaultHostName);
        var ttl = ReadTtl(reader);
        var ipv6 = reader.Boolean(Ipv6, true);
        var updates = UpdatePolicy.Parse(reader.Raw(Updates), stack, reader.Errors, source);

        if (coordinator is not null && !offsite.Contains(coordinator, StringComparer.Ordinal))
        {
            reader.Error(
                CoordinatorService,
                $"'{coordinator}' is not one of {Full(OffsiteServices)} ({string.Join(", ", offsite)})",
                $"{ConfigFix.Set(stack, CoordinatorService, offsite.FirstOrDefault() ?? DefaultCoordinatorService)}, or add it to {Full(OffsiteServices)}");
        }

        if (domain is not null)
        {
            var naming = new NamingScheme(domain, hostName ?? DefaultHostName);
            foreach (var name in offsite.Select(naming.OffsiteFqdn).Append(naming.InfraFqdn(hostName ?? DefaultHostName)))
            {
                if (name.Length > 253)
                {
                    reader.Error(Domain, $"the name '{name}' would be longer than 253 characters", $"use a shorter {Full(Domain)} or shorter service names");
                }
            }
        }

        var secrets = new OffsiteSecrets(
            reader.Secret(HcloudToken, "a Hetzner Cloud API token (project → Security → API tokens, read & write)", ConfigFix.SetSecret(stack, HcloudToken, "<token>")),
            reader.Secret(GandiToken, "a Gandi personal access token allowed to manage the zone's DNS records", ConfigFix.SetSecret(stack, GandiToken, "<token>")),
            reader.Secret(SshPrivateKey, "the private key whose public half is boma:adminPublicKey (used by the bootstrap commands)", ConfigFix.SetSecret(stack, SshPrivateKey, "< ~/.ssh/id_ed25519"), ConfigRules.PrivateKey));

        if (reader.Errors.Count > 0)
        {
            throw new ConfigValidationException(stack, reader.Errors);
        }

        return new OffsiteConfig
        {
            Domain = domain!,
            Location = location!,
            Image = image!,
            ServerType = serverType!,
            HostName = hostName!,
            AdminUser = adminUser!,
            AdminPublicKey = adminKey!.Trim(),
            BreakGlassCidrs = cidrs,
            OffsiteServices = offsite,
            CoordinatorService = coordinator!,
            HomeServices = home,
            DnsTtl = ttl,
            Ipv6 = ipv6,
            Updates = updates,
            Secrets = secrets,
        };
    }

    private static ImmutableArray<string> ReadBreakGlass(Reader reader)
    {
        var items = reader.List(BreakGlassCidrs, null, "203.0.113.7/32");
        if (items is null)
        {
            return [];
        }

        if (items.Count == 0)
        {
            reader.Error(BreakGlassCidrs, "is empty: askari needs one WAN SSH path that does not depend on the mesh",
                reader.Set($"{BreakGlassCidrs}[0]", "203.0.113.7/32"));
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = $"{BreakGlassCidrs}[{i}]";
            var problem = ConfigRules.Cidr(items[i], out var normalized);
            if (problem is not null)
            {
                reader.Error(key, problem, reader.Set(key, normalized != items[i] ? normalized : "203.0.113.7/32"));
                continue;
            }

            if (ConfigRules.TooWide([normalized]) is not null)
            {
                reader.Error(key, $"'{items[i]}' opens SSH to a large part of the internet; break-glass must name your own addresses",
                    reader.Set(key, "<your public IP>/32"));
                continue;
            }

            if (result.Contains(normalized))
            {
                reader.Error(key, $"'{items[i]}' is listed twice", reader.Rm(key));
                continue;
            }

            result.Add(normalized);
        }

        // Coverage, not spelling: 0.0.0.0/1 plus 128.0.0.0/1 is the whole internet too.
        if (ConfigRules.TooWide(result) is { } wide)
        {
            reader.Error(BreakGlassCidrs, wide, reader.Set($"{BreakGlassCidrs}[0]", "<your public IP>/32") + " and remove the wide entries");
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<string> ReadLabels(Reader reader, string key, IReadOnlyList<string> fallback, string example)
    {
        var items = reader.List(key, fallback, example) ?? [];
        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var problem = ConfigRules.Label(items[i]);
            if (problem is not null)
            {
                reader.Error($"{key}[{i}]", problem, reader.Set($"{key}[{i}]", example));
            }
            else if (result.Contains(items[i]))
            {
                reader.Error($"{key}[{i}]", $"'{items[i]}' is listed twice", reader.Rm($"{key}[{i}]"));
            }
            else
            {
                result.Add(items[i]);
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<HomeService> ReadHomeServices(IConfigSource source, Reader reader, string hostName)
    {
        var raw = reader.Raw(HomeServices);
        if (raw is null)
        {
            return [];
        }

        var fix = $"{reader.Set($"{HomeServices}[0].name", "jellyfin")} (and optionally {reader.Set($"{HomeServices}[0].public", "true")})";
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(raw).RootElement;
        }
        catch (JsonException)
        {
            reader.Error(HomeServices, "is not a list", fix);
            return [];
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            reader.Error(HomeServices, "is not a list", fix);
            return [];
        }

        var result = ImmutableArray.CreateBuilder<HomeService>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var key = $"{HomeServices}[{index}]";
            string? name = null;
            var isPublic = false;
            var nameReported = false;
            if (item.ValueKind == JsonValueKind.String)
            {
                name = item.GetString();
            }
            else if (item.ValueKind == JsonValueKind.Object)
            {
                source.Touched($"{key}.name");
                source.Touched($"{key}.public");
                foreach (var property in item.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "name" when property.Value.ValueKind == JsonValueKind.String:
                            name = property.Value.GetString();
                            break;
                        case "public" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                            isPublic = property.Value.GetBoolean();
                            break;
                        case "public" when property.Value.ValueKind == JsonValueKind.String && bool.TryParse(property.Value.GetString(), out var parsed):
                            isPublic = parsed;
                            break;
                        case "name":
                            reader.Error($"{key}.name", $"must be a string, got {property.Value.GetRawText()}", reader.Set($"{key}.name", "jellyfin"));
                            nameReported = true;
                            break;
                        case "public":
                            reader.Error($"{key}.public", $"must be true or false, got {property.Value.GetRawText()}", reader.Set($"{key}.public", "true"));
                            break;
                        default:
                            reader.Error($"{key}.{property.Name}", "is not a known field (name: string, public: true|false)", reader.Rm($"{key}.{property.Name}"));
                            break;
                    }
                }
            }

            if (nameReported)
            {
                // A name of the wrong type is reported above.
                name = null;
            }
            else if (name is null)
            {
                reader.Error($"{key}.name", "is missing", reader.Set($"{key}.name", "jellyfin"));
            }
            else if (ConfigRules.Label(name) is { } problem)
            {
                reader.Error($"{key}.name", problem, reader.Set($"{key}.name", "jellyfin"));
            }
            else if (name == NamingScheme.InfraLabel || name == hostName)
            {
                reader.Error($"{key}.name",
                    $"'{name}' is reserved: '{NamingScheme.InfraLabel}.<domain>' and '{hostName}.<domain>' hold the infra and off-site tiers",
                    reader.Set($"{key}.name", "<another name>"));
            }
            else if (result.Any(s => s.Name == name))
            {
                reader.Error($"{key}.name", $"'{name}' is listed twice", reader.Rm(key));
            }
            else
            {
                result.Add(new HomeService(name, isPublic));
            }

            index++;
        }

        return result.ToImmutable();
    }

    private static int ReadTtl(Reader reader)
    {
        var raw = reader.Raw(DnsTtl);
        if (raw is null)
        {
            return DefaultDnsTtl;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ttl) || ttl < ConfigRules.MinTtl || ttl > ConfigRules.MaxTtl)
        {
            reader.Error(DnsTtl, $"'{raw}' is not a TTL Gandi LiveDNS accepts (whole seconds, {ConfigRules.MinTtl} to {ConfigRules.MaxTtl})",
                reader.Set(DnsTtl, DefaultDnsTtl.ToString(CultureInfo.InvariantCulture)));
            return DefaultDnsTtl;
        }

        return ttl;
    }

    /// <summary>Collects errors while reading; each error carries the full key.</summary>
    private sealed class Reader(IConfigSource source, string stack)
    {
        public string Set(string path, string example) => ConfigFix.Set(stack, path, example);

        public string Rm(string path) => ConfigFix.Rm(stack, path);

        public List<ConfigError> Errors { get; } = [];

        public void Error(string key, string problem, string fix) => Errors.Add(new ConfigError(Full(key), problem, fix));

        public string? Raw(string key)
        {
            if (source.IsSecret(key) && !SecretKeys.Contains(key))
            {
                // Plain settings are not secret; reading them as plain text would defeat the marking.
                Error(key, "is stored as a secret but is a plain setting", $"{Rm(key)} && {Set(key, "<value>")} (without --secret)");
                return null;
            }

            return source.Get(key);
        }

        public string? String(string key, string? fallback, Func<string, string?> rule, string example)
        {
            var value = Raw(key);
            if (value is null)
            {
                if (fallback is null && !source.IsSecret(key))
                {
                    Error(key, "is required and not set", Set(key, example));
                }

                return fallback;
            }

            var problem = rule(value);
            if (problem is not null)
            {
                Error(key, problem, Set(key, example));
                return null;
            }

            return value;
        }

        public bool Boolean(string key, bool fallback)
        {
            var value = Raw(key);
            if (value is null)
            {
                return fallback;
            }

            if (bool.TryParse(value, out var parsed))
            {
                return parsed;
            }

            Error(key, $"'{value}' is not true or false", Set(key, fallback ? "true" : "false"));
            return fallback;
        }

        /// <summary>A list of strings; structured config arrives as JSON text.</summary>
        public List<string>? List(string key, IReadOnlyList<string>? fallback, string example)
        {
            var raw = Raw(key);
            if (raw is null)
            {
                if (fallback is null && !source.IsSecret(key))
                {
                    Error(key, "is required and not set", Set($"{key}[0]", example));
                }

                return fallback?.ToList();
            }

            try
            {
                var root = JsonDocument.Parse(raw).RootElement;
                if (root.ValueKind == JsonValueKind.Array && root.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                {
                    return root.EnumerateArray().Select(e => e.GetString()!).ToList();
                }
            }
            catch (JsonException)
            {
                // Falls through: a plain string where a list was expected.
            }

            Error(key, $"must be a list of strings, got '{raw}'", $"{Rm(key)} && {Set($"{key}[0]", example)}");
            return null;
        }

        public Output<string> Secret(string key, string what, string fix, Func<string, string?>? rule = null)
        {
            var value = source.GetSecret(key);
            if (value is null)
            {
                Error(key, $"is required and not set: {what}", fix);
                return Output.CreateSecret(string.Empty);
            }

            if (!source.IsSecret(key))
            {
                Error(key, "is stored in plain text in the stack file", $"{Rm(key)} && {fix}");
            }

            // The check reads the raw value (config is plain text in the engine's hand-over); the program keeps the secret output.
            if (rule is not null && source.Get(key) is { } plain
                && !plain.StartsWith(OfflinePlaceholderPrefix, StringComparison.Ordinal) && rule(plain) is { } problem)
            {
                Error(key, problem, fix);
            }

            return value;
        }
    }
}
