using Boma.Infra.Cli;
using Boma.Infra.Components;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Cli;

/// <summary>`plan offsite` (offline, from Pulumi.offsite.yaml) shows the whole mesh part, with no secret in it.</summary>
[TestFixture]
public sealed class PlanTests
{
    private static readonly string[] Shown =
    [
        NetbirdServer.TypeToken, CaddyProxy.TypeToken, Peers.TypeToken, Backup.TypeToken,
        "netbird-store-encryption-key", "netbird-session-cookie-key", "netbird-relay-auth-secret",
        "netbird-render-config", "netbird-up", "netbird-setup", "caddy-up", "caddy-caddyfile",
        "peers-policies", "peers-askari-key", "peers-ubongo-key", "peers-cluster-key", "peers-cluster-dns-key", "peers-cluster-docker-key", "peers-cluster-storage-key", "peers-road-warrior-key", "peers-askari-enrol", "peers-dns-domain",
        "backup-restic-env", "backup-enable",
        "/home/kim/.boma-stage/netbird/compose.yaml", "/home/kim/.boma-stage/caddy/Caddyfile",
    ];

    [Test]
    public async Task Plan_offsite_shows_the_mesh_components_their_commands_and_the_runbook_outputs()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PlanCommand.RunAsync(["offsite"], output, error, Tools.RepoRoot);
        var text = output.ToString();

        Assert.That(code, Is.Zero, error.ToString());
        Assert.Multiple(() =>
        {
            foreach (var item in Shown)
            {
                Assert.That(text, Does.Contain(item));
            }

            foreach (var name in RunbookOutputs.Names)
            {
                Assert.That(text, Does.Contain($"    {name}"), $"stack output {name}");
            }

            Assert.That(text, Does.Contain("stdin     : [secret]"));
            Assert.That(text, Does.Not.Contain("RESTIC_PASSWORD=").And.Not.Contain("NB_AUTH_SECRET=").And.Not.Contain("GANDI_BEARER_TOKEN="), "stdin contents never shown");
        });
    }
}
