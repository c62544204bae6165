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

    /// <summary>The scripts, each after the roles it names in <see cref="BootstrapStep.After"/> (by default the one before it).</summary>
    public required IReadOnlyList<BootstrapStep> Steps { get; init; }
}

/// <summary>
/// Configures a host over SSH: one remote Command per <see cref="BootstrapStep"/>, each running an
/// idempotent script rendered from hosts/, once the steps it waits for are done (independent steps run at
/// the same time, as the engine runs independent resources). The trigger of each command is the SHA-256 of
/// the script it runs, so a template change re-runs exactly the steps it touches. Host-agnostic:
/// the cluster stack uses it unchanged with its own steps.
/// </summary>
internal sealed class HostBootstrap : ComponentResource
{
    public const string TypeToken = "boma:host:Bootstrap";

    /// <summary>How every step runs: as root through the admin user's passwordless sudo, script on stdin (never in argv).</summary>
    public const string RunAsRoot = RemoteHost.Sudo + " bash -s";

    private readonly Dictionary<string, Command> _byRole;

    public HostBootstrap(string name, HostBootstrapArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);

        var connection = args.Host.Connection;

        var commands = new List<Command>();
        var files = new List<HostFile>();
        var byRole = new Dictionary<string, Command>(StringComparer.Ordinal);
        Command? previous = null;
        foreach (var step in args.Steps)
        {
            var stepOptions = new CustomResourceOptions { Parent = this };
            var after = (step.After is null ? (previous is null ? [] : [previous]) : step.After.Select(role => byRole.TryGetValue(role, out var c)
                ? c
                : throw new ArgumentException($"bootstrap step '{step.Role}' waits for '{role}', which is not an earlier step of {args.HostName}", nameof(args)))).ToList();
            if (after.Count > 0)
            {
                var dependsOn = new InputList<Resource>();
                foreach (var waited in after)
                {
                    dependsOn.Add(waited);
                }

                stepOptions.DependsOn = dependsOn;
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
            if (!byRole.TryAdd(step.Role, command))
            {
                throw new ArgumentException($"bootstrap step '{step.Role}' is listed twice for {args.HostName}", nameof(args));
            }

            if (!step.TouchesSecret || step.Stdin is not null)
            {
                // A script that carries a secret is never written out (plan --out); one whose secrets travel
                // ahead of it on stdin holds none and is.
                files.Add(new HostFile($"{args.HostName}/{step.Template.Replace(".tmpl", "", StringComparison.Ordinal)}", step.Script));
            }

            previous = command;
        }

        Commands = [.. commands];
        _byRole = byRole;
        HostFiles = files;
        RegisterOutputs();
    }

    public ImmutableArray<Command> Commands { get; }

    /// <summary>The command of one step, for what needs only that much of the host (e.g. Docker before a compose stack).</summary>
    public Command Step(string role) =>
        _byRole.TryGetValue(role, out var command) ? command : throw new ArgumentException($"no bootstrap step '{role}'", nameof(role));

    public IReadOnlyList<HostFile> HostFiles { get; }
}
