using System.Runtime.Versioning;
using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>NetBird's deploy script: secrets only from the environment, into a 0600 config.yaml, never printed.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class NetbirdDeployTests
{
    private const string Config = "/srv/boma/netbird/config/config.yaml";

    [Test]
    public void Rendered_template_has_secret_markers_and_no_secret()
    {
        var text = HostTemplates.Render("netbird/config.yaml.tmpl", HostSamples.NetbirdConfig);
        var yaml = ComposeTests.ToJson(text)!["server"]!;
        Assert.That(yaml["authSecret"]!.GetValue<string>(), Is.EqualTo("@@NB_AUTH_SECRET@@"));
        Assert.That(yaml["store"]!["encryptionKey"]!.GetValue<string>(), Is.EqualTo("@@NB_STORE_ENCRYPTION_KEY@@"));
        Assert.That(yaml["exposedAddress"]!.GetValue<string>(), Is.EqualTo("https://netbird.askari.example.org:443"));
        Assert.That(yaml["listenAddress"]!.GetValue<string>(), Is.EqualTo(":80"));
        Assert.That(yaml["dataDir"]!.GetValue<string>(), Is.EqualTo("/var/lib/netbird"));
        Assert.That(yaml["auth"]!["issuer"]!.GetValue<string>(), Is.EqualTo("https://netbird.askari.example.org/oauth2"));
        Assert.That(yaml["stunPorts"]![0]!.GetValue<long>(), Is.EqualTo(3478));
    }

    [Test]
    public void Deploy_fills_the_secrets_into_a_private_file_and_never_prints_them()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("netbird/deploy.sh.tmpl", HostSamples.NetbirdDeploy);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());

        var path = Path.Combine(box.Root, Config.TrimStart('/'));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var server = ComposeTests.ToJson(File.ReadAllText(path))!["server"]!;
        Assert.That(server["authSecret"]!.GetValue<string>(), Is.EqualTo(HostSamples.AuthSecret));
        Assert.That(server["store"]!["encryptionKey"]!.GetValue<string>(), Is.EqualTo(HostSamples.StoreKey));
        Assert.That(File.ReadAllText(path), Does.Not.Contain("@@NB_"));

        foreach (var secret in new[] { HostSamples.AuthSecret, HostSamples.StoreKey })
        {
            Assert.That(run.Result.Stdout + run.Result.Stderr, Does.Not.Contain(secret));
            Assert.That(run.Calls, Has.None.Contains(secret));
            Assert.That(File.ReadAllText(Path.Combine(box.Root, "srv/boma/netbird/compose.yaml")), Does.Not.Contain(secret));
        }
    }

    [Test]
    public void Secrets_can_arrive_on_stdin_ahead_of_the_script_as_through_sudo_bash_s()
    {
        using var box = new ScriptSandbox();
        var stdin = HostTemplates.ExportPreamble(HostSamples.EnvironmentFor("netbird/deploy.sh.tmpl"))
            + HostTemplates.Render("netbird/deploy.sh.tmpl", HostSamples.NetbirdDeploy);
        var env = new Dictionary<string, string> { ["BOMA_ROOT"] = box.Root, ["BOMA_STUB_BIN"] = box.StubBin, ["BOMA_STUB_STATE"] = box.State };
        var run = HostTool.Run(HostTool.Require("bash", "bash"), ["-s"], env, stdin);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Does.EndWith("summary: 3 changed\n"));
        Assert.That(box.ReadFile(Config), Does.Contain(HostSamples.StoreKey));
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(HostSamples.StoreKey).And.Not.Contain(HostSamples.AuthSecret));
    }

    [Test]
    public void A_changed_secret_restarts_only_the_server()
    {
        using var box = new ScriptSandbox();
        Assert.That(box.Run("netbird/deploy.sh.tmpl", HostSamples.NetbirdDeploy).Result.ExitCode, Is.Zero);
        var rotated = new Dictionary<string, string>
        {
            ["NB_AUTH_SECRET"] = "Xy7" + HostSamples.AuthSecret[3..],
            ["NB_STORE_ENCRYPTION_KEY"] = HostSamples.StoreKey,
        };
        var run = box.Run("netbird/deploy.sh.tmpl", HostSamples.NetbirdDeploy, environment: rotated);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Changed, Is.EqualTo(new[] { $"changed: {Config}", "changed: netbird-server restarted for the new config.yaml", }), run.ToString());
        Assert.That(run.Calls, Has.None.Contains(" up "));
    }

    [TestCase("NB_AUTH_SECRET", "", "NB_AUTH_SECRET is not set")]
    [TestCase("NB_STORE_ENCRYPTION_KEY", "", "NB_STORE_ENCRYPTION_KEY is not set")]
    [TestCase("NB_STORE_ENCRYPTION_KEY", "tooshort=", "NB_STORE_ENCRYPTION_KEY has the wrong form")]
    [TestCase("NB_AUTH_SECRET", "has spaces and & in it, long enough to pass length", "NB_AUTH_SECRET has the wrong form")]
    public void Missing_or_malformed_secrets_stop_the_deploy_before_any_change(string name, string value, string error)
    {
        using var box = new ScriptSandbox();
        var env = new Dictionary<string, string>(HostSamples.EnvironmentFor("netbird/deploy.sh.tmpl")) { [name] = value };
        var run = box.Run("netbird/deploy.sh.tmpl", HostSamples.NetbirdDeploy, environment: env);
        Assert.That(run.Result.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(run.Result.Stderr, Does.Contain(error));
        Assert.That(Directory.Exists(Path.Combine(box.Root, "srv")), Is.False);
        if (value.Length > 0)
        {
            Assert.That(run.Result.Stdout + run.Result.Stderr, Does.Not.Contain(value));
        }
    }
}
