using System.Security.Cryptography;
using System.Text;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;

/// <summary>
/// One host boma reaches over SSH, built once per host and handed to every component that runs commands there
/// (<see cref="HostBootstrap"/>, <see cref="ComposeStack"/>, <see cref="NetbirdServer"/>, <see cref="Peers"/>,
/// <see cref="Backup"/>): the single <see cref="Connection"/> (a connection whose value or secretness differs between
/// commands causes spurious diffs, pulumi-command#447), the staging directory files are copied to, and the option
/// sets for commands that touch secrets.
/// </summary>
internal sealed class RemoteHost
{
    /// <summary>Root via passwordless sudo (the bootstrap sets it up); -n fails instead of waiting for a password.</summary>
    public const string Sudo = "sudo -n";

    /// <summary>The <c>logging</c> value for secret-touching commands: nothing reaches the engine's log.</summary>
    public static Logging NoLogging => Logging.None;

    public RemoteHost(SshTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        Connection = new ConnectionArgs
        {
            Host = target.Host,
            User = target.User,
            PrivateKey = target.PrivateKey,
            // A fresh VPS or VM needs a while before sshd answers; keep dialling instead of failing the update.
            DialErrorLimit = 40,
            PerDialTimeout = 15,
        };
    }

    public SshTarget Target { get; }

    /// <summary>The one connection every command on this host uses.</summary>
    public ConnectionArgs Connection { get; }

    public string User => Target.User;

    /// <summary>Where copied files land before a command installs them (the admin user can write there).</summary>
    public string StageDir => StageDirOf(Target.User);

    public static string StageDirOf(string adminUser) => adminUser == "root" ? "/root/.boma-stage" : $"/home/{adminUser}/.boma-stage";

    /// <summary>Copies <paramref name="text"/> to <c>stage/<paramref name="stagePath"/></c>; re-copied only when the text changes.</summary>
    public CopyToRemote Copy(Resource parent, string name, string stagePath, string text, InputList<Resource>? dependsOn = null, IEnumerable<Alias>? aliases = null)
    {
        var options = new CustomResourceOptions { Parent = parent, DependsOn = dependsOn ?? [] };
        options.Aliases.AddRange((aliases ?? []).Select(a => (Input<Alias>)a));
        return new CopyToRemote(name, new CopyToRemoteArgs
        {
            Connection = Connection,
            RemotePath = $"{StageDir}/{stagePath}",
            Source = new StringAsset(text),
            Triggers = CommandTriggers.Of(Sha256(text)),
        }, options);
    }

    /// <summary>Lower-case hex SHA-256 of the text: the trigger that makes a changed file redeploy its stack.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A host file that needs no parameters (scripts), read from the program's hosts/ directory.</summary>
    public static string Read(string relativePath) => HostTemplates.Render(relativePath, new Dictionary<string, string>());

    /// <summary>Options for a command that touches a secret: its stdout and stderr are stored as secrets.</summary>
    public static CustomResourceOptions SecretCommand(Resource parent, params Resource[] dependsOn) => new()
    {
        Parent = parent,
        DependsOn = dependsOn,
        AdditionalSecretOutputs = ["stdout", "stderr"],
    };

    /// <summary>
    /// Options for a secret-touching command that also has a <c>delete</c> (docker compose down, timer disable): a
    /// trigger change replaces it, and the default create-then-delete order would run the old resource's delete
    /// right after the new create and take the stack down again; delete-before-replace runs down, then up.
    /// </summary>
    public static CustomResourceOptions SecretCommandWithDelete(Resource parent, params Resource[] dependsOn)
    {
        var options = SecretCommand(parent, dependsOn);
        options.DeleteBeforeReplace = true;
        return options;
    }

    /// <summary>
    /// Marks a value secret explicitly. The engine also does it for outputs listed in additionalSecretOutputs,
    /// but a value built from secrets must never depend on that (mocks and the offline plan do not apply it).
    /// </summary>
    public static Output<string> Secret(Output<string> value) => Output.CreateSecret(value);

    /// <summary>Single-quotes a value for sh (values are validated, this is belt and braces).</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
