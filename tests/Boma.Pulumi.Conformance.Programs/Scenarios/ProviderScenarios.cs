using Boma.Pulumi;
using Boma.Pulumi.Command.Remote;
using Boma.Pulumi.Command.Remote.Inputs;
using Boma.Pulumi.HCloud.Inputs;
using Boma.Pulumi.Random;
using Hc = Boma.Pulumi.HCloud;
using LocalCommand = Boma.Pulumi.Command.Local.Command;
using LocalCommandArgs = Boma.Pulumi.Command.Local.CommandArgs;
using RemoteCommand = Boma.Pulumi.Command.Remote.Command;
using RemoteCommandArgs = Boma.Pulumi.Command.Remote.CommandArgs;

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

    public static Task<int> CommandCommands() => Deployment.RunAsync(() =>
    {
        new LocalCommand("render", new LocalCommandArgs
        {
            Create = "echo render",
            Triggers = new object[] { "v1", 2 },
            Logging = Boma.Pulumi.Command.Local.Logging.None,
            Environment = new Dictionary<string, string> { ["STAGE"] = "test" },
        });
        new RemoteCommand("uptime", new RemoteCommandArgs
        {
            Connection = new ConnectionArgs
            {
                Host = "203.0.113.10",
                User = "admin",
                Password = "fake-password",
                DialErrorLimit = -1,
                Proxy = new ProxyConnectionArgs { Host = "198.51.100.7", PrivateKey = "fake-proxy-key" },
            },
            Create = "uptime",
            Delete = "true",
            Triggers = new object[] { "a" },
        });
        return NoOutputs;
    });

    public static Task<int> Random() => Deployment.RunAsync(() =>
    {
        new RandomPassword("db", new RandomPasswordArgs { Length = 24, Special = false, Keepers = new Dictionary<string, string> { ["rotation"] = "1" } });
        new RandomString("suffix", new RandomStringArgs { Length = 6, Upper = false, Special = false });
        new RandomId("id", new RandomIdArgs { ByteLength = 8, Prefix = "boma-" });
        return NoOutputs;
    });

    public static Task<int> HCloudServerFirewall() => Deployment.RunAsync(() =>
    {
        var provider = new Hc.Provider("hetzner", new Hc.ProviderArgs { Token = Output.CreateSecret("fake-hcloud-token"), PollInterval = "1s" });
        var key = new Hc.SshKey("admin", new Hc.SshKeyArgs { Name = "admin", PublicKey = "ssh-ed25519 AAAAfake admin" }, new CustomResourceOptions { Provider = provider });
        string[] anywhere = ["0.0.0.0/0", "::/0"];
        new Hc.Firewall(
            "askari",
            new Hc.FirewallArgs
            {
                Name = "askari",
                Rules = new[]
                {
                    new FirewallRuleArgs { Direction = "in", Protocol = "tcp", Port = "22", SourceIps = anywhere, Description = "ssh" },
                    new FirewallRuleArgs { Direction = "in", Protocol = "icmp", SourceIps = anywhere },
                },
                Labels = new Dictionary<string, string> { ["role"] = "coordinator" },
            },
            new CustomResourceOptions { Provider = provider });
        new Hc.Server(
            "askari",
            new Hc.ServerArgs
            {
                Name = "askari",
                ServerType = "cx22",
                Image = "debian-12",
                Location = "fsn1",
                SshKeys = new[] { key.Id },
                FirewallIds = new[] { 4711 },
                PublicNets = new[] { new ServerPublicNetArgs { Ipv4Enabled = true, Ipv6Enabled = true } },
                Labels = new Dictionary<string, string> { ["role"] = "coordinator" },
            },
            new CustomResourceOptions { Provider = provider });
        return NoOutputs;
    });
}
