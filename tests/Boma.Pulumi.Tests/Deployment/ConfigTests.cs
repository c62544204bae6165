using Boma.Pulumi.Testing;
using NUnit.Framework;
using Pulumirpc;

namespace Boma.Pulumi.Tests.Deployment;

using Deployment = Boma.Pulumi.Deployment;

[TestFixture]
public sealed class ConfigTests
{
    private sealed record Peer(string Name, int Port);

    private static TestOptions Options() => new()
    {
        ProjectName = "boma",
        Config = new Dictionary<string, string>
        {
            ["boma:domain"] = "example.org",
            ["boma:config:legacyKey"] = "legacy",
            ["boma:count"] = "3",
            ["boma:enabled"] = "true",
            ["boma:bad"] = "three",
            ["boma:peer"] = "{\"name\":\"askari\",\"port\":51820}",
            ["boma:password"] = "hunter2",
            ["hcloud:token"] = "tok",
        },
        SecretKeys = ["boma:password", "hcloud:token"],
    };

    private static async Task<(TestResult Result, T Value)> WithConfigAsync<T>(Func<T> read)
    {
        T value = default!;
        var result = await Deployment.TestAsync(new EchoMocks(), () => { value = read(); }, Options());
        return (result, value);
    }

    [Test]
    public async Task Reads_values_in_the_project_namespace_and_legacy_keys()
    {
        var (_, values) = await WithConfigAsync(() =>
        {
            var c = new Config();
            return (c.Get("domain"), c.Get("legacyKey"), c.RequireInt32("count"), c.RequireBoolean("enabled"), c.RequireObject<Peer>("peer"), c.Get("nope"));
        });
        Assert.That(values, Is.EqualTo(("example.org", "legacy", 3, true, new Peer("askari", 51820), (string?)null)));
    }

    [Test]
    public async Task Secrets_come_back_as_secret_outputs_and_plain_reads_do_not_warn_as_in_the_official_sdk()
    {
        var (result, secret) = await WithConfigAsync(() =>
        {
            var c = new Config();
            _ = c.Get("password");
            return c.RequireSecret("password");
        });
        Assert.Multiple(async () =>
        {
            Assert.That(await secret.GetValueAsync(), Is.EqualTo("hunter2"));
            Assert.That(await Output.IsSecretAsync(secret), Is.True);
            // The official SDK has this warning disabled (pulumi/pulumi#7127); Boma.Pulumi follows it.
            Assert.That(result.Logs.Where(l => l.Severity == LogSeverity.Warning), Is.Empty);
            Assert.That(result.Logs.Select(l => l.Message), Has.None.Contains("hunter2"));
        });
    }

    [Test]
    public async Task Missing_required_key_names_the_full_key_and_the_command()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () => { _ = new Config().Require("region"); }, Options());
        var secretResult = await Deployment.TestAsync(new EchoMocks(), () => { _ = new Config("hcloud").RequireSecret("other"); }, Options());
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception, Is.TypeOf<ConfigException>());
            Assert.That(result.Exception!.Message, Does.Contain("'boma:region'"));
            Assert.That(result.Exception.Message, Does.Contain("pulumi config set boma:region <value>"));
            Assert.That(result.Logs.Single(l => l.Severity == LogSeverity.Error).Message, Does.Contain("boma:region"));
            Assert.That(secretResult.Exception!.Message, Does.Contain("pulumi config set hcloud:other <value> --secret"));
        });
    }

    [Test]
    public async Task Malformed_values_name_the_key_and_never_show_secrets()
    {
        var bad = await Deployment.TestAsync(new EchoMocks(), () => { _ = new Config().RequireInt32("bad"); }, Options());
        var badSecret = await Deployment.TestAsync(new EchoMocks(), () => { _ = new Config().GetInt32("password"); }, Options());
        Assert.Multiple(() =>
        {
            Assert.That(bad.Exception!.Message, Does.Contain("'boma:bad' must be an integer"));
            Assert.That(bad.Exception.Message, Does.Contain("'three'"));
            Assert.That(badSecret.Exception!.Message, Does.Contain("[secret]"));
            Assert.That(badSecret.Exception.Message, Does.Not.Contain("hunter2"));
        });
    }

    [Test]
    public void Handshake_reads_the_engine_environment_and_fails_clearly_without_it()
    {
        var env = new Dictionary<string, string>
        {
            ["PULUMI_MONITOR"] = "127.0.0.1:1",
            ["PULUMI_ENGINE"] = "127.0.0.1:2",
            ["PULUMI_PROJECT"] = "boma",
            ["PULUMI_STACK"] = "offsite",
            ["PULUMI_DRY_RUN"] = "true",
            ["PULUMI_PARALLEL"] = "16",
            ["PULUMI_CONFIG"] = "{\"boma:config:a\":\"1\",\"boma:b\":\"2\"}",
            ["PULUMI_CONFIG_SECRET_KEYS"] = "[\"boma:b\"]",
        };
        var (settings, monitor, engine) = EngineHandshake.FromEnvironment(k => env.GetValueOrDefault(k));
        Assert.Multiple(() =>
        {
            Assert.That((monitor, engine), Is.EqualTo(("127.0.0.1:1", "127.0.0.1:2")));
            Assert.That(settings.Organization, Is.EqualTo("organization"));
            Assert.That(settings.DryRun, Is.True);
            Assert.That(settings.Parallel, Is.EqualTo(16));
            Assert.That(settings.Config["boma:a"], Is.EqualTo("1"));
            Assert.That(settings.ConfigSecretKeys, Does.Contain("boma:b"));
        });

        env.Remove("PULUMI_MONITOR");
        env.Remove("PULUMI_CONFIG");
        var error = Assert.Throws<InvalidOperationException>(() => EngineHandshake.FromEnvironment(k => env.GetValueOrDefault(k)));
        Assert.That(error!.Message, Does.Contain("without the Pulumi engine"));
        Assert.That(error.Message, Does.Contain("PULUMI_MONITOR"));
    }

    [Test]
    public async Task RunAsync_without_the_engine_returns_1()
    {
        Assert.That(await Deployment.RunWithEngineAsync(() => Task.FromResult<IDictionary<string, object?>?>(null), false, _ => null), Is.EqualTo(1));
    }
}
