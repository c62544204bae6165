using System.Security.Cryptography;
using System.Text;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;

/// <summary>
/// How the NetBird, Caddy and backup components put files on askari and run commands there.
/// Files are copied (SFTP, as the admin user) into a staging directory in the admin's home and installed
/// from there with sudo by the command that needs them; every command whose input or output can hold a
/// secret gets <c>logging: none</c> and secret stdout/stderr.
/// </summary>
internal static class NetbirdRemote
{
    /// <summary>Where the copied files land before a command installs them (the admin user can write there).</summary>
    public static string StageDir(string adminUser) => adminUser == "root" ? "/root/.boma-stage" : $"/home/{adminUser}/.boma-stage";

    /// <summary>Lower-case hex SHA-256 of the text: the trigger that makes a changed file redeploy its stack.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A host file that needs no parameters (scripts), read from the program's hosts/ directory.</summary>
    public static string Read(string relativePath) => HostTemplates.Render(relativePath, new Dictionary<string, string>());

    /// <summary>Copies <paramref name="text"/> to <c>stage/<paramref name="stagePath"/></c>; re-copied only when the text changes.</summary>
    public static CopyToRemote Copy(Resource parent, string name, Input<ConnectionArgs> connection, string adminUser, string stagePath, string text, InputList<Resource>? dependsOn = null) =>
        new(name, new CopyToRemoteArgs
        {
            Connection = connection,
            RemotePath = $"{StageDir(adminUser)}/{stagePath}",
            Source = new StringAsset(text),
            Triggers = CommandTriggers.Of(Sha256(text)),
        }, new CustomResourceOptions { Parent = parent, DependsOn = dependsOn ?? [] });

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

    /// <summary>The SSH connection, built the same way as <see cref="HostBootstrap"/>'s (same values, so no spurious diffs).</summary>
    public static ConnectionArgs Connection(SshTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new ConnectionArgs
        {
            Host = target.Host,
            User = target.User,
            PrivateKey = target.PrivateKey,
            DialErrorLimit = 40,
            PerDialTimeout = 15,
        };
    }

    /// <summary>Root via passwordless sudo (the bootstrap sets it up); -n fails instead of waiting for a password.</summary>
    public const string Sudo = "sudo -n";

    /// <summary>The <c>logging</c> value for secret-touching commands: nothing reaches the engine's log.</summary>
    public static Logging NoLogging => Logging.None;

    /// <summary>
    /// Marks a value secret explicitly. The engine also does it for outputs listed in additionalSecretOutputs,
    /// but a value built from secrets must never depend on that (mocks and the offline plan do not apply it).
    /// </summary>
    public static Output<string> Secret(Output<string> value) => Output.CreateSecret(value);

    /// <summary>Single-quotes a value for sh (values are validated, this is belt and braces).</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
