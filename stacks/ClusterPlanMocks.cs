using Boma.Infra.Components;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Stacks;

/// <summary>
/// Mocks for the offline `plan cluster`: like the SDK's <see cref="EchoMocks"/> (outputs = inputs), except that
/// the reference to the offsite stack, which has no engine to read it from offline, answers with placeholders.
/// Each placeholder is recognisable (the URL's host and the key say "placeholder"; the address is from the
/// documentation range 192.0.2.0/24) and valid for the templates it flows into, so the plan renders everything.
/// </summary>
internal sealed class ClusterPlanMocks(string setupKeyOutput, IReadOnlyList<string> roles) : IMocks
{
    public string SetupKeyOutput => setupKeyOutput;

    /// <summary>The roles the placeholder map holds a key for: the offsite defaults and every role of the stack file's VMs.</summary>
    public IReadOnlyList<string> Roles => roles;

    public const string SetupKeyPlaceholder = "OFFLINE-PLAN-PLACEHOLDER-SETUP-KEY";

    public const string ManagementUrlPlaceholder = "https://netbird.offsite-placeholder.invalid";

    public const string CoordinatorIpv4Placeholder = "192.0.2.1";

    private readonly EchoMocks _echo = new();

    /// <summary>Mocks for the plan of a stack file's config (its <c>boma:mesh.setupKeyOutput</c>, or the default, and its VMs' roles).</summary>
    public static ClusterPlanMocks For(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var output = Config.ClusterConfigLoader.DefaultSetupKeyOutput;
        var roles = FirewallPolicy.DefaultClusterRoles.ToList();
        if (config.TryGetValue("boma:vms", out var vms))
        {
            try
            {
                if (System.Text.Json.Nodes.JsonNode.Parse(vms) is System.Text.Json.Nodes.JsonArray list)
                {
                    roles.AddRange(list.Select(vm => vm?["role"] is System.Text.Json.Nodes.JsonValue r && r.TryGetValue<string>(out var role) ? role : null)
                        .OfType<string>().Where(role => !roles.Contains(role)).Distinct(StringComparer.Ordinal));
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // As below: the loader reports a malformed list with its key.
            }
        }

        if (config.TryGetValue("boma:mesh", out var mesh))
        {
            try
            {
                if (System.Text.Json.Nodes.JsonNode.Parse(mesh)?["setupKeyOutput"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var name))
                {
                    output = name;
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // A malformed block is reported by the config loader with its key; the plan then stops there.
            }
        }

        return new ClusterPlanMocks(output, roles);
    }

    public Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Type != "pulumi:pulumi:StackReference")
        {
            return _echo.NewResourceAsync(args);
        }

        var name = args.Inputs.TryGetValue("name", out var n) ? n as string : null;
        var state = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["outputs"] = new Dictionary<string, object?>
            {
                [setupKeyOutput] = roles.ToDictionary(role => role, object? (role) => $"{SetupKeyPlaceholder}-{role.ToUpperInvariant()}", StringComparer.Ordinal),
                [ClusterOffsiteReference.ManagementUrlOutput] = ManagementUrlPlaceholder,
                [ClusterOffsiteReference.CoordinatorIpv4Output] = CoordinatorIpv4Placeholder,
            },
            ["secretOutputNames"] = new List<object?> { setupKeyOutput },
        };
        return Task.FromResult<(string?, object)>((name, state));
    }

    public Task<object> CallAsync(MockCallArgs args) => _echo.CallAsync(args);

    private static string PlaceholderMap(IEnumerable<string> roles) =>
        "{ " + string.Join(", ", roles.Select(role => $"{role}: {SetupKeyPlaceholder}-{role.ToUpperInvariant()}")) + " }";

    /// <summary>The note the plan prints under its summary, so nobody mistakes a placeholder for a real offsite value.</summary>
    public static string Describe(ClusterPlanMocks mocks)
    {
        ArgumentNullException.ThrowIfNull(mocks);
        return $"""

            Offsite stack placeholders (the offline plan cannot read the offsite stack; `pulumi preview -s cluster` reads the real outputs):
                {mocks.SetupKeyOutput} = {PlaceholderMap(mocks.Roles)} [secret]
                {ClusterOffsiteReference.ManagementUrlOutput} = {ManagementUrlPlaceholder}
                {ClusterOffsiteReference.CoordinatorIpv4Output} = {CoordinatorIpv4Placeholder}

            """;
    }
}
