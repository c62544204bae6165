using Boma.Infra.Config;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;

/// <summary>What <see cref="Backup"/> needs.</summary>
internal sealed class BackupArgs
{
    /// <summary>The host's name (<c>boma:hostName</c>): the folder of its host files in <c>plan --out</c>.</summary>
    public required string HostName { get; init; }

    public required RemoteHost Host { get; init; }

    public required BackupConfig Config { get; init; }

    /// <summary>The NetBird stack's deploy command: the backup needs the data volume and config.yaml.</summary>
    public required Resource NetbirdUp { get; init; }
}

/// <summary>
/// restic backup of the NetBird coordinator (store, idp and events databases as consistent SQLite
/// copies, plus config.yaml with its encryption key) to the off-host repository from config, on a systemd
/// timer with retention. The repository credentials reach askari on stdin and live only in
/// /etc/restic/netbird.env (0600); for an sftp repository the storage box key lands in /etc/restic/netbird.ssh-key
/// (0600) and its host key from config in /etc/restic/netbird.known_hosts, used through an ssh_config.d drop-in.
/// </summary>
internal sealed class Backup : ComponentResource
{
    public const string TypeToken = "boma:netbird:Backup";
    public const string ScriptPath = "/usr/local/sbin/boma-netbird-backup";
    public const string RestorePath = "/usr/local/sbin/boma-netbird-restore";
    public const string LibPath = "/usr/local/sbin/boma-restic-lib.sh";
    public const string KnownHostsPath = "/etc/restic/netbird.known_hosts";
    public const string SshKeyPath = "/etc/restic/netbird.ssh-key";
    public const string SshConfigPath = "/etc/ssh/ssh_config.d/boma-restic.conf";
    private const string KnownHostsFile = "boma-restic-known-hosts";
    private const string SshConfigFile = "boma-restic-ssh.conf";

    [Output("repository")]
    public Output<string> Repository { get; private set; }

    [Output("schedule")]
    public Output<string> Schedule { get; private set; }

    internal IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>What this component puts on askari (for `plan --out`); /etc/restic/netbird.env is never written.</summary>
    public IReadOnlyList<HostFile> HostFiles { get; }

    public Backup(string name, BackupArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var connection = args.Host.Connection;
        var config = args.Config;
        var stage = args.Host.StageDir;
        Files = RenderFiles(config);

        var copies = Files.Select(f => (Resource)args.Host.Copy(this, $"{name}-{f.Key.Replace('.', '-')}", $"backup/{f.Key}", f.Value, [args.NetbirdUp])).ToArray();

        // stdin line 1 is the repository password (its own 0600 file), the rest the unit's env file.
        var env = new Command($"{name}-restic-env", new CommandArgs
        {
            Connection = connection,
            Create = $"{RemoteHost.Sudo} bash {stage}/backup/boma-restic-env.sh /etc/restic",
            // For an sftp repository the storage box key follows as its own block (0600 file, never argv).
            Stdin = RemoteHost.Secret(Output.Format(
                $"{config.Password}\nRESTIC_REPOSITORY={config.Repository}\nRESTIC_PASSWORD_FILE=/etc/restic/netbird.password\n{config.BackendEnv}\n{config.SshKey}\n")),
            Logging = RemoteHost.NoLogging,
        }, RemoteHost.SecretCommand(this, [args.NetbirdUp, .. copies]));

        var triggers = new List<object>();
        foreach (var text in Files.Values)
        {
            triggers.Add(RemoteHost.Sha256(text));
        }

        triggers.Add(env.Stdout);
        // sftp: root's ssh reaches the storage box with its own key and only with the host key from config.
        var sftp = config.Sftp is null ? "" :
            $"{RemoteHost.Sudo} install -m 0644 {stage}/backup/{KnownHostsFile} {KnownHostsPath} && " +
            $"{RemoteHost.Sudo} install -m 0644 {stage}/backup/{SshConfigFile} {SshConfigPath} && ";
        _ = new Command($"{name}-enable", new CommandArgs
        {
            Connection = connection,
            // No recommends: restic's fuse3 (for `restic mount`, never used here) brings the setuid fusermount3, which
            // the auditd step's privileged-program rules, built before this, do not list (found by the rehearsal).
            Create = $"{RemoteHost.Sudo} apt-get install -y -qq --no-install-recommends restic sqlite3 jq >/dev/null && " +
                     $"{RemoteHost.Sudo} install -m 0755 {stage}/backup/boma-netbird-backup.sh {ScriptPath} && " +
                     $"{RemoteHost.Sudo} install -m 0755 {stage}/backup/boma-netbird-restore.sh {RestorePath} && " +
                     // Both scripts source their shared part from the directory they are installed in.
                     $"{RemoteHost.Sudo} install -m 0644 {stage}/backup/boma-restic-lib.sh {LibPath} && " +
                     $"{RemoteHost.Sudo} install -m 0644 {stage}/backup/boma-netbird-backup.service {stage}/backup/boma-netbird-backup.timer /etc/systemd/system/ && " +
                     $"{RemoteHost.Sudo} systemctl daemon-reload && " + sftp +
                     $"{RemoteHost.Sudo} {ScriptPath} init && " +
                     $"{RemoteHost.Sudo} systemctl enable --now boma-netbird-backup.timer",
            Delete = $"{RemoteHost.Sudo} systemctl disable --now boma-netbird-backup.timer || true",
            Logging = RemoteHost.NoLogging,
            Triggers = CommandTriggers.Of([.. triggers]),
        }, RemoteHost.SecretCommandWithDelete(this, [env, .. copies]));

        HostFiles = [.. Files.Select(f => new HostFile($"{args.HostName}/backup/{f.Key}", Output.Create(f.Value)))];
        Repository = Output.Create(config.Repository);
        Schedule = Output.Create(config.Schedule);
        RegisterOutputs();
    }

    /// <summary>The files this component installs, by name (rendered; none holds a secret).</summary>
    internal static IReadOnlyDictionary<string, string> RenderFiles(BackupConfig config, string scriptPath = ScriptPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["boma-netbird-backup.sh"] = RemoteHost.Read("netbird/backup/boma-netbird-backup.sh"),
            ["boma-netbird-restore.sh"] = RemoteHost.Read("netbird/backup/boma-netbird-restore.sh"),
            ["boma-restic-env.sh"] = RemoteHost.Read("netbird/backup/boma-restic-env.sh"),
            ["boma-restic-lib.sh"] = RemoteHost.Read("netbird/backup/boma-restic-lib.sh"),
            ["boma-netbird-backup.service"] = HostTemplates.Render("netbird/backup/boma-netbird-backup.service.tmpl", new Dictionary<string, string>
            {
                ["script_path"] = scriptPath,
                ["keep_daily"] = config.KeepDaily.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["keep_weekly"] = config.KeepWeekly.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["keep_monthly"] = config.KeepMonthly.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
            ["boma-netbird-backup.timer"] = HostTemplates.Render("netbird/backup/boma-netbird-backup.timer.tmpl", new Dictionary<string, string> { ["schedule"] = config.Schedule }),
        };
        if (config.Sftp is { } box)
        {
            files[KnownHostsFile] = config.KnownHosts;
            files[SshConfigFile] = HostTemplates.Render("netbird/backup/boma-restic-ssh.conf.tmpl", new Dictionary<string, string> { ["host"] = box.Host });
        }

        return files;
    }
}
