using System.Collections.Immutable;
using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;

/// <summary>Inputs of <see cref="HostBootstrap"/>.</summary>
internal sealed class HostBootstrapArgs
{
    /// <summary>Short host name, used for the rendered files' folder.</summary>
    public required string HostName { get; init; }

    /// <summary>The host, with its one SSH connection (shared with every other component that runs commands there).</summary>
    public required RemoteHost Host { get; init; }

    /// <summary>The scripts, run one after the other in this order.</summary>
    public required IReadOnlyList<BootstrapStep> Steps { get; init; }
}

/// <summary>
/// Configures a host over SSH: one remote Command per <see cref="BootstrapStep"/>, each running an
/// idempotent script rendered from hosts/, in order. The trigger of each command is the SHA-256 of
/// the script it runs, so a template change re-runs exactly the steps it touches. Host-agnostic:
/// the cluster stack uses it unchanged with its own steps.
/// </summary>
internal sealed class HostBootstrap : ComponentResource
{
    public const string TypeToken = "boma:host:Bootstrap";

    /// <summary>How every step runs: as root through the admin user's passwordless sudo, script on stdin (never in argv).</summary>
    public const string RunAsRoot = RemoteHost.Sudo + " bash -s";

    public HostBootstrap(string name, HostBootstrapArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);

        var connection = args.Host.Connection;

        var commands = new List<Command>();
        var files = new List<HostFile>();
        Command? previous = null;
        foreach (var step in args.Steps)
        {
            var stepOptions = new CustomResourceOptions { Parent = this };
            if (previous is not null)
            {
                stepOptions.DependsOn = new InputList<Resource> { previous };
            }

            if (step.TouchesSecret)
            {
                stepOptions.AdditionalSecretOutputs = ["stdout", "stderr"];
            }

            var commandArgs = new CommandArgs
            {
                Connection = connection,
                Create = RunAsRoot,
                Stdin = step.Stdin ?? step.Script,
                Triggers = CommandTriggers.Of(step.Script.Apply(s => (object)HostTemplates.Sha256(s))),
            };
            if (step.TouchesSecret)
            {
                // The provider logs stdout/stderr unless told not to; a secret could be echoed there.
                commandArgs.Logging = Logging.None;
            }

            var command = new Command($"{name}-{step.Role}", commandArgs, stepOptions);
            commands.Add(command);
            if (!step.TouchesSecret || step.Stdin is not null)
            {
                // A script that carries a secret is never written out (plan --out); one whose secrets travel
                // ahead of it on stdin holds none and is.
                files.Add(new HostFile($"{args.HostName}/{step.Template.Replace(".tmpl", "", StringComparison.Ordinal)}", step.Script));
            }

            previous = command;
        }

        Commands = [.. commands];
        HostFiles = files;
        RegisterOutputs();
    }

    public ImmutableArray<Command> Commands { get; }

    public IReadOnlyList<HostFile> HostFiles { get; }
}
