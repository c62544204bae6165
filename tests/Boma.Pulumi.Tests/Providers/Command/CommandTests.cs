namespace Boma.Pulumi.Tests.Providers.Command;

using NUnit.Framework;
using Boma.Pulumi.Command.Remote;
using Boma.Pulumi.Command.Remote.Inputs;
using LocalCommand = Boma.Pulumi.Command.Local.Command;
using LocalCommandArgs = Boma.Pulumi.Command.Local.CommandArgs;
using RemoteCommand = Boma.Pulumi.Command.Remote.Command;
using RemoteCommandArgs = Boma.Pulumi.Command.Remote.CommandArgs;

[TestFixture]
public sealed class CommandTests : PackageTests
{
    private static readonly string[] TriggersPath = ["triggers[*]"];
    private static readonly string[] ConnectionOutput = ["connection"];

    private const string AssetSig = "c44067f5952c0a294b673a41bacd8c17";
    private const string ArchiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";

    public CommandTests()
        : base("command", LocalCommand.TypeToken, RemoteCommand.TypeToken, CopyToRemote.TypeToken)
    {
    }

    [Test]
    public async Task Triggers_replace_the_resource_like_the_generated_sdks()
    {
        var result = await ProviderRun.RunAsync(() =>
        {
            _ = new LocalCommand("local", new LocalCommandArgs { Create = "true", Triggers = new object[] { "v1" } });
            _ = new RemoteCommand("remote", new RemoteCommandArgs { Connection = Samples.Connection(), Create = "true" });
            _ = new CopyToRemote("copy", new CopyToRemoteArgs { Connection = Samples.Connection(), Source = new StringAsset("x"), RemotePath = "/tmp/x" });
        });

        Assert.Multiple(() =>
        {
            foreach (var token in new[] { LocalCommand.TypeToken, RemoteCommand.TypeToken, CopyToRemote.TypeToken })
            {
                Assert.That(ProviderRun.Registration(result, token).Request.ReplaceOnChanges, Is.EqualTo(TriggersPath), token);
            }
        });
    }

    [Test]
    public async Task The_connection_is_sent_as_one_secret_with_the_sdk_defaults_applied()
    {
        var result = await ProviderRun.RunAsync(() => _ = new RemoteCommand("uptime", new RemoteCommandArgs
        {
            Connection = new ConnectionArgs { Host = "203.0.113.10", PrivateKey = Samples.SshPrivateKey, Proxy = new ProxyConnectionArgs { Host = "bastion" } },
            Create = "uptime",
        }));

        var registration = ProviderRun.Registration(result, RemoteCommand.TypeToken);
        var connection = registration.Inputs["connection"];
        Assert.That(ProviderRun.IsSecret(connection), Is.True, "connection must be a secret as a whole");
        var inner = ProviderRun.Unwrap(connection)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(inner["host"]!.GetValue<string>(), Is.EqualTo("203.0.113.10"));
            Assert.That(inner["user"]!.GetValue<string>(), Is.EqualTo("root"));
            Assert.That(inner["port"]!.GetValue<double>(), Is.EqualTo(22));
            Assert.That(inner["dialErrorLimit"]!.GetValue<double>(), Is.EqualTo(10));
            Assert.That(inner["perDialTimeout"]!.GetValue<double>(), Is.EqualTo(15));
            var proxy = ProviderRun.Unwrap(inner["proxy"])!.AsObject();
            Assert.That(proxy["user"]!.GetValue<string>(), Is.EqualTo("root"));
            Assert.That(proxy["port"]!.GetValue<double>(), Is.EqualTo(22));
            Assert.That(registration.Request.AdditionalSecretOutputs, Is.EqualTo(ConnectionOutput));
        });
    }

    [Test]
    public async Task A_string_asset_source_is_sent_as_an_asset_with_its_text()
    {
        var result = await ProviderRun.RunAsync(() => _ = new CopyToRemote("motd", new CopyToRemoteArgs
        {
            Connection = Samples.Connection(),
            Source = new StringAsset("hello\n"),
            RemotePath = "/etc/motd",
        }));

        var source = ProviderRun.Registration(result, CopyToRemote.TypeToken).Inputs["source"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(source[ProviderRun.SigKey]!.GetValue<string>(), Is.EqualTo(AssetSig));
            Assert.That(source["text"]!.GetValue<string>(), Is.EqualTo("hello\n"));
            Assert.That(source.ContainsKey("path"), Is.False);
        });
    }

    [Test]
    public async Task A_file_archive_source_is_sent_as_an_archive_with_its_path()
    {
        var result = await ProviderRun.RunAsync(() => _ = new CopyToRemote("bundle", new CopyToRemoteArgs
        {
            Connection = Samples.Connection(),
            Source = new FileArchive("./bundle"),
            RemotePath = "/opt/bundle",
        }));

        var source = ProviderRun.Registration(result, CopyToRemote.TypeToken).Inputs["source"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(source[ProviderRun.SigKey]!.GetValue<string>(), Is.EqualTo(ArchiveSig));
            Assert.That(source["path"]!.GetValue<string>(), Is.EqualTo("./bundle"));
        });
    }

    [Test]
    public async Task A_remote_asset_source_is_refused_before_anything_is_registered()
    {
        var (error, result) = await ProviderRun.FailureOfAsync(() => _ = new CopyToRemote("remote", new CopyToRemoteArgs
        {
            Connection = Samples.Connection(),
            Source = new RemoteAsset("https://example.org/x"),
            RemotePath = "/tmp/x",
        }));

        Assert.That(error, Is.InstanceOf<ResourceException>());
        Assert.That(error!.Message, Does.Contain(CopyToRemote.TypeToken).And.Contain("source: a RemoteAsset cannot be copied").And.Contain("Fix: use a FileAsset, a StringAsset or a FileArchive"));
        Assert.That(result?.Registrations.Any(r => r.Request.Type == CopyToRemote.TypeToken) ?? false, Is.False);
    }

    [Test]
    public async Task A_logging_mode_is_an_enum_that_travels_as_its_schema_string()
    {
        // Typed as the generated SDKs type it (an [EnumType] struct), so an unknown mode does not compile.
        var result = await ProviderRun.RunAsync(() =>
        {
            _ = new LocalCommand("quiet", new LocalCommandArgs { Create = "true", Logging = Boma.Pulumi.Command.Local.Logging.None });
            _ = new RemoteCommand("both", new RemoteCommandArgs { Connection = Samples.Connection(), Create = "true", Logging = Logging.StdoutAndStderr });
        });

        Assert.Multiple(() =>
        {
            Assert.That(ProviderRun.Registration(result, LocalCommand.TypeToken).Inputs["logging"]!.GetValue<string>(), Is.EqualTo("none"));
            Assert.That(ProviderRun.Registration(result, RemoteCommand.TypeToken).Inputs["logging"]!.GetValue<string>(), Is.EqualTo("stdoutAndStderr"));
        });
    }

    [Test]
    public async Task A_bad_connection_port_is_refused_with_its_path()
    {
        var connection = Samples.Connection();
        connection.Port = 70000;

        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new RemoteCommand("c", new RemoteCommandArgs { Connection = connection, Create = "true" }));

        Assert.That(error?.Message, Does.Contain(RemoteCommand.TypeToken).And.Contain("port: 70000 is not a TCP port").And.Contain("Fix: set Port between 1 and 65535"));
    }

    [Test]
    public async Task Secret_connection_fields_travel_only_inside_the_secret_connection()
    {
        var result = await ProviderRun.RunAsync(() => _ = new RemoteCommand("c", (RemoteCommandArgs)Samples.ArgsFor(RemoteCommand.TypeToken)));

        var connection = ProviderRun.Registration(result, RemoteCommand.TypeToken).Inputs["connection"]!;
        // The whole object is one secret; its fields are plain inside it, exactly as @pulumi/command sends them.
        Assert.That(ProviderRun.IsSecret(connection), Is.True);
        var inner = ProviderRun.Unwrap(connection)!;
        Assert.That(inner["privateKey"]!.GetValue<string>(), Is.EqualTo(Samples.SshPrivateKey));
        Assert.That(inner["password"]!.GetValue<string>(), Is.EqualTo("ssh-password-sample"));
    }
}
