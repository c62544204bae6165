using Boma.Infra.Tests.Components;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

/// <summary>
/// The component mocks plus an offsite stack to reference: its outputs are given per test (so a test can leave
/// one out), and the setup key is listed as a secret output the way the engine reports it.
/// </summary>
internal sealed class ClusterMocks(IReadOnlyDictionary<string, object?>? offsiteOutputs = null, bool markSetupKeySecret = true) : IMocks
{
    public const string SetupKey = "0F1E2D3C-4B5A-4697-8877-665544332211";
    public const string ManagementUrl = "https://netbird.askari.example.net";
    public const string AskariIpv4 = "198.51.100.23";

    private readonly CloudMocks _cloud = new();

    public static Dictionary<string, object?> OffsiteOutputs() => new()
    {
        ["serversSetupKey"] = SetupKey,
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
            ["secretOutputNames"] = markSetupKeySecret ? new List<object?> { "serversSetupKey" } : new List<object?>(),
        };
        return Task.FromResult<(string?, object)>((name, state));
    }

    public Task<object> CallAsync(MockCallArgs args) => _cloud.CallAsync(args);
}
