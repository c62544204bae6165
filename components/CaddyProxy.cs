using System.Text;
using Boma.Infra.Config;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;

/// <summary>What <see cref="CaddyProxy"/> needs.</summary>
internal sealed class CaddyProxyArgs
{
    /// <summary>The host's name (<c>boma:hostName</c>): the folder of its host files in <c>plan --out</c>.</summary>
    public required string HostName { get; init; }

    public required RemoteHost Host { get; init; }

    public required string NetbirdFqdn { get; init; }

    public required string TestFqdn { get; init; }

    public required CaddyConfig Config { get; init; }

    /// <summary>Gandi personal access token for DNS-01; required when <c>boma:caddy.dns01</c> is true.</summary>
    public Output<string>? GandiToken { get; init; }

    /// <summary>What must be done on the host before compose runs (the bootstrap's docker step).</summary>
    public Resource? HostReady { get; init; }

    /// <summary>What must be done before files are staged (the base step); <see cref="HostReady"/> when null.</summary>
    public Resource? StageReady { get; init; }
}

/// <summary>
/// The Caddy compose stack on askari (docs/design/caddy.md): HTTP-01 certificates for the public
/// <c>&lt;service&gt;.askari.&lt;domain&gt;</c> names, NetBird's routes, the test site, and — behind
/// <c>boma:caddy.dns01</c> — DNS-01 through Gandi for mesh/LAN-only names with the custom build.
/// Redeployed only when its own files (or the Gandi token) change.
/// </summary>
internal sealed class CaddyProxy : ComponentResource
{
    public const string TypeToken = "boma:caddy:CaddyProxy";
    public const string InstallDir = "/opt/boma/caddy";

    [Output("sites")]
    public Output<string[]> Sites { get; private set; }

    /// <summary>The rendered Caddyfile (no secrets: the Gandi token is an env placeholder).</summary>
    internal string Caddyfile { get; }

    internal string Compose { get; }

    /// <summary>The compose project; its <c>Up</c> is what must answer before askari enrols through Caddy.</summary>
    internal ComposeStack Stack { get; }

    /// <summary>What this component puts on askari (for `plan --out`); gandi.env is never written.</summary>
    public IReadOnlyList<HostFile> HostFiles { get; }

    public CaddyProxy(string name, CaddyProxyArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var host = args.Host;
        var config = args.Config;
        if (config.Dns01 && args.GandiToken is null)
        {
            throw new ArgumentException("boma:caddy.dns01 is true but no Gandi token was passed; set boma:gandiToken", nameof(args));
        }

        Caddyfile = Render(args);
        Compose = config.Dns01
            ? HostTemplates.Render("caddy/compose.gandi.yaml.tmpl", new Dictionary<string, string> { ["caddy_image"] = config.Image })
            : HostTemplates.Render("caddy/compose.yaml.tmpl", new Dictionary<string, string> { ["caddy_image"] = config.Image });
        Resource[] hostReady = args.HostReady is null ? [] : [args.HostReady];
        Resource[] stageReady = args.StageReady is null ? hostReady : [args.StageReady];

        var files = new List<ComposeFile> { new("caddyfile", "Caddyfile", Caddyfile), new("compose-yaml", "compose.yaml", Compose) };
        if (config.Dns01)
        {
            files.Add(new("dockerfile-gandi", "Dockerfile.gandi", RemoteHost.Read("caddy/Dockerfile.gandi")));
        }

        var extraTriggers = new List<Output<string>>();
        var upAfter = new List<Resource>();
        if (config.Dns01)
        {
            // The token reaches askari on stdin and lives only in gandi.env (0600); stdout is the file's hash.
            var env = new Command($"{name}-gandi-env", new CommandArgs
            {
                Connection = host.Connection,
                Create = $"{RemoteHost.Sudo} install -d -m 0755 {InstallDir} && {RemoteHost.Sudo} sh -c 'umask 077; cat > {InstallDir}/gandi.env' && {RemoteHost.Sudo} sha256sum {InstallDir}/gandi.env | cut -d' ' -f1",
                Stdin = RemoteHost.Secret(Output.Format($"GANDI_BEARER_TOKEN={args.GandiToken!}\n")),
                Logging = RemoteHost.NoLogging,
            }, RemoteHost.SecretCommand(this, stageReady));
            upAfter.Add(env);
            extraTriggers.Add(env.Stdout);
        }

        Stack = new ComposeStack(name, new ComposeStackArgs
        {
            Host = host,
            Project = "caddy",
            InstallDir = InstallDir,
            Files = files,
            Build = config.Dns01,
            ExtraTriggers = extraTriggers,
            HostReady = hostReady,
            StageReady = stageReady,
            UpAfter = upAfter,
            FormerParent = this,
        }, new ComponentResourceOptions { Parent = this });

        HostFiles = [.. files.Select(f => new HostFile($"{args.HostName}/caddy/{f.FileName}", Output.Create(f.Text)))];
        Sites = Output.Create(new[] { args.NetbirdFqdn, args.TestFqdn }.Concat(config.Dns01Sites.Select(s => s.Name)).ToArray());
        RegisterOutputs();
    }

    /// <summary>The Caddyfile: the public sites, then one DNS-01 site per <c>boma:caddy.dns01Sites</c> entry.</summary>
    internal static string Render(CaddyProxyArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var text = new StringBuilder(HostTemplates.Render("caddy/Caddyfile.tmpl", new Dictionary<string, string>
        {
            ["acme_email_option"] = args.Config.AcmeEmail.Length == 0 ? string.Empty : $"email {args.Config.AcmeEmail}",
            ["netbird_fqdn"] = args.NetbirdFqdn,
            ["test_fqdn"] = args.TestFqdn,
        }));
        foreach (var site in args.Config.Dns01Sites)
        {
            text.Append(HostTemplates.Render("caddy/dns01-site.caddy.tmpl", new Dictionary<string, string>
            {
                ["site_name"] = site.Name,
                ["upstream"] = site.Upstream,
            }));
        }

        return text.ToString();
    }
}
