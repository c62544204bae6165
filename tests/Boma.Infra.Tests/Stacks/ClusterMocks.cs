using Boma.Infra.Tests.Components;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

/// <summary>
/// The component mocks plus an offsite stack to reference: its outputs are given per test (so a test can leave
/// one out), and the setup keys are listed as secret outputs the way the engine reports them.
/// </summary>
internal sealed class ClusterMocks(IReadOnlyDictionary<string, object?>? offsiteOutputs = null, bool markSetupKeySecret = true) : IMocks
{
    /// <summary>The storage role's key (ghala's); every role has its own.</summary>
    public const string SetupKey = "0F1E2D3C-4B5A-4697-8877-665544332211";

    /// <summary>The offsite stack's role → key map (clusterSetupKeys), one distinct key per role of the stack file.</summary>
    public static readonly IReadOnlyDictionary<string, string> RoleKeys = new Dictionary<string, string>
    {
        ["dns"] = "0F1E2D3C-4B5A-4697-8877-665544330053",
        ["docker"] = "0F1E2D3C-4B5A-4697-8877-665544330002",
        ["storage"] = SetupKey,
    };
    public const string ManagementUrl = "https://netbird.askari.example.net";
    public const string AskariIpv4 = "198.51.100.23";

    private readonly CloudMocks _cloud = new();

    public static Dictionary<string, object?> OffsiteOutputs() => new()
    {
        ["clusterSetupKeys"] = RoleKeys.ToDictionary(k => k.Key, object? (k) => k.Value),
        // The common key an older cluster stack read; the cluster must never take it.
        ["serversSetupKey"] = "0F1E2D3C-4B5A-4697-8877-66554433C0DE",
        ["managementUrl"] = ManagementUrl,
        ["askariIpv4"] = AskariIpv4,
    };

    /// <summary>The names the program read stacks by, in order.</summary>
    public List<string> ReferencedStacks { get; } = [];

    public Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Type != "pulumi:pulumi:StackReference")
        {
            return _cloud.NewResourceAsync(args);
        }

        var name = (string)args.Inputs["name"]!;
        ReferencedStacks.Add(name);
        var state = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["outputs"] = new Dictionary<string, object?>(offsiteOutputs ?? OffsiteOutputs()),
            ["secretOutputNames"] = markSetupKeySecret ? new List<object?> { "clusterSetupKeys", "serversSetupKey" } : new List<object?>(),
        };
        return Task.FromResult<(string?, object)>((name, state));
    }

    public Task<object> CallAsync(MockCallArgs args) => _cloud.CallAsync(args);
}
