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
    public required SshTarget Target { get; init; }

    /// <summary>The coordinator's public name, <c>netbird.askari.&lt;domain&gt;</c>.</summary>
    public required string Fqdn { get; init; }

    public required NetbirdConfig Config { get; init; }

    /// <summary>What must be done on the host first (the bootstrap: Docker, firewall).</summary>
    public Resource? HostReady { get; init; }
}

/// <summary>
/// The NetBird combined server + dashboard compose stack on askari (boma-domain.md §1): random secrets,
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

    /// <summary>The command that (re)deploys the compose stack.</summary>
    internal Command Up { get; }

    /// <summary>What this component puts on askari (for `plan --out`); config.yaml itself is only ever rendered on askari.</summary>
    public IReadOnlyList<HostFile> HostFiles { get; }

    public NetbirdServer(string name, NetbirdServerArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var connection = NetbirdRemote.Connection(args.Target);
        var stage = NetbirdRemote.StageDir(args.Target.User);
        var hostReady = args.HostReady is null ? Array.Empty<Resource>() : [args.HostReady];

        // Secrets (boma-domain.md §1.2): relay auth secret, store encryption key (base64 of 32 bytes, padding kept),
        // session-cookie key (base64 of 32 bytes), and the owner's password for the headless setup.
        var authSecret = new RandomPassword($"{name}-relay-auth-secret", new RandomPasswordArgs { Length = 43, Special = false },
            new CustomResourceOptions { Parent = this });
        var storeKey = new RandomBytes($"{name}-store-encryption-key", new RandomBytesArgs { Length = 32 }, new CustomResourceOptions { Parent = this });
        var cookieKey = new RandomBytes($"{name}-session-cookie-key", new RandomBytesArgs { Length = 32 }, new CustomResourceOptions { Parent = this });
        var ownerPassword = new RandomPassword($"{name}-owner-password", new RandomPasswordArgs { Length = 28, Special = true, OverrideSpecial = "-_.:+" },
            new CustomResourceOptions { Parent = this });

        var compose = HostTemplates.Render("netbird/compose.yaml.tmpl", new Dictionary<string, string> { ["netbird_fqdn"] = args.Fqdn });
        var configTemplate = HostTemplates.Render("netbird/config.yaml.tmpl", new Dictionary<string, string>
        {
            ["netbird_fqdn"] = args.Fqdn,
            ["trusted_proxies"] = EdgeSubnet,
        });
        var renderScript = NetbirdRemote.Read("netbird/render-config.sh");

        var copyCompose = NetbirdRemote.Copy(this, $"{name}-compose", connection, args.Target.User, "netbird/compose.yaml", compose, hostReady);
        var copyTemplate = NetbirdRemote.Copy(this, $"{name}-config-template", connection, args.Target.User, "netbird/config.yaml.tmpl", configTemplate, hostReady);
        var copyRender = NetbirdRemote.Copy(this, $"{name}-render-script", connection, args.Target.User, "netbird/render-config.sh", renderScript, hostReady);

        // config.yaml exists only on askari (mode 0600, root): the template has markers, the secrets come on stdin.
        // stdout is the SHA-256 of the rendered file, so a changed secret or template redeploys the stack.
        var renderConfig = new Command($"{name}-render-config", new CommandArgs
        {
            Connection = connection,
            Create = $"sudo -n bash {stage}/netbird/render-config.sh {stage}/netbird/config.yaml.tmpl {InstallDir}/config.yaml",
            Stdin = NetbirdRemote.Secret(Output.Format($"NB_AUTH_SECRET={authSecret.Result}\nNB_STORE_ENCRYPTION_KEY={storeKey.Base64}\nNB_SESSION_COOKIE_KEY={cookieKey.Base64}\n")),
            Logging = NetbirdRemote.NoLogging,
            Triggers = CommandTriggers.Of(NetbirdRemote.Sha256(configTemplate), NetbirdRemote.Sha256(renderScript)),
        }, NetbirdRemote.SecretCommand(this, copyTemplate, copyRender));

        // Only this stack's files and rendered config are in the triggers: a Caddy change never restarts NetBird.
        Up = new Command($"{name}-up", new CommandArgs
        {
            Connection = connection,
            Create = $"sudo -n install -D -m 0644 {stage}/netbird/compose.yaml {InstallDir}/compose.yaml && " +
                     $"(sudo docker network inspect {EdgeNetwork} >/dev/null 2>&1 || sudo -n docker network create --subnet {EdgeSubnet} {EdgeNetwork} >/dev/null) && " +
                     $"cd {InstallDir} && sudo -n docker compose -p netbird up -d --force-recreate --remove-orphans",
            Delete = $"cd {InstallDir} && sudo -n docker compose -p netbird down",
            Logging = NetbirdRemote.NoLogging,
            Triggers = CommandTriggers.Of(NetbirdRemote.Sha256(compose), renderConfig.Stdout),
        }, NetbirdRemote.SecretCommandWithDelete(this, copyCompose, renderConfig));

        var copies = ApiScripts
            .Select(s => NetbirdRemote.Copy(this, $"{name}-api-{Path.GetFileNameWithoutExtension(s)}", connection, args.Target.User, $"netbird-api/{s}", NetbirdRemote.Read($"netbird-api/{s}"), hostReady))
            .ToArray();
        var apiHash = NetbirdRemote.Sha256(string.Concat(ApiScripts.Select(s => NetbirdRemote.Read($"netbird-api/{s}"))));

        // Headless setup over the loopback port (Caddy refuses /api/setup and /setup from everyone, see docs/netbird.md).
        // The password goes in on stdin; the token comes out on stdout, which is a secret and never logged.
        var setup = new Command($"{name}-setup", new CommandArgs
        {
            Connection = connection,
            Create = $"sudo -n install -d -m 0755 {ApiDir} && sudo -n install -m 0755 {string.Join(' ', ApiScripts.Select(s => $"{stage}/netbird-api/{s}"))} {ApiDir}/ && " +
                     $"sudo -n env NB_OWNER_EMAIL={NetbirdRemote.Quote(args.Config.OwnerEmail)} NB_OWNER_NAME={NetbirdRemote.Quote(args.Config.OwnerName)} " +
                     $"NB_PAT_DAYS={args.Config.AdminTokenDays} bash {ApiDir}/setup.sh --emit-token",
            Stdin = NetbirdRemote.Secret(Output.Format($"{ownerPassword.Result}\n")),
            Logging = NetbirdRemote.NoLogging,
            Triggers = CommandTriggers.Of(apiHash),
        }, NetbirdRemote.SecretCommand(this, [Up, .. copies]));
        ApiReady = setup;
        ApiScriptsHash = apiHash;

        HostFiles =
        [
            new HostFile("askari/netbird/compose.yaml", Output.Create(compose)),
            new HostFile("askari/netbird/config.yaml.tmpl", Output.Create(configTemplate)),
            new HostFile("askari/netbird/render-config.sh", Output.Create(renderScript)),
            .. ApiScripts.Select(s => new HostFile($"askari/netbird-api/{s}", Output.Create(NetbirdRemote.Read($"netbird-api/{s}")))),
        ];
        ManagementUrl = Output.Create($"https://{args.Fqdn}");
        AdminToken = setup.Stdout.Apply(s => Output.CreateSecret(s.Trim()));
        OwnerPassword = ownerPassword.Result.Apply(p => Output.CreateSecret(p));
        RegisterOutputs();
    }
}
