using System.Collections;
using System.Collections.Immutable;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>Inputs of <see cref="ClusterOffsiteReference"/>.</summary>
internal sealed class ClusterOffsiteReferenceArgs
{
    /// <summary>The fully qualified offsite stack, <c>&lt;org&gt;/boma/offsite</c>.</summary>
    public required string StackName { get; init; }

    /// <summary>The offsite output holding the map role → setup key (<c>boma:mesh.setupKeyOutput</c>).</summary>
    public required string SetupKeyOutput { get; init; }

    /// <summary>Each role the cluster's VMs use, with the first config key that names it (<c>boma:vms[2].role</c>) and its VMs.</summary>
    public required IReadOnlyList<ClusterRoleUse> Roles { get; init; }
}

/// <summary>
/// What the cluster reads from the offsite stack: the per-role setup keys, the NetBird management URL and askari's
/// public IPv4 (pinned in /etc/hosts like on askari itself). Every output is required: a missing one, or a role of a VM
/// without a key, fails the update with the stack, output and config key named; no VM is registered then (each VM waits
/// for <see cref="Checked"/>). The keys are kept secret even if the offsite stack forgot to mark them.
/// </summary>
internal sealed class ClusterOffsiteReference : ComponentResource
{
    public const string TypeToken = "boma:cluster:OffsiteReference";

    /// <summary>Offsite output names (the runbook contract's names).</summary>
    public const string ManagementUrlOutput = "managementUrl";

    public const string CoordinatorIpv4Output = "askariIpv4";

    /// <summary>The offsite output holding role → setup key (secret map), unless <c>boma:mesh.setupKeyOutput</c> names another.</summary>
    public const string DefaultSetupKeyOutput = "clusterSetupKeys";

    /// <summary>The cluster's common key (group <c>cluster</c> only), still exported for cluster stacks deployed before per-role keys.</summary>
    public const string CommonSetupKeyOutput = "serversSetupKey";

    /// <summary>Every offsite output the cluster requires by default (the contract the offsite stack must export).</summary>
    public static readonly IReadOnlyList<string> RequiredOutputs = [DefaultSetupKeyOutput, ManagementUrlOutput, CoordinatorIpv4Output];

    /// <summary>The required outputs the offsite stack must export as secrets.</summary>
    public static readonly IReadOnlyList<string> SecretOutputs = [DefaultSetupKeyOutput];

    private readonly Output<ImmutableDictionary<string, string>> _roleKeys;

    public ClusterOffsiteReference(string name, ClusterOffsiteReferenceArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        Reference = new StackReference($"{name}-stack", new StackReferenceArgs { Name = args.StackName },
            new CustomResourceOptions { Parent = this });

        _roleKeys = Reference.RequireOutput(args.SetupKeyOutput).Apply(value => Output.CreateSecret(RoleKeys(args, value)));
        ManagementUrl = RequireString(args, ManagementUrlOutput);
        CoordinatorIpv4 = RequireString(args, CoordinatorIpv4Output);
        // Plain (no key in it) so a VM can wait for it without its inputs turning secret.
        Checked = Output.Unsecret(_roleKeys.Apply(keys => keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        RegisterOutputs();
    }

    public StackReference Reference { get; }

    [Output("managementUrl")]
    public Output<string> ManagementUrl { get; private set; }

    [Output("coordinatorIpv4")]
    public Output<string> CoordinatorIpv4 { get; private set; }

    /// <summary>Resolves once every role the cluster uses has its key (fails with the fix otherwise); holds no secret.</summary>
    public Output<string> Checked { get; }

    /// <summary>The setup key of one role the cluster uses (secret).</summary>
    public Output<string> SetupKeyFor(string role) => _roleKeys.Apply(keys => Output.CreateSecret(keys[role]));

    /// <summary>
    /// The map role → key for exactly the roles the cluster uses; every role without a non-empty key is listed in one error,
    /// with the VMs and config key that use it and the offsite config that issues it.
    /// </summary>
    private ImmutableDictionary<string, string> RoleKeys(ClusterOffsiteReferenceArgs args, object? value)
    {
        if (value is not IDictionary map)
        {
            throw new ResourceException(
                $"output '{args.SetupKeyOutput}' of stack '{args.StackName}' is {(value is null ? "empty" : $"a {value.GetType().Name}")}, not a map of role to setup key: " +
                $"run `pulumi up -s offsite` so it exports {DefaultSetupKeyOutput} (one key per boma:netbird.clusterRoles), and set boma:mesh.setupKeyOutput to it " +
                $"(`{Boma.Infra.Config.ConfigFix.Set("cluster", "mesh.setupKeyOutput", DefaultSetupKeyOutput)}`)", this);
        }

        var keys = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var missing = new List<ClusterRoleUse>();
        foreach (var use in args.Roles)
        {
            if (map.Contains(use.Role) && map[use.Role] is string { Length: > 0 } key)
            {
                keys[use.Role] = key;
            }
            else
            {
                missing.Add(use);
            }
        }

        if (missing.Count > 0)
        {
            // Never a value in the message: only role names, which are config. The fix lists the roles the offsite stack has and
            // the missing ones, index by index: that works whether boma:netbird.clusterRoles is set there or still its default.
            var offered = map.Keys.Cast<object>().Select(k => $"{k}").Order(StringComparer.Ordinal).ToList();
            var fix = string.Join(" && ", offered.Concat(missing.Select(m => m.Role))
                .Select((role, i) => Boma.Infra.Config.ConfigFix.Set("offsite", $"netbird.clusterRoles[{i}]", role)));
            throw new ResourceException(
                $"output '{args.SetupKeyOutput}' of stack '{args.StackName}' has no setup key for " +
                string.Join("; ", missing.Select(m => $"role '{m.Role}' ({m.ConfigKey}: {string.Join(", ", m.Vms)})")) +
                $" (it has keys for: {(offered.Count == 0 ? "none" : string.Join(", ", offered))}). Fix: add the role to the offsite stack's boma:netbird.clusterRoles " +
                $"(`{fix}`) and run `pulumi up -s offsite`, or give the VM a role that has a key", this);
        }

        return keys.ToImmutable();
    }

    private Output<string> RequireString(ClusterOffsiteReferenceArgs args, string output) =>
        Reference.RequireOutput(output).Apply(value => value is string { Length: > 0 } text
            ? text
            : throw new ResourceException(
                $"output '{output}' of stack '{args.StackName}' is {(value is null ? "empty" : $"a {value.GetType().Name}, not a string")}: " +
                $"run `pulumi up -s offsite` so it exports {output}, or point boma:mesh.offsiteStack at the right stack", this));
}
