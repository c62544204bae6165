namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;

/// <summary>What <see cref="ComposeStack"/> needs.</summary>
internal sealed class ComposeStackArgs
{
    public required RemoteHost Host { get; init; }

    /// <summary>The compose project name (<c>docker compose -p</c>), also the staging sub-directory.</summary>
    public required string Project { get; init; }

    public required string InstallDir { get; init; }

    /// <summary>The files copied to the host and installed into <see cref="InstallDir"/>; their hashes are the triggers.</summary>
    public required IReadOnlyList<ComposeFile> Files { get; init; }

    /// <summary>Build the images locally (<c>up --build</c>).</summary>
    public bool Build { get; init; }

    /// <summary>More trigger values (e.g. the hash of a file rendered on the host from secrets).</summary>
    public IReadOnlyList<Output<string>> ExtraTriggers { get; init; } = [];

    /// <summary>What must exist before <c>up</c> runs (the bootstrap's docker step, which also creates the shared networks).</summary>
    public IReadOnlyList<Resource> HostReady { get; init; } = [];

    /// <summary>What must exist before the files are copied (the base step); <see cref="HostReady"/> when null.</summary>
    public IReadOnlyList<Resource>? StageReady { get; init; }

    /// <summary>What must exist before <c>up</c> runs besides the copies (e.g. a rendered config file).</summary>
    public IReadOnlyList<Resource> UpAfter { get; init; } = [];

    /// <summary>
    /// The component whose direct children the copies and <c>up</c> were before this component existed: each child
    /// carries an alias to that parent, so a deployed stack sees a move, not a replacement.
    /// </summary>
    public Resource? FormerParent { get; init; }
}

/// <summary>
/// One docker compose project on a host, the same way for NetBird and Caddy: its files copied to the staging
/// directory, then one <c>up</c> command (hosts/compose/compose-up.sh, staged with them) triggered by exactly this project's
/// file hashes, so a change to one project never restarts the other. <c>delete</c> runs <c>docker compose down</c>
/// (delete-before-replace, so a redeploy is down, then up).
/// </summary>
internal sealed class ComposeStack : ComponentResource
{
    public const string TypeToken = "boma:host:ComposeStack";
    public const string Script = "compose/compose-up.sh";

    public ComposeStack(string name, ComposeStackArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var host = args.Host;
        var aliases = args.FormerParent is null ? [] : new[] { new Alias { Parent = args.FormerParent } };
        // The copies need only the stage directory; up waits for Docker too.
        var stageReady = new InputList<Resource>();
        foreach (var r in args.StageReady ?? args.HostReady)
        {
            stageReady.Add(r);
        }

        Copies = [.. args.Files.Select(f => host.Copy(this, $"{name}-{f.Role}", $"{args.Project}/{f.FileName}", f.Text, stageReady, aliases))];

        var triggers = new List<object>();
        foreach (var file in args.Files)
        {
            triggers.Add(RemoteHost.Sha256(file.Text));
        }

        foreach (var extra in args.ExtraTriggers)
        {
            triggers.Add(extra);
        }

        var script = RemoteHost.Read(Script);
        triggers.Add(RemoteHost.Sha256(script));
        var scriptPath = $"{args.Project}/compose-up.sh";
        var copyScript = host.Copy(this, $"{name}-up-script", scriptPath, script, stageReady);
        var upOptions = RemoteHost.SecretCommandWithDelete(this, [.. args.HostReady, .. Copies, copyScript, .. args.UpAfter]);
        upOptions.Aliases.AddRange(aliases.Select(a => (Input<Alias>)a));
        var staged = string.Join(' ', args.Files.Select(f => $"{host.StageDir}/{args.Project}/{f.FileName}"));
        Up = new Command($"{name}-up", new CommandArgs
        {
            Connection = host.Connection,
            Create = $"{RemoteHost.Sudo} bash {host.StageDir}/{scriptPath} {args.Project} {args.InstallDir} {(args.Build ? "--build " : string.Empty)}{staged}",
            Delete = $"cd {args.InstallDir} && {RemoteHost.Sudo} docker compose -p {args.Project} down",
            Logging = RemoteHost.NoLogging,
            Triggers = CommandTriggers.Of([.. triggers]),
        }, upOptions);
        RegisterOutputs();
    }

    public IReadOnlyList<CopyToRemote> Copies { get; }

    /// <summary>The command that (re)deploys the project.</summary>
    public Command Up { get; }
}
