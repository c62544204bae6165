using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>The Caddyfile, checked with the real caddy (`validate`, and `adapt` to assert NetBird's routes and their order).</summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)] // Independent temp dirs; the external tools dominate the run time.
[SupportedOSPlatform("linux")]
public sealed class CaddyTests
{
    private string dir = string.Empty;

    [SetUp]
    public void SetUp() => dir = Directory.CreateTempSubdirectory("boma-caddy-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    private ToolResult Caddy(string verb, string caddyfile, params string[] extra)
    {
        var caddy = HostTool.Require("caddy", "caddy");
        var file = Path.Combine(dir, "Caddyfile");
        File.WriteAllText(file, caddyfile);

        // Caddy keeps storage under $HOME/XDG dirs even when only validating: point them at the temp dir.
        var env = new Dictionary<string, string> { ["HOME"] = dir, ["XDG_DATA_HOME"] = dir, ["XDG_CONFIG_HOME"] = dir };
        return HostTool.Run(caddy, [verb, "--config", file, "--adapter", "caddyfile", .. extra], env);
    }

    private static string Rendered() => HostTemplates.Render("caddy/Caddyfile.tmpl", HostSamples.Caddy);

    [Test]
    public void Caddyfile_validates()
    {
        var result = Caddy("validate", Rendered());
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout + result.Stderr, Does.Contain("Valid configuration"));
    }

    [Test]
    public void Validate_really_rejects_a_broken_caddyfile()
    {
        var result = Caddy("validate", Rendered().Replace("reverse_proxy @grpc", "reverse_proxy_typo @grpc", StringComparison.Ordinal));
        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
    }

    [Test]
    public void Netbird_routes_are_grpc_h2c_then_server_paths_then_dashboard()
    {
        var result = Caddy("adapt", Rendered());
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var config = JsonNode.Parse(result.Stdout)!;
        var routes = config["apps"]!["http"]!["servers"]!["srv0"]!["routes"]!.AsArray();

        var netbird = routes.Single(r => r!["match"]![0]!["host"]![0]!.GetValue<string>() == "netbird.askari.example.org")!;
        var inner = netbird["handle"]![0]!["routes"]!.AsArray();
        Assert.That(inner, Has.Count.EqualTo(3), inner.ToJsonString());

        var grpc = inner[0]!;
        Assert.That(Paths(grpc), Is.EquivalentTo(GrpcPaths));
        Assert.That(grpc["handle"]![0]!["transport"]!["versions"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(H2c));
        Assert.That(Upstream(grpc), Is.EqualTo("127.0.0.1:8081"));

        var server = inner[1]!;
        Assert.That(Paths(server), Is.EquivalentTo(ServerPaths));
        Assert.That(server["handle"]![0]!["transport"], Is.Null, "WebSocket routes must not use the h2c transport");
        Assert.That(Upstream(server), Is.EqualTo("127.0.0.1:8081"));

        var dashboard = inner[2]!;
        Assert.That(dashboard["match"], Is.Null, "the dashboard is the catch-all");
        Assert.That(Upstream(dashboard), Is.EqualTo("127.0.0.1:8080"));

        var test = routes.Single(r => r!["match"]![0]!["host"]![0]!.GetValue<string>() == "test.askari.example.org")!;
        Assert.That(test["handle"]![0]!["routes"]![0]!["handle"]![0]!["status_code"]!.GetValue<int>(), Is.EqualTo(200));

        var policy = config["apps"]!["tls"]!["automation"]!["policies"]![0]!;
        Assert.That(policy["subjects"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EquivalentTo(Sites));
        Assert.That(policy["issuers"]![0]!["email"]!.GetValue<string>(), Is.EqualTo("admin@example.org"));
    }

    private static readonly string[] GrpcPaths = ["/signalexchange.SignalExchange/*", "/management.ManagementService/*", "/management.ProxyService/*"];
    private static readonly string[] ServerPaths = ["/relay*", "/ws-proxy/*", "/api/*", "/oauth2/*"];
    private static readonly string[] H2c = ["h2c", "2"];
    private static readonly string[] Sites = ["netbird.askari.example.org", "test.askari.example.org"];

    private static IEnumerable<string> Paths(JsonNode route) => route["match"]![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>());

    private static string Upstream(JsonNode route) => route["handle"]![0]!["upstreams"]![0]!["dial"]!.GetValue<string>();

    [Test]
    public void Deploy_reloads_a_changed_caddyfile_only_when_caddy_was_already_running()
    {
        using var box = new ScriptSandbox();
        var first = box.Run("caddy/deploy.sh.tmpl", HostSamples.Caddy);
        Assert.That(first.Result.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Calls, Has.Some.Contains("up -d"));
        Assert.That(first.Calls, Has.None.Contains("caddy reload"), "a freshly started container already has the file");
        Assert.That(box.ReadFile("/srv/boma/caddy/config/Caddyfile"), Is.EqualTo(Rendered()));

        var values = new Dictionary<string, string>(HostSamples.Caddy) { ["test_fqdn"] = "smoke.askari.example.org" };
        var second = box.Run("caddy/deploy.sh.tmpl", values);
        Assert.That(second.Result.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Calls, Has.Some.Contains("exec -T caddy caddy reload --config /etc/caddy/Caddyfile"));
        Assert.That(second.Calls, Has.None.Contains("up -d"));
    }

    [Test]
    public void Deploy_puts_the_old_caddyfile_back_when_caddy_rejects_the_new_one()
    {
        using var box = new ScriptSandbox();
        Assert.That(box.Run("caddy/deploy.sh.tmpl", HostSamples.Caddy).Result.ExitCode, Is.Zero);
        var values = new Dictionary<string, string>(HostSamples.Caddy) { ["test_fqdn"] = "smoke.askari.example.org" };
        var run = box.Run("caddy/deploy.sh.tmpl", values, failTool: "caddy reload");
        Assert.That(run.Result.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(run.Result.Stderr, Does.Contain("caddy rejected the new Caddyfile"));
        Assert.That(box.ReadFile("/srv/boma/caddy/config/Caddyfile"), Is.EqualTo(Rendered()));
    }
}
