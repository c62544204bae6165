namespace Boma.Infra.Components;

using Pulumi;

/// <summary>Inputs of <see cref="ClusterOffsiteReference"/>.</summary>
internal sealed class ClusterOffsiteReferenceArgs
{
    /// <summary>The fully qualified offsite stack, <c>&lt;org&gt;/boma/offsite</c>.</summary>
    public required string StackName { get; init; }

    /// <summary>The offsite output holding the reusable server setup key (<c>boma:mesh.setupKeyOutput</c>).</summary>
    public required string SetupKeyOutput { get; init; }
}

/// <summary>
/// What the cluster reads from the offsite stack: the mesh setup key for servers, the NetBird management URL
/// and askari's public IPv4 (pinned in /etc/hosts like on askari itself). Every output is required: a missing
/// one fails the update with the stack and output name before any VM is bootstrapped. The setup key is kept
/// secret even if the offsite stack forgot to mark it.
/// </summary>
internal sealed class ClusterOffsiteReference : ComponentResource
{
    public const string TypeToken = "boma:cluster:OffsiteReference";

    /// <summary>Offsite output names (the runbook contract's names).</summary>
    public const string ManagementUrlOutput = "managementUrl";

    public const string CoordinatorIpv4Output = "askariIpv4";

    /// <summary>The offsite output holding the reusable servers' setup key, unless <c>boma:mesh.setupKeyOutput</c> names another.</summary>
    public const string DefaultSetupKeyOutput = "serversSetupKey";

    /// <summary>Every offsite output the cluster requires by default (the contract the offsite stack must export).</summary>
    public static readonly IReadOnlyList<string> RequiredOutputs = [DefaultSetupKeyOutput, ManagementUrlOutput, CoordinatorIpv4Output];

    /// <summary>The required outputs the offsite stack must export as secrets.</summary>
    public static readonly IReadOnlyList<string> SecretOutputs = [DefaultSetupKeyOutput];

    public ClusterOffsiteReference(string name, ClusterOffsiteReferenceArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        Reference = new StackReference($"{name}-stack", new StackReferenceArgs { Name = args.StackName },
            new CustomResourceOptions { Parent = this });

        SetupKey = RequireString(args, args.SetupKeyOutput).Apply(Output.CreateSecret);
        ManagementUrl = RequireString(args, ManagementUrlOutput);
        CoordinatorIpv4 = RequireString(args, CoordinatorIpv4Output);
        RegisterOutputs();
    }

    public StackReference Reference { get; }

    [Output("setupKey")]
    public Output<string> SetupKey { get; private set; }

    [Output("managementUrl")]
    public Output<string> ManagementUrl { get; private set; }

    [Output("coordinatorIpv4")]
    public Output<string> CoordinatorIpv4 { get; private set; }

    private Output<string> RequireString(ClusterOffsiteReferenceArgs args, string output) =>
        Reference.RequireOutput(output).Apply(value => value is string { Length: > 0 } text
            ? text
            : throw new ResourceException(
                $"output '{output}' of stack '{args.StackName}' is {(value is null ? "empty" : $"a {value.GetType().Name}, not a string")}: " +
                $"run `pulumi up -s offsite` so it exports {output}, or point boma:mesh.offsiteStack at the right stack", this));
}
