using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Pulumi;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>The rendered Caddyfile through the real <c>caddy adapt</c> and <c>caddy validate</c>.</summary>
[TestFixture]
public sealed class CaddyfileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("boma-caddy-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    internal static string Render(bool dns01, string email = "admin@example.org") => CaddyProxy.Render(new CaddyProxyArgs
    {
        HostName = "askari",
        Host = new RemoteHost(new SshTarget(Output.Create("198.51.100.23"), "kim", Output.CreateSecret("key"))),
        NetbirdFqdn = "netbird.askari.example.org",
        TestFqdn = "test.askari.example.org",
        Config = new CaddyConfig
        {
            AcmeEmail = email,
            Dns01 = dns01,
            Dns01Sites = dns01 ? [new CaddySite("grafana.boma.example.org", "100.64.0.2:3000")] : ImmutableArray<CaddySite>.Empty,
        },
    });

    private async Task<Tools.Result> Caddy(string caddyfile, params string[] verb)
    {
        var caddy = Tools.Require("caddy");
        var path = Path.Combine(_dir, "Caddyfile");
        await File.WriteAllTextAsync(path, caddyfile);
        var env = new Dictionary<string, string> { ["HOME"] = _dir, ["XDG_DATA_HOME"] = _dir, ["XDG_CONFIG_HOME"] = _dir };
        return await Tools.RunAsync(caddy, [.. verb, "--config", path, "--adapter", "caddyfile"], env: env, workDir: _dir);
    }

    [TestCase("admin@example.org")]
    [TestCase("")]
    public async Task The_Caddyfile_validates(string email)
    {
        var result = await Caddy(Render(dns01: false, email), "validate");
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        Assert.That(result.Stdout + result.Stderr, Does.Contain("Valid configuration"));
    }

    [Test]
    public async Task Adapted_routes_refuse_setup_then_grpc_h2c_then_backend_then_dashboard()
    {
        var result = await Caddy(Render(dns01: false), "adapt");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var config = JsonNode.Parse(result.Stdout)!;
        var server = config["apps"]!["http"]!["servers"]!.AsObject().Single().Value!;
        var sites = server["routes"]!.AsArray();
        var netbird = sites.Single(r => r!["match"]![0]!["host"]![0]!.GetValue<string>() == "netbird.askari.example.org")!;
        var routes = netbird["handle"]![0]!["routes"]!.AsArray();

        Assert.That(routes, Has.Count.EqualTo(4));
        var setup = routes[0]!;
        Assert.That(setup["match"]![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>()), Does.Contain("/api/setup").And.Contain("/setup"));
        Assert.That(setup["handle"]![0]!["handler"]!.GetValue<string>(), Is.EqualTo("static_response"));
        Assert.That(setup["handle"]![0]!["status_code"]!.ToJsonString(), Is.EqualTo("403"));

        var grpc = routes[1]!;
        Assert.That(grpc["match"]![0]!["header"]!["Content-Type"]![0]!.GetValue<string>(), Is.EqualTo("application/grpc*"));
        var grpcProxy = grpc["handle"]![0]!;
        Assert.That(grpcProxy["transport"]!["versions"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(H2c));
        Assert.That(grpcProxy["upstreams"]![0]!["dial"]!.GetValue<string>(), Is.EqualTo("netbird-server:80"));

        var backend = routes[2]!;
        Assert.That(backend["match"]![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EquivalentTo(BackendPaths));
        Assert.That(backend["handle"]![0]!["transport"], Is.Null, "WebSocket routes must not go to an h2c upstream");
        Assert.That(backend["handle"]![0]!["upstreams"]![0]!["dial"]!.GetValue<string>(), Is.EqualTo("netbird-server:80"));

        Assert.That(routes[3]!["handle"]![0]!["upstreams"]![0]!["dial"]!.GetValue<string>(), Is.EqualTo("netbird-dashboard:80"));

        Assert.That(sites.Any(r => r!["match"]![0]!["host"]![0]!.GetValue<string>() == "test.askari.example.org"), Is.True, "the test site");

        // Both public names get certificates, with the configured ACME account email.
        var policy = config["apps"]!["tls"]!["automation"]!["policies"]![0]!;
        Assert.That(policy["subjects"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EquivalentTo(Sites));
        Assert.That(policy["issuers"]![0]!["email"]!.GetValue<string>(), Is.EqualTo("admin@example.org"));
    }

    [Test]
    public async Task Validate_really_rejects_a_broken_caddyfile()
    {
        // Proves the validation above can fail: a misspelt directive in the NetBird site.
        var broken = Render(dns01: false).Replace("reverse_proxy @grpc", "reverse_proxy_typo @grpc", StringComparison.Ordinal);
        Assert.That(broken, Does.Contain("reverse_proxy_typo"));
        var result = await Caddy(broken, "validate");
        Assert.That(result.ExitCode, Is.Not.Zero, result.Stdout + result.Stderr);
    }

    private static readonly string[] Sites = ["netbird.askari.example.org", "test.askari.example.org"];

    private static readonly string[] H2c = ["h2c", "2"];
    private static readonly string[] BackendPaths = ["/relay*", "/ws-proxy/*", "/api/*", "/oauth2/*"];

    [Test]
    public async Task Dns01_needs_the_gandi_build_and_is_otherwise_valid()
    {
        var caddyfile = Render(dns01: true);
        Assert.That(caddyfile, Does.Contain("dns gandi {env.GANDI_BEARER_TOKEN}"), "the token is an env placeholder, never a value");

        // Stock Caddy (what Debian ships and CI runs) lacks the module: this is the documented build constraint.
        var stock = await Caddy(caddyfile, "adapt");
        Assert.That(stock.ExitCode, Is.Not.Zero);
        Assert.That(stock.Stdout + stock.Stderr, Does.Contain("dns.providers.gandi"));

        // Everything else in the DNS-01 variant is valid: with the provider line swapped for a stock tls option it validates.
        var withoutProvider = caddyfile.Replace("dns gandi {env.GANDI_BEARER_TOKEN}", "protocols tls1.2", StringComparison.Ordinal);
        var result = await Caddy(withoutProvider, "validate");
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
    }

    [Test]
    public void The_gandi_build_is_pinned_to_a_caddy_the_plugin_compiles_against()
    {
        var dockerfile = File.ReadAllText(Tools.Repo("hosts", "caddy", "Dockerfile.gandi"));
        Assert.That(dockerfile, Does.Contain("FROM caddy:2.9.1-builder").And.Contain("FROM caddy:2.9.1\n").And.Contain("github.com/caddy-dns/gandi@v1.0.3"));
        Assert.That(CaddyConfig.GandiImage, Does.EndWith(":" + CaddyConfig.GandiBuildVersion));
    }
}
