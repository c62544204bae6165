using System.Security.Cryptography;
using System.Text;
using Boma.Infra.Hosts;
using YamlDotNet.RepresentationModel;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>hosts/netbird/render-config.sh: NetBird's config.yaml is rendered on the host, secrets from stdin only.</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RenderConfigTests
{
    private const string AuthSecret = "relayAuthSecretMarker0123456789abcdefABCDEF";
    private const string StoreKey = "c3RvcmVLZXlNYXJrZXIwMTIzNDU2Nzg5YWJjZGVmMDE=";
    private const string CookieKey = "Y29va2llS2V5TWFya2VyMDEyMzQ1Njc4OWFiY2RlZjA=";

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("boma-nbcfg-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private async Task<Tools.Result> Render(string stdin)
    {
        var template = Path.Combine(_dir, "config.yaml.tmpl");
        await File.WriteAllTextAsync(template, HostTemplates.Render("netbird/config.yaml.tmpl", new Dictionary<string, string>
        {
            ["netbird_fqdn"] = "netbird.askari.example.org",
            ["trusted_proxies"] = "172.30.0.0/24",
        }));
        return await Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("hosts", "netbird", "render-config.sh"), template, Path.Combine(_dir, "out", "config.yaml")], stdin);
    }

    private static string Secrets(string? without = null) => string.Concat(
        new[] { ("NB_AUTH_SECRET", AuthSecret), ("NB_STORE_ENCRYPTION_KEY", StoreKey), ("NB_SESSION_COOKIE_KEY", CookieKey) }
            .Where(p => p.Item1 != without).Select(p => $"{p.Item1}={p.Item2}\n"));

    [Test]
    public async Task The_directories_it_creates_stay_traversable_so_the_admin_user_can_cd_into_the_install_dir()
    {
        // Found by the rehearsal: umask 077 made /opt/boma 0700, and `cd /opt/boma/netbird && sudo docker compose`
        // (netbird-up, caddy-up) then failed for the admin user with "Permission denied".
        var template = Path.Combine(_dir, "config.yaml.tmpl");
        await File.WriteAllTextAsync(template, HostTemplates.Render("netbird/config.yaml.tmpl", new Dictionary<string, string>
        {
            ["netbird_fqdn"] = "netbird.askari.example.org",
            ["trusted_proxies"] = "172.30.0.0/24",
        }));
        var output = Path.Combine(_dir, "opt", "boma", "netbird", "config.yaml");

        var result = await Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("hosts", "netbird", "render-config.sh"), template, output], Secrets());

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Assert.That(File.GetUnixFileMode(Path.Combine(_dir, "opt")), Is.EqualTo(traversable));
        Assert.That(File.GetUnixFileMode(Path.Combine(_dir, "opt", "boma")), Is.EqualTo(traversable));
        Assert.That(File.GetUnixFileMode(Path.Combine(_dir, "opt", "boma", "netbird")), Is.EqualTo(traversable));
        Assert.That(File.GetUnixFileMode(output), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the config itself stays 0600");
    }

    [Test]
    public async Task Secrets_from_stdin_land_in_a_0600_config_and_only_its_hash_is_printed()
    {
        var result = await Render(Secrets());
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var path = Path.Combine(_dir, "out", "config.yaml");
        var text = await File.ReadAllTextAsync(path);
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(result.Stdout.Trim(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))));
        foreach (var secret in new[] { AuthSecret, StoreKey, CookieKey })
        {
            Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(secret));
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var server = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["server"];
        string Get(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
        Assert.Multiple(() =>
        {
            Assert.That(Get(server, "authSecret"), Is.EqualTo(AuthSecret));
            Assert.That(Get((YamlMappingNode)server["store"], "encryptionKey"), Is.EqualTo(StoreKey), "base64 with its = padding kept");
            Assert.That(Get((YamlMappingNode)server["auth"], "sessionCookieEncryptionKey"), Is.EqualTo(CookieKey));
            Assert.That(Get(server, "exposedAddress"), Is.EqualTo("https://netbird.askari.example.org:443"));
            Assert.That(Get(server, "listenAddress"), Is.EqualTo(":80"));
            Assert.That(Get(server, "dataDir"), Is.EqualTo("/var/lib/netbird"));
            Assert.That(Get((YamlMappingNode)server["auth"], "issuer"), Is.EqualTo("https://netbird.askari.example.org/oauth2"));
            Assert.That(text, Does.Not.Contain("@@"));
        });
    }

    [Test]
    public async Task Run_twice_with_the_same_secrets_changes_nothing_and_a_changed_secret_changes_the_hash()
    {
        // The printed hash is the trigger of the NetBird stack's redeploy: it must be stable for the same input
        // (no redeploy on every `up`) and move when a secret is rotated.
        var path = Path.Combine(_dir, "out", "config.yaml");
        var first = await Render(Secrets());
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var bytes = await File.ReadAllBytesAsync(path);

        var second = await Render(Secrets());
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);
        Assert.That(second.Stdout, Is.EqualTo(first.Stdout));
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(bytes));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Directory.GetFiles(Path.Combine(_dir, "out")), Has.Length.EqualTo(1), "no temp file is left behind");

        var rotated = await Render(Secrets().Replace(AuthSecret, "Xy7" + AuthSecret[3..], StringComparison.Ordinal));
        Assert.That(rotated.ExitCode, Is.Zero, rotated.Stderr);
        Assert.That(rotated.Stdout, Is.Not.EqualTo(first.Stdout));
    }

    [TestCase("NB_AUTH_SECRET")]
    [TestCase("NB_STORE_ENCRYPTION_KEY")]
    [TestCase("NB_SESSION_COOKIE_KEY")]
    public async Task A_missing_secret_fails_and_writes_nothing(string name)
    {
        var result = await Render(Secrets(without: name));
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain($"{name} missing"));
        Assert.That(File.Exists(Path.Combine(_dir, "out", "config.yaml")), Is.False);
    }

    [Test]
    public async Task An_unexpected_line_or_a_value_with_quotes_is_refused()
    {
        Assert.That((await Render(Secrets() + "EVIL=1\n")).Stderr, Does.Contain("unexpected stdin line for 'EVIL'"));
        var quoted = (await Render(Secrets(without: "NB_AUTH_SECRET") + "NB_AUTH_SECRET=a\"b\n"));
        Assert.That(quoted.ExitCode, Is.Not.Zero);
        Assert.That(quoted.Stderr, Does.Contain("NB_AUTH_SECRET has characters outside"));
    }

    [Test]
    public void The_repo_template_holds_markers_not_secrets()
    {
        var template = File.ReadAllText(Tools.Repo("hosts", "netbird", "config.yaml.tmpl"));
        Assert.That(template, Does.Contain("authSecret: \"@@NB_AUTH_SECRET@@\"")
            .And.Contain("encryptionKey: \"@@NB_STORE_ENCRYPTION_KEY@@\"")
            .And.Contain("sessionCookieEncryptionKey: \"@@NB_SESSION_COOKIE_KEY@@\""));
    }
}
