using Boma.Infra.Config;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>What a rehearsal deploy runs with: the offsite config, the addresses the cloud "assigns" and where state lives.</summary>
internal sealed class DeployInputs
{
    /// <summary>The offsite config (secrets such as <c>sshPrivateKey</c> come through it).</summary>
    public required IConfigSource Config { get; init; }

    /// <summary>askari's IPv4 address: the hcloud Server's <c>ipv4Address</c> and the IPv4 PrimaryIp's <c>ipAddress</c>.</summary>
    public required string Ipv4 { get; init; }

    /// <summary>askari's IPv6 address (optional): the Server's <c>ipv6Address</c>; its /64 is the IPv6 PrimaryIp's <c>ipNetwork</c>.</summary>
    public string? Ipv6 { get; init; }

    /// <summary>Holds <c>state.json</c> (0600): random values and each executed step's inputs and outputs, as the engine's state would.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Engine config handed to the program (<c>boma:key</c> → value), for a source that reads <see cref="Pulumi.Config"/>.</summary>
    public IReadOnlyDictionary<string, string> EngineConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>Which <see cref="EngineConfig"/> keys are secret.</summary>
    public IReadOnlySet<string> EngineSecretKeys { get; init; } = new HashSet<string>();

    /// <summary>How many steps may run at once (<c>pulumi up --parallel</c>; the engine's default is unbounded).</summary>
    public int Parallel { get; init; } = 8;

    /// <summary>Runs <c>command:local:Command</c> steps.</summary>
    public ILocalShell LocalShell { get; init; } = new LocalShell();

    /// <summary>Project and stack, as in Pulumi.yaml and the stack file (they make the URNs).</summary>
    public string Project { get; init; } = "boma";

    /// <inheritdoc cref="Project" />
    public string Stack { get; init; } = "offsite";

    /// <summary>The program to run (the offsite stack unless set; the cluster rehearsal runs the cluster stack).</summary>
    public Func<IConfigSource, IDictionary<string, object?>> Program { get; init; } = config => Stacks.OffsiteStack.Run(config).Outputs;

    /// <summary>
    /// What a <c>pulumi:pulumi:StackReference</c> reads: the referenced stack's outputs (secrets unwrapped) and which of
    /// them are secret. The cluster rehearsal hands in the outputs of the offsite deploy it ran in the same lab.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? StackReferenceOutputs { get; init; }

    /// <inheritdoc cref="StackReferenceOutputs" />
    public IReadOnlySet<string> StackReferenceSecrets { get; init; } = new HashSet<string>();

    /// <summary>
    /// Resource types whose dependent steps this run leaves out (<see cref="DeployAction.Excluded"/>), transitively. The
    /// cluster rehearsal runs the VMs' steps that need nothing from the offsite stack (the dependents of its
    /// <c>pulumi:pulumi:StackReference</c>) while askari still deploys, then the whole <c>up</c>.
    /// </summary>
    public IReadOnlySet<string> ExcludeDependentsOf { get; init; } = new HashSet<string>();

    public void Validate()
    {
        if (!System.Net.IPAddress.TryParse(Ipv4, out var v4) || v4.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"DeployInputs.Ipv4: '{Ipv4}' is not an IPv4 address; pass askari's rehearsal address such as 10.10.0.2.", nameof(Ipv4));
        }

        if (Ipv6 is not null && (!System.Net.IPAddress.TryParse(Ipv6, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"DeployInputs.Ipv6: '{Ipv6}' is not an IPv6 address; pass one such as fd10::2, or null.", nameof(Ipv6));
        }

        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            throw new ArgumentException("DeployInputs.StateDirectory is empty; pass a directory the rehearsal keeps between runs.", nameof(StateDirectory));
        }

        if (Parallel < 1)
        {
            throw new ArgumentException($"DeployInputs.Parallel: {Parallel} must be at least 1.", nameof(Parallel));
        }
    }
}
