using System.Text;
using System.Text.RegularExpressions;

namespace Boma.Pins;

/// <summary>
/// Finds every place a version of something boma depends on is written (docs/pins.md): the NuGet packages, the
/// npm packages, the five provider plugins, the NetBird, dashboard and Caddy images, the NetBird apt pin, the
/// .NET SDK. Each rule knows one way a version is written; the scan runs every rule over every text file.
/// </summary>
public static partial class PinScanner
{
    /// <summary>Thing names the tests and docs refer to.</summary>
    public const string Netbird = "NetBird (server image, every client)";
    public const string Dashboard = "NetBird dashboard image";
    public const string CaddyStock = "Caddy image (HTTP-01, stock)";
    public const string CaddyBuild = "Caddy DNS-01 build (base images, xcaddy)";
    public const string CaddyGandi = "caddy-dns/gandi plugin";
    public const string PulumiDotnet = "Pulumi .NET SDK (NuGet Pulumi, -p:PulumiSdk=official)";
    public const string PulumiNode = "Pulumi Node.js SDK (npm @pulumi/pulumi)";
    public const string DotnetSdk = ".NET SDK (global.json)";

    public static string Provider(string name) => $"{name} provider (plugin, NuGet Pulumi.*, npm)";

    public static string Schema(string name) => $"{name} schema subset";

    public static string NuGet(string id) => $"NuGet {id}";

    /// <summary>The five provider plugins the program pins.</summary>
    public static readonly string[] Providers = ["hcloud", "command", "random", "gandi", "proxmoxve"];

    private const string V = @"(?<v>\d+(?:\.\d+)+)";
    private const string P = "(?<n>hcloud|command|random|gandi|proxmoxve)";

    // A bare `caddy:X.Y.Z` may be either image; it belongs to whichever of the two pins has that version.
    private const string CaddyEither = "\u0001caddy";

    private sealed record Rule(Regex Pattern, Func<Match, string, string?> Thing, bool Source = false, Func<string, bool>? Files = null);

    private static Rule R(string pattern, Func<Match, string, string?> thing, bool source = false, Func<string, bool>? files = null) =>
        new(new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5)), thing, source, files);

    private static string N(Match m) => m.Groups["n"].Value;

    private static readonly Rule[] Rules =
    [
        // NuGet: central versions, and any PackageReference that carries its own.
        R($@"<PackageVersion Include=""(?<n>[^""]+)"" Version=""{V}""", (m, _) => NuGet(N(m)), source: true),
        R($@"<PackageReference Include=""(?<n>[^""]+)""[^>]*\bVersion=""{V}""", (m, _) => NuGet(N(m))),
        R($@"\bPulumiSdk = ""{V}""", (_, _) => PulumiDotnet, source: true),
        R($@"\bpulumi-dotnet v?{V}", (_, _) => PulumiDotnet),
        R($@"""version"": ""{V}""", (_, _) => DotnetSdk, source: true, files: f => f == "global.json"),

        // Provider plugins: PackageVersions.cs, the README's install lines, the npm SDKs of the same version.
        R($@"\bnew\(""{P}"", ""{V}""", (m, _) => Provider(N(m)), source: true),
        R($@"pulumi plugin install resource {P} {V}", (m, _) => Provider(N(m))),
        R($@"@pulumi/(?<n>hcloud|command|random)`?""?:? ""?{V}", (m, _) => Provider(N(m))),
        R($@"""node_modules/@pulumi/(?<n>hcloud|command|random|pulumi)"": \{{\s*""version"": ""{V}""", (m, _) => N(m) == "pulumi" ? PulumiNode : Provider(N(m))),
        R($@"\bpulumi-{P} v?{V}", (m, _) => Provider(N(m))),
        R($@"^\| {P} \| {V}", (m, _) => Provider(N(m))),

        // The schema subsets the typed classes are generated from (older than the plugins on purpose, docs/providers.md).
        R($@"\b{P}-{V}\.json", (m, _) => Schema(N(m))),
        R($@"from the {P} {V} schema subset", (m, _) => Schema(N(m))),

        R($@"""@pulumi/pulumi"": ""{V}""", (_, _) => PulumiNode, source: true, files: f => Path.GetFileName(f) == "package.json"),
        R($@"@pulumi/pulumi`?""?:? ""?{V}", (_, _) => PulumiNode),

        // NetBird: one version for the server image, the apt-pinned clients and the rehearsal doubles.
        R($@"\bconst string Version = ""{V}""", (_, _) => Netbird, source: true, files: f => Path.GetFileName(f) == "NetbirdConfig.cs"),
        R($@"\bconst string Version = ""{V}""", (_, _) => Netbird, files: f => f.StartsWith("rehearsal/doubles/", StringComparison.Ordinal)),
        R($@"^VERSION={V}", (_, _) => Netbird, files: f => f.StartsWith("rehearsal/doubles/netbird-client/", StringComparison.Ordinal)),
        R($@"netbirdio/netbird-server:{V}", (_, _) => Netbird),
        R($@"\bnetbird={V}", (_, _) => Netbird),
        R($@"\bNetBird (?:client |server |combined server )?v{V}", (_, _) => Netbird),
        R($@"Daemon version: {V}", (_, _) => Netbird),
        R(@"\bDashboardImage = ""netbirdio/dashboard:(?<v>v\d+(?:\.\d+)+)""", (_, _) => Dashboard, source: true),
        R(@"netbirdio/dashboard[: ](?<v>v\d+(?:\.\d+)+)", (_, _) => Dashboard),

        // Caddy: the stock image, and the DNS-01 build (Dockerfile.gandi) that must stay on an older Caddy.
        R($@"\bStockImage = ""caddy:{V}""", (_, _) => CaddyStock, source: true),
        R($@"\bGandiBuildVersion = ""{V}""", (_, _) => CaddyBuild, source: true),
        R($@"(?<![\w/])caddy:{V}(?<b>-builder)?(?![\w.-])", (m, f) => m.Groups["b"].Success || Path.GetFileName(f) == "Dockerfile.gandi" ? CaddyBuild : CaddyEither),
        R($@"boma/caddy-gandi:{V}", (_, _) => CaddyBuild),
        R($@"xcaddy build v{V}", (_, _) => CaddyBuild, source: true, files: f => Path.GetFileName(f) == "Dockerfile.gandi"),
        R($@"xcaddy build v{V}", (_, _) => CaddyBuild),
        R($@"caddy-dns/gandi@v{V}", (_, _) => CaddyGandi, source: true, files: f => Path.GetFileName(f) == "Dockerfile.gandi"),
        R($@"caddy-dns/gandi(?:@| \()v{V}", (_, _) => CaddyGandi),
    ];

    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules", "out", "TestResults", ".vs", ".idea" };

    /// <summary>Every pin under <paramref name="root"/> (a checkout), ordered by thing, then place.</summary>
    public static IReadOnlyList<Pin> Scan(string root)
    {
        var pins = new List<Pin>();
        foreach (var path in Files(root))
        {
            var rel = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (Path.GetFileName(rel) is var name && SchemaFile().Match(name) is { Success: true } sf && rel.Contains("/schemas/", StringComparison.Ordinal))
            {
                // The subset file itself: its name is its version.
                pins.Add(new Pin(Schema(sf.Groups["n"].Value), sf.Groups["v"].Value, rel, 0, name, Source: true));
                continue;
            }

            if (ReadText(path) is not { } text)
            {
                continue;
            }

            foreach (var rule in Rules)
            {
                if (rule.Files is { } filter && !filter(rel))
                {
                    continue;
                }

                foreach (Match m in rule.Pattern.Matches(text))
                {
                    if (rule.Thing(m, rel) is { } thing)
                    {
                        pins.Add(new Pin(thing, m.Groups["v"].Value, rel, LineOf(text, m.Index), Whitespace().Replace(m.Value.Trim(), " "), rule.Source));
                    }
                }
            }
        }

        return [.. Resolve(pins)
            .DistinctBy(p => (p.Thing, p.Version, p.File, p.Line))
            .OrderBy(p => p.Thing, StringComparer.Ordinal)
            .ThenBy(p => p.Source ? 0 : 1)
            .ThenBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.Line)];
    }

    /// <summary>Things whose places name more than one version (a bare `caddy:X` that is neither Caddy pin is one too).</summary>
    public static IReadOnlyList<Disagreement> Disagreements(IReadOnlyList<Pin> pins) =>
        [.. pins.GroupBy(p => p.Thing, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.Version).Distinct(StringComparer.Ordinal).Count() > 1 || g.Key == Unresolved)
            .Select(g => new Disagreement(g.Key, [.. g]))];

    /// <summary>Where a bare `caddy:X.Y.Z` goes when neither Caddy pin has that version.</summary>
    public const string Unresolved = "Caddy image matching neither Caddy pin";

    private static IEnumerable<Pin> Resolve(List<Pin> pins)
    {
        var stock = pins.Where(p => p.Thing == CaddyStock && p.Source).Select(p => p.Version).ToHashSet(StringComparer.Ordinal);
        var build = pins.Where(p => p.Thing == CaddyBuild && p.Source).Select(p => p.Version).ToHashSet(StringComparer.Ordinal);
        foreach (var pin in pins)
        {
            if (pin.Thing != CaddyEither)
            {
                yield return pin;
                continue;
            }

            var thing = (stock.Contains(pin.Version), build.Contains(pin.Version)) switch
            {
                (true, false) => CaddyStock,
                (false, true) => CaddyBuild,
                _ => Unresolved,
            };
            yield return pin with { Thing = thing };
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex($@"^{P}-{V}\.json$")]
    private static partial Regex SchemaFile();

    private static IEnumerable<string> Files(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!SkippedDirectories.Contains(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                yield return file;
            }
        }
    }

    /// <summary>The file's text, or null for binaries and very large files (the schema subsets are read by name only).</summary>
    private static string? ReadText(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > 2_000_000)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        return Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8000)) >= 0 ? null : Encoding.UTF8.GetString(bytes);
    }

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
