using Boma.Infra.Config;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;

/// <summary>What <see cref="Peers"/> needs.</summary>
internal sealed class PeersArgs
{
    /// <summary>The host's name (<c>boma:hostName</c>): the folder of its host files in <c>plan --out</c>.</summary>
    public required string HostName { get; init; }

    public required RemoteHost Host { get; init; }

    public required string ManagementUrl { get; init; }

    /// <summary>askari's peer name on the mesh.</summary>
    public required string AskariPeerName { get; init; }

    public required NetbirdConfig Config { get; init; }

    /// <summary>The step after which the API scripts and the admin token are on askari.</summary>
    public required Resource ApiReady { get; init; }

    /// <summary>Caddy's deploy: askari enrols through Caddy (and its certificate), so it must be up first.</summary>
    public required Resource EdgeReady { get; init; }

    /// <summary>
    /// askari's hardening (to the coordinator pin in /etc/hosts): askari joins its mesh through the pinned name, and only
    /// once its firewall and fail2ban are in place. None when null.
    /// </summary>
    public Resource? HostHardened { get; init; }

    /// <summary>Hash of the API scripts (<see cref="NetbirdServer.ApiScriptsHash"/>), part of every trigger here.</summary>
    public required string ApiScriptsHash { get; init; }
}

/// <summary>
/// Peers and access control as code through NetBird's management API (hosts/netbird-api scripts run on askari):
/// the mesh DNS domain, the scoped policies (created before the default Allow-All is deleted), the servers'
/// reusable setup key and the road-warriors' short-lived one, askari's own enrolment, and ubongo's enrolment
/// command. Keys never leave askari except as secret outputs.
/// </summary>
internal sealed class Peers : ComponentResource
{
    public const string TypeToken = "boma:netbird:Peers";

    [Output("askariMeshIp")]
    public Output<string> AskariMeshIp { get; private set; }

    [Output("meshDnsDomain")]
    public Output<string> MeshDnsDomain { get; private set; }

    /// <summary>The cluster VMs' own key (secret); the output keeps the name the cluster stack reads.</summary>
    [Output("serversSetupKey")]
    public Output<string> ServersSetupKey { get; private set; }

    /// <summary>Short-lived or one-off key for laptops (secret).</summary>
    [Output("roadWarriorSetupKey")]
    public Output<string> RoadWarriorSetupKey { get; private set; }

    /// <summary>What to run on ubongo to enrol it (secret: it carries the servers key).</summary>
    [Output("ubongoEnrolCommand")]
    public Output<string> UbongoEnrolCommand { get; private set; }

    /// <summary>The policy spec file (for `plan --out`).</summary>
    public IReadOnlyList<HostFile> HostFiles { get; }

    public Peers(string name, PeersArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var connection = args.Host.Connection;
        var api = NetbirdServer.ApiDir;
        var config = args.Config;

        var dns = new Command($"{name}-dns-domain", new CommandArgs
        {
            Connection = connection,
            Create = $"{RemoteHost.Sudo} bash {api}/account.sh {RemoteHost.Quote(config.MeshDnsDomain)}",
            Logging = RemoteHost.NoLogging,
            Triggers = CommandTriggers.Of(config.MeshDnsDomain, args.ApiScriptsHash),
        }, RemoteHost.SecretCommand(this, args.ApiReady));

        var policyFile = NetbirdPolicyFile.Render(config);
        var copyPolicies = args.Host.Copy(this, $"{name}-policy-file", "netbird-api/policies.json", policyFile, [args.ApiReady]);
        var policies = new Command($"{name}-policies", new CommandArgs
        {
            Connection = connection,
            Create = $"{RemoteHost.Sudo} bash {api}/policies.sh {args.Host.StageDir}/netbird-api/policies.json",
            Logging = RemoteHost.NoLogging,
            Triggers = CommandTriggers.Of(RemoteHost.Sha256(policyFile), args.ApiScriptsHash),
        }, RemoteHost.SecretCommand(this, args.ApiReady, copyPolicies));

        // One key per consumer, each with an expiry, a usage limit and its own least-privilege group. askari's key is
        // the former shared servers key: the alias keeps its URN, so a deployed stack updates it instead of adding one.
        var askariKey = SetupKey($"{name}-askari-key", connection, args, config.AskariKey, config.KeyRotation, policies, new Alias { Name = $"{name}-servers-key" });
        var ubongoKey = SetupKey($"{name}-ubongo-key", connection, args, config.UbongoKey, config.KeyRotation, policies);
        var clusterKey = SetupKey($"{name}-cluster-key", connection, args, config.ClusterKey, config.KeyRotation, policies);
        var roadWarriorKey = SetupKey($"{name}-road-warrior-key", connection, args, config.RoadWarriorKey, config.KeyRotation, policies);

        // askari joins with the servers key straight from the file setup-key.sh wrote; stdout is only the mesh IP.
        var enrol = new Command($"{name}-askari-enrol", new CommandArgs
        {
            Connection = connection,
            // The client's DNS management stays off on askari (docs/netbird.md, "DNS on askari").
            Create = $"{RemoteHost.Sudo} bash {api}/enrol-peer.sh {RemoteHost.Quote(args.ManagementUrl)} /etc/boma/netbird/setup-keys/{config.AskariKey.Name}.key " +
                     $"{RemoteHost.Quote(args.AskariPeerName)} {NetbirdConfig.Version} --disable-dns",
            Logging = RemoteHost.NoLogging,
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = args.HostHardened is null ? new Resource[] { askariKey, policies, dns, args.EdgeReady } : new Resource[] { askariKey, policies, dns, args.EdgeReady, args.HostHardened },
            // The script never sees the key's value (netbird reads the file), but stderr could carry client errors.
            AdditionalSecretOutputs = ["stderr"],
        });

        HostFiles = [new HostFile($"{args.HostName}/netbird-api/policies.json", Output.Create(policyFile))];
        AskariMeshIp = enrol.Stdout.Apply(s => s.Trim());
        MeshDnsDomain = Output.Create(config.MeshDnsDomain);
        ServersSetupKey = clusterKey.Stdout.Apply(s => Output.CreateSecret(s.Trim()));
        var ubongoSetupKey = ubongoKey.Stdout.Apply(s => Output.CreateSecret(s.Trim()));
        RoadWarriorSetupKey = roadWarriorKey.Stdout.Apply(s => Output.CreateSecret(s.Trim()));
        // printf is a shell builtin: the key never shows up in ps; netbird reads it from a root-only file.
        UbongoEnrolCommand = ubongoSetupKey.Apply(key => Output.CreateSecret(
            // The client pinned to the coordinator's version (NetBird's apt repository set up as in docs/netbird.md).
            $"sudo apt-get install -y --allow-downgrades netbird={NetbirdConfig.Version} && sudo apt-mark hold netbird && " +
            $"printf '%s\\n' '{key}' | sudo install -m 0600 /dev/stdin /etc/netbird-setup-key && " +
            $"sudo netbird up --management-url {args.ManagementUrl} --setup-key-file /etc/netbird-setup-key --hostname ubongo && " +
            "sudo rm -f /etc/netbird-setup-key"));
        RegisterOutputs();
    }

    private Command SetupKey(string name, ConnectionArgs connection, PeersArgs args, NetbirdSetupKeySpec spec, string rotation, Resource after, Alias? alias = null)
    {
        var options = RemoteHost.SecretCommand(this, args.ApiReady, after);
        if (alias is not null)
        {
            options.Aliases.Add(alias);
        }

        return new Command(name, new CommandArgs
        {
            Connection = connection,
            Create = $"{RemoteHost.Sudo} env NB_KEY_NAME={spec.Name} NB_KEY_TYPE={spec.Type} NB_KEY_EXPIRES_IN={spec.ExpiresInSeconds} " +
                     $"NB_KEY_USAGE_LIMIT={spec.UsageLimit} NB_KEY_EPHEMERAL={(spec.Ephemeral ? "true" : "false")} " +
                     $"NB_KEY_GROUPS={string.Join(',', spec.Groups)} NB_KEY_ROTATION={rotation} bash {NetbirdServer.ApiDir}/setup-key.sh --emit-key",
            Logging = RemoteHost.NoLogging,
            // A changed spec or rotation replaces the command; the script then revokes the old key and issues a new one.
            Triggers = CommandTriggers.Of(spec.Name, spec.Type, spec.ExpiresInSeconds, spec.UsageLimit, spec.Ephemeral, string.Join(',', spec.Groups), rotation, args.ApiScriptsHash),
        }, options);
    }
}
