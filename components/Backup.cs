using Boma.Infra.Config;
using Boma.Infra.Hosts;
using Boma.Pulumi;
using Boma.Pulumi.Command.Remote;
using Boma.Pulumi.Command.Remote.Inputs;

namespace Boma.Infra.Components;

/// <summary>What <see cref="Backup"/> needs.</summary>
internal sealed record BackupArgs(Input<ConnectionArgs> Connection, string AdminUser, BackupConfig Config, Resource NetbirdUp);

/// <summary>
/// restic backup of the NetBird coordinator (store, idp and events databases as consistent SQLite
/// copies, plus config.yaml with its encryption key) to the off-host repository from config, on a systemd
/// timer with retention. The repository credentials reach askari on stdin and live only in
/// /etc/restic/netbird.env (0600).
/// </summary>
internal sealed class Backup : ComponentResource
{
    public const string Type = "boma:netbird:Backup";
    public const string ScriptPath = "/usr/local/sbin/boma-netbird-backup";
    public const string RestorePath = "/usr/local/sbin/boma-netbird-restore";

    [Output("repository")]
    public Output<string> Repository { get; private set; }

    [Output("schedule")]
    public Output<string> Schedule { get; private set; }

    internal IReadOnlyDictionary<string, string> Files { get; }

    public Backup(string name, BackupArgs args, ComponentResourceOptions? options = null)
        : base(Type, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var config = args.Config;
        var stage = NetbirdRemote.StageDir(args.AdminUser);
        Files = RenderFiles(config);

        var copies = Files.Select(f => (Resource)NetbirdRemote.Copy(this, $"{name}-{f.Key.Replace('.', '-')}", args.Connection, args.AdminUser, $"backup/{f.Key}", f.Value, [args.NetbirdUp])).ToArray();

        var env = new Command($"{name}-restic-env", new CommandArgs
        {
            Connection = args.Connection,
            Create = "sudo install -d -m 0700 /etc/restic && sudo sh -c 'umask 077; cat > /etc/restic/netbird.env' && sudo sha256sum /etc/restic/netbird.env | cut -d' ' -f1",
            Stdin = Output.Format($"RESTIC_REPOSITORY={config.Repository}\nRESTIC_PASSWORD={config.Password}\n{config.BackendEnv}\n"),
            Logging = NetbirdRemote.NoLogging,
        }, NetbirdRemote.SecretCommand(this, args.NetbirdUp));

        var triggers = new InputList<object>();
        foreach (var text in Files.Values)
        {
            triggers.Add(NetbirdRemote.Sha256(text));
        }

        triggers.Add(env.Stdout);
        _ = new Command($"{name}-enable", new CommandArgs
        {
            Connection = args.Connection,
            Create = "sudo apt-get install -y -qq restic sqlite3 jq >/dev/null && " +
                     $"sudo install -m 0755 {stage}/backup/boma-netbird-backup.sh {ScriptPath} && " +
                     $"sudo install -m 0755 {stage}/backup/boma-netbird-restore.sh {RestorePath} && " +
                     $"sudo install -m 0644 {stage}/backup/boma-netbird-backup.service {stage}/backup/boma-netbird-backup.timer /etc/systemd/system/ && " +
                     "sudo systemctl daemon-reload && " +
                     $"sudo sh -c 'set -a; . /etc/restic/netbird.env; exec {ScriptPath} init' && " +
                     "sudo systemctl enable --now boma-netbird-backup.timer",
            Delete = "sudo systemctl disable --now boma-netbird-backup.timer || true",
            Logging = NetbirdRemote.NoLogging,
            Triggers = triggers,
        }, NetbirdRemote.SecretCommand(this, [env, .. copies]));

        Repository = Output.Create(config.Repository);
        Schedule = Output.Create(config.Schedule);
        RegisterOutputs();
    }

    /// <summary>The files this component installs, by name (rendered; none holds a secret).</summary>
    internal static IReadOnlyDictionary<string, string> RenderFiles(BackupConfig config, string scriptPath = ScriptPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["boma-netbird-backup.sh"] = NetbirdRemote.Read("netbird/backup/boma-netbird-backup.sh"),
            ["boma-netbird-restore.sh"] = NetbirdRemote.Read("netbird/backup/boma-netbird-restore.sh"),
            ["boma-netbird-backup.service"] = HostTemplates.Render("netbird/backup/boma-netbird-backup.service.tmpl", new Dictionary<string, string>
            {
                ["script_path"] = scriptPath,
                ["keep_daily"] = config.KeepDaily.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["keep_weekly"] = config.KeepWeekly.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["keep_monthly"] = config.KeepMonthly.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
            ["boma-netbird-backup.timer"] = HostTemplates.Render("netbird/backup/boma-netbird-backup.timer.tmpl", new Dictionary<string, string> { ["schedule"] = config.Schedule }),
        };
    }
}
