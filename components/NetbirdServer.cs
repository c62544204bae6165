using Boma.Infra.Config;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;
using Pulumi.Random;

/// <summary>What <see cref="NetbirdServer"/> needs: where to deploy and what.</summary>
internal sealed class NetbirdServerArgs
{
    /// <summary>The host's name (<c>boma:hostName</c>): the folder of its host files in <c>plan --out</c>.</summary>
    public required string HostName { get; init; }

    public required RemoteHost Host { get; init; }

    /// <summary>The coordinator's public name, <c>netbird.askari.&lt;domain&gt;</c>.</summary>
    public required string Fqdn { get; init; }

    public required NetbirdConfig Config { get; init; }

    /// <summary>What must be done on the host before compose runs (the bootstrap's docker step).</summary>
    public Resource? HostReady { get; init; }

    /// <summary>What must be done before files are staged and config.yaml rendered (the base step); <see cref="HostReady"/> when null.</summary>
    public Resource? StageReady { get; init; }
}

/// <summary>
/// The NetBird combined server + dashboard compose stack on askari (docs/design/netbird.md): random secrets,
/// <c>config.yaml</c> rendered on the host from a template with the secrets arriving on stdin, <c>docker compose up -d</c>
/// triggered by the content hashes of exactly this stack's files, then the headless first-boot setup whose
/// admin token becomes a secret output.
/// </summary>
internal sealed class NetbirdServer : ComponentResource
{
    public const string TypeToken = "boma:netbird:NetbirdServer";
    public const string InstallDir = "/opt/boma/netbird";
    public const string ApiDir = "/opt/boma/netbird-api";

    /// <summary>The Docker network Caddy and NetBird share; fixed so config.yaml can trust Caddy's address range.</summary>
    public const string EdgeNetwork = "boma-edge";
    public const string EdgeSubnet = "172.30.0.0/24";

    /// <summary>The scripts in hosts/netbird-api, copied to <see cref="ApiDir"/>.</summary>
    public static readonly IReadOnlyList<string> ApiScripts = ["nb-lib.sh", "setup.sh", "setup-key.sh", "policies.sh", "account.sh", "enrol-peer.sh"];

    [Output("managementUrl")]
    public Output<string> ManagementUrl { get; private set; }

    /// <summary>The admin personal access token from the headless setup (secret).</summary>
    [Output("adminToken")]
    public Output<string> AdminToken { get; private set; }

    /// <summary>The owner's dashboard password (secret); the owner's email is in config.</summary>
    [Output("ownerPassword")]
    public Output<string> OwnerPassword { get; private set; }

    /// <summary>The step after which the API scripts can be used (the setup command).</summary>
    internal Resource ApiReady { get; }

    /// <summary>SHA-256 over the API scripts: commands that run them re-run when a script changes.</summary>
    internal string ApiScriptsHash { get; }

    /// <summary>The compose project (netbird-server and dashboard).</summary>
    internal ComposeStack Compose { get; }

    /// <summary>The command that (re)deploys the compose stack.</summary>
    internal Command Up { get; }

    /// <summary>What this component puts on askari (for `plan --out`); config.yaml itself is only ever rendered on askari.</summary>
    public IReadOnlyList<HostFile> HostFiles { get; }

    public NetbirdServer(string name, NetbirdServerArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var host = args.Host;
        var connection = host.Connection;
        var stage = host.StageDir;
        Resource[] hostReady = args.HostReady is null ? [] : [args.HostReady];
        // Staging and rendering need no Docker: they run while the docker step does, off the path to "NetBird answers".
        Resource[] stageReady = args.StageReady is null ? hostReady : [args.StageReady];

        // Secrets (docs/design/netbird.md, "config.yaml"): relay auth secret, store encryption key (base64 of 32 bytes, padding kept),
        // session-cookie key (base64 of 32 bytes), and the owner's password for the headless setup.
        var authSecret = new RandomPassword($"{name}-relay-auth-secret", new RandomPasswordArgs { Length = 43, Special = false },
            new CustomResourceOptions { Parent = this });
        var storeKey = new RandomBytes($"{name}-store-encryption-key", new RandomBytesArgs { Length = 32 }, new CustomResourceOptions { Parent = this });
        var cookieKey = new RandomBytes($"{name}-session-cookie-key", new RandomBytesArgs { Length = 32 }, new CustomResourceOptions { Parent = this });
        var ownerPassword = new RandomPassword($"{name}-owner-password", new RandomPasswordArgs { Length = 28, Special = true, OverrideSpecial = "-_.:+" },
            new CustomResourceOptions { Parent = this });

        var compose = HostTemplates.Render("netbird/compose.yaml.tmpl", new Dictionary<string, string>
        {
            ["netbird_fqdn"] = args.Fqdn,
            ["server_image"] = NetbirdConfig.ServerImage,
            ["dashboard_image"] = NetbirdConfig.DashboardImage,
        });
        var configTemplate = HostTemplates.Render("netbird/config.yaml.tmpl", new Dictionary<string, string>
        {
            ["netbird_fqdn"] = args.Fqdn,
            ["trusted_proxies"] = EdgeSubnet,
        });
        var renderScript = RemoteHost.Read("netbird/render-config.sh");

        var copyTemplate = host.Copy(this, $"{name}-config-template", "netbird/config.yaml.tmpl", configTemplate, stageReady);
        var copyRender = host.Copy(this, $"{name}-render-script", "netbird/render-config.sh", renderScript, stageReady);

        // config.yaml exists only on askari (mode 0600, root): the template has markers, the secrets come on stdin.
        // stdout is the SHA-256 of the rendered file, so a changed secret or template redeploys the stack.
        var renderConfig = new Command($"{name}-render-config", new CommandArgs
        {
            Connection = connection,
            Create = $"{RemoteHost.Sudo} bash {stage}/netbird/render-config.sh {stage}/netbird/config.yaml.tmpl {InstallDir}/config.yaml",
            Stdin = RemoteHost.Secret(Output.Format($"NB_AUTH_SECRET={authSecret.Result}\nNB_STORE_ENCRYPTION_KEY={storeKey.Base64}\nNB_SESSION_COOKIE_KEY={cookieKey.Base64}\n")),
            Logging = RemoteHost.NoLogging,
            Triggers = CommandTriggers.Of(RemoteHost.Sha256(configTemplate), RemoteHost.Sha256(renderScript)),
        }, RemoteHost.SecretCommand(this, copyTemplate, copyRender));

        // Only this stack's files and rendered config are in the triggers: a Caddy change never restarts NetBird.
        Compose = new ComposeStack(name, new ComposeStackArgs
        {
            Host = host,
            Project = "netbird",
            InstallDir = InstallDir,
            Files = [new ComposeFile("compose", "compose.yaml", compose)],
            ExtraTriggers = [renderConfig.Stdout],
            HostReady = hostReady,
            StageReady = stageReady,
            UpAfter = [renderConfig],
            FormerParent = this,
        }, new ComponentResourceOptions { Parent = this });
        Up = Compose.Up;

        var copies = ApiScripts
            .Select(s => host.Copy(this, $"{name}-api-{Path.GetFileNameWithoutExtension(s)}", $"netbird-api/{s}", RemoteHost.Read($"netbird-api/{s}"), stageReady))
            .ToArray();
        var apiHash = RemoteHost.Sha256(string.Concat(ApiScripts.Select(s => RemoteHost.Read($"netbird-api/{s}"))));

        // Headless setup over the loopback port (Caddy refuses /api/setup and /setup from everyone, see docs/netbird.md).
        // The password goes in on stdin; the token comes out on stdout, which is a secret and never logged.
        var setup = new Command($"{name}-setup", new CommandArgs
        {
            Connection = connection,
            Create = $"{RemoteHost.Sudo} install -d -m 0755 {ApiDir} && {RemoteHost.Sudo} install -m 0755 {string.Join(' ', ApiScripts.Select(s => $"{stage}/netbird-api/{s}"))} {ApiDir}/ && " +
                     $"{RemoteHost.Sudo} env NB_OWNER_EMAIL={RemoteHost.Quote(args.Config.OwnerEmail)} NB_OWNER_NAME={RemoteHost.Quote(args.Config.OwnerName)} " +
                     $"NB_PAT_DAYS={args.Config.AdminTokenDays} bash {ApiDir}/setup.sh --emit-token",
            Stdin = RemoteHost.Secret(Output.Format($"{ownerPassword.Result}\n")),
            Logging = RemoteHost.NoLogging,
            Triggers = CommandTriggers.Of(apiHash),
        }, RemoteHost.SecretCommand(this, [Up, .. copies]));
        ApiReady = setup;
        ApiScriptsHash = apiHash;

        HostFiles =
        [
            new HostFile($"{args.HostName}/netbird/compose.yaml", Output.Create(compose)),
            new HostFile($"{args.HostName}/netbird/config.yaml.tmpl", Output.Create(configTemplate)),
            new HostFile($"{args.HostName}/netbird/render-config.sh", Output.Create(renderScript)),
            .. ApiScripts.Select(s => new HostFile($"{args.HostName}/netbird-api/{s}", Output.Create(RemoteHost.Read($"netbird-api/{s}")))),
        ];
        ManagementUrl = Output.Create($"https://{args.Fqdn}");
        AdminToken = setup.Stdout.Apply(s => Output.CreateSecret(s.Trim()));
        OwnerPassword = ownerPassword.Result.Apply(p => Output.CreateSecret(p));
        RegisterOutputs();
    }
}
