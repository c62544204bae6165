using System.Text.Json.Nodes;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Rehearsal.Doubles;

/// <summary>
/// The routes of the product's Caddyfile (rendered by CaddyProxy, served by Debian's real caddy) reach the doubles:
/// the REST API, h2c gRPC, the WebSocket upgrades and the dashboard; the setup path is refused; a client enrols with
/// the public https URL. Runs in throw-away namespaces; TLS comes from Caddy's internal CA (ACME is unreachable).
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CaddyDoubleTests
{
    [Test]
    public async Task Every_route_Caddy_proxies_reaches_the_doubles_and_setup_is_refused()
    {
        Tools.Require("caddy");
        Tools.Require("unshare");
        var work = Directory.CreateTempSubdirectory("boma-caddy-double-").FullName;
        try
        {
            var config = await DoubleServer.RenderConfigAsync(work);
            // The product's Caddyfile; only the ACME account line becomes Caddy's internal CA, and plain HTTP moves off
            // port 80, where the doubles stand in for the two containers.
            var rendered = CaddyfileTests.Render(dns01: false).Replace("netbird.askari.example.org", "netbird.boma.test", StringComparison.Ordinal);
            Assert.That(rendered, Does.Contain("email admin@example.org"));
            var caddyfile = Path.Combine(work, "Caddyfile");
            await File.WriteAllTextAsync(caddyfile, rendered.Replace("email admin@example.org", "local_certs\n\tskip_install_trust\n\thttp_port 8080", StringComparison.Ordinal));
            var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "netbird-server-double.dll");
            var run = await Tools.RunAsync(Tools.Require("unshare"),
                ["-rmnpf", "--mount-proc", "bash", Tools.Repo("tests", "Boma.Infra.Tests", "Rehearsal", "Doubles", "caddy-e2e.sh"), Tools.RepoRoot, dll, config, caddyfile, work],
                env: new Dictionary<string, string> { ["HOME"] = work });
            string Read(string name) => File.Exists(Path.Combine(work, name)) ? File.ReadAllText(Path.Combine(work, name)).Trim() : $"<no {name}>";
            Assert.That(run.ExitCode, Is.Zero, run.Stderr + Read("caddy.log"));
            Assert.That(Read("finished"), Is.EqualTo("finished"));

            Assert.That(JsonNode.Parse(Read("instance.json"))!["setup_required"]!.GetValue<bool>(), Is.True, "/api/* reaches the server");
            Assert.That((Read("setup.status"), Read("setup.body")), Is.EqualTo(("403", "setup is done from the host")));
            Assert.That(Read("dashboard.html"), Does.Contain("NetBird dashboard"), "everything else is the dashboard");
            var grpc = Read("grpc.headers");
            Assert.That(grpc, Does.StartWith("HTTP/2 200").And.Contain("content-type: application/grpc").And.Contain("grpc-status: 0"));
            Assert.That(File.ReadAllBytes(Path.Combine(work, "grpc.body")).Length, Is.GreaterThan(44), "a framed ServerKeyResponse with the key");
            Assert.That(Read("ws-relay"), Does.StartWith("HTTP/1.1 101"));
            Assert.That(Read("ws-ws-proxy-signal"), Does.StartWith("HTTP/1.1 101"));

            var status = JsonNode.Parse(Read("status.json"))!;
            Assert.That(status["management"]!["url"]!.GetValue<string>(), Is.EqualTo("https://netbird.boma.test:443"), "the client adds :443 as the real one does");
            Assert.That(status["netbirdIp"]!.GetValue<string>(), Does.StartWith("100.").And.EndWith("/16"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
