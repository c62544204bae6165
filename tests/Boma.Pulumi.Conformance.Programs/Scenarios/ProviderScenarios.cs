using Boma.Pulumi;
using Boma.Pulumi.Command.Remote;
using Boma.Pulumi.Command.Remote.Inputs;

namespace Boma.Pulumi.Conformance.Programs.Scenarios;

/// <summary>Typed provider resources (sdk/Boma.Pulumi.Providers) against the official generated Node SDKs.</summary>
internal static class ProviderScenarios
{
    private static readonly Dictionary<string, object?> NoOutputs = [];

    public static Task<int> CommandCopyToRemote() => Deployment.RunAsync(() =>
    {
        var connection = new ConnectionArgs { Host = "203.0.113.10", PrivateKey = "fake-private-key" };
        new CopyToRemote("motd", new CopyToRemoteArgs
        {
            Connection = connection,
            Source = new StringAsset("hello from boma\n"),
            RemotePath = "/etc/motd",
        });
        new CopyToRemote("bundle", new CopyToRemoteArgs
        {
            Connection = connection,
            Source = new FileArchive("./bundle"),
            RemotePath = "/opt/bundle",
            Triggers = new object[] { "v1" },
        });
        return NoOutputs;
    });
}
